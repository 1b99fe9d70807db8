package cli

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/docs/schemas"
	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/verify"
)

// TestVerifySecretOtherKey: a [secrets] entry that only a database password uses, encrypted
// with a key the home no longer has (an internal key an earlier install replaced), is a FAIL
// that names its alias, and only it; the vault's password comes from password-tmp.
func TestVerifySecretOtherKey(t *testing.T) {
	dir := t.TempDir()
	bundleDir := filepath.Join(dir, "ks")
	if r := run(t, false, "generate", "-f", "../../../examples/vault.toml", "-o", bundleDir); r.code != 0 {
		t.Fatalf("generate: %+v", r)
	}
	home := fakeHome(t, dir, "wso2is-7.1.0", "wso2is")
	if r := run(t, false, "install", "--bundle", bundleDir, "--product", "iam", "--home", home); r.code != 0 {
		t.Fatalf("install: %+v", r)
	}
	data, err := os.ReadFile(filepath.Join(bundleDir, "default", "secrets.env"))
	if err != nil {
		t.Fatal(err)
	}
	passwords, err := bundle.ParseSecretsEnv(data)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, "password-tmp"), []byte(passwords["WSO2KS_IAM_INTERNAL_PASSWORD"]+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	// The old entry, as the cipher tool made it with the replaced key's certificate.
	old, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	ct, err := rsa.EncryptPKCS1v15(rand.Reader, &old.PublicKey, []byte("db-password-1"))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(home, "repository", "conf", "deployment.toml")
	conf := readFile(t, file)
	shared := "[database.shared_db]\ntype = \"h2\"\nurl = \"jdbc:h2:./repository/database/WSO2SHARED_DB;DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=60000\"\nusername = \"wso2carbon\"\npassword = \"wso2carbon\""
	if !strings.Contains(conf, shared) || !strings.Contains(conf[strings.LastIndex(conf, "\n["):], "[secrets]") {
		t.Fatalf("the installed deployment.toml has no [database.shared_db] as the fixture's, or [secrets] is not its last table:\n%s", conf)
	}
	conf = strings.Replace(conf, shared, strings.TrimSuffix(shared, `"wso2carbon"`)+`"$secret{old_shared_db_password}"`, 1)
	conf = strings.TrimRight(conf, "\n") + "\nold_shared_db_password = \"" + base64.StdEncoding.EncodeToString(ct) + "\"\n"
	if err := os.WriteFile(file, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}

	r := run(t, false, "verify", "--quiet", home)
	if r.code != ExitVerify || r.stderr != "wso2ks: verify found failing rules: 1 failed, 0 warnings\n" {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
	golden(t, "verify/secret-other-key.txt", strings.ReplaceAll(r.stdout, home, "HOME"))
	if strings.Contains(r.stdout, "db-password-1") || strings.Contains(r.stdout, passwords["WSO2KS_IAM_INTERNAL_PASSWORD"]) {
		t.Error("the report holds a password")
	}

	r = run(t, false, "verify", "--output", "json", home)
	if err := verify.ValidateSchema(schemas.Verify, []byte(r.stdout)); err != nil {
		t.Errorf("--output json does not match docs/schemas/verify.json: %v", err)
	}
	var rep verify.Report
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range rep.Findings {
		if f.Rule == verify.RuleSecretDecrypts {
			got = append(got, string(f.Severity)+" "+f.Message)
		}
	}
	want := "FAIL $secret{old_shared_db_password} does not decrypt with the internal store's key (RSA): it was encrypted with another key or padding; encrypt it again with the cipher tool"
	if len(got) != 1 || got[0] != want {
		t.Errorf("secret-decrypts findings %q, want [%q]", got, want)
	}
	if len(rep.Products) != 1 || rep.Products[0].Fail != 1 || rep.Products[0].Skip != 0 || rep.Products[0].Product != "wso2is-7.1.0" {
		t.Errorf("products %+v, want wso2is-7.1.0 with one FAIL", rep.Products)
	}
}
