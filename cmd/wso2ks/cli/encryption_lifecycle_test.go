package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/internal/testca"
	"github.com/wso2ks/wso2ks/internal/testkit"
	"github.com/wso2ks/wso2ks/pkg/bundle"
)

const multiProduct = "../../../examples/multi-product.toml"

// keyFiles returns the bytes of every secrets.env and snippet of the bundle
// at dir: the files that hold the encryption keys.
func keyFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, pattern := range []string{"*/" + bundle.SecretsName, "*/*/" + bundle.SnippetName} {
		files, _ := filepath.Glob(filepath.Join(dir, pattern))
		for _, f := range files {
			out[f] = testkit.ReadFile(t, f)
		}
	}
	return out
}

func sameKeyFiles(t *testing.T, step string, dir string, want map[string][]byte) {
	t.Helper()
	got := keyFiles(t, dir)
	if len(got) != len(want) {
		t.Errorf("%s: %d secrets.env and snippet files, want %d", step, len(got), len(want))
	}
	for f, data := range want {
		if !bytes.Equal(got[f], data) {
			t.Errorf("%s changed %s", step, f)
		}
	}
}

// TestLifecycleKeepsEncryptionKey: renew, rotate, csr, import-cert, an
// update and a run with --passwords keep every product's encryption key,
// and the files that hold it, byte for byte; none of them prints it.
func TestLifecycleKeepsEncryptionKey(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ks")
	r := run(t, false, "generate", "-f", multiProduct, "-o", dir)
	if r.code != 0 {
		t.Fatalf("generate: %+v", r)
	}
	want := keyFiles(t, dir)
	keys := map[string]string{}
	for _, env := range []string{"dev", "prod"} {
		vars := readSecretsEnv(t, filepath.Join(dir, env, bundle.SecretsName))
		keys[env] = vars["WSO2KS_IAM_ENCRYPTION_KEY"]
		if len(keys[env]) != 64 || vars["WSO2KS_APIM_ENCRYPTION_KEY"] != "" || vars["WSO2KS_MI_ENCRYPTION_KEY"] != "" {
			t.Fatalf("%s/secrets.env: want a 64-digit key for IS 7.1 alone", env)
		}
	}
	if keys["dev"] == keys["prod"] {
		t.Error("dev and prod share an encryption key")
	}
	out := r.stdout + r.stderr
	later := testNow.AddDate(0, 0, 10) // the test CA's leaves last 90 days from testNow
	steps := []struct {
		name string
		run  func() result
	}{
		{"renew", func() result { return runAt(t, later, "renew", dir, "--within", "1000d") }},
		{"rotate", func() result {
			return runAt(t, later, "rotate", dir, "--product", "iam", "--env", "prod")
		}},
		{"rotate --finish", func() result {
			return runAt(t, later, "rotate", dir, "--product", "iam", "--env", "prod", "--finish")
		}},
		{"csr", func() result { return runAt(t, later, "csr", dir, "--env", "prod", "--product", "apim") }},
		{"import-cert", func() result {
			ca := testca.New(t, later, "Corp")
			chain := signCSR(t, ca, filepath.Join(dir, "prod", "apim", "tls.csr"), nil)
			return runAt(t, later, "import-cert", dir, chain, "--product", "apim", "--env", "prod")
		}},
		{"generate --update", func() result {
			return runAt(t, later, "generate", "-f", multiProduct, "--update", dir)
		}},
	}
	for _, s := range steps {
		r := s.run()
		if r.code != 0 {
			t.Fatalf("%s: %+v", s.name, r)
		}
		out += r.stdout + r.stderr
		sameKeyFiles(t, s.name, dir, want)
	}
	if r := runAt(t, later, "plan", "-f", multiProduct, "--against", dir); !strings.Contains(r.stdout, "  keep  prod/iam encryption key\n") {
		t.Errorf("plan --against does not keep the key:\n%s", r.stdout)
	}
	// A new bundle from the old passwords file has the same key.
	other := filepath.Join(t.TempDir(), "again")
	r = run(t, false, "generate", "-f", multiProduct, "--env", "prod", "-o", other, "--passwords", filepath.Join(dir, "prod", bundle.SecretsName))
	if r.code != 0 {
		t.Fatalf("generate --passwords: %+v", r)
	}
	out += r.stdout + r.stderr
	if got := readSecretsEnv(t, filepath.Join(other, "prod", bundle.SecretsName))["WSO2KS_IAM_ENCRYPTION_KEY"]; got != keys["prod"] {
		t.Error("generate --passwords made another key")
	}
	for _, k := range keys {
		if strings.Contains(out, k) || bytes.Contains(testkit.ReadFile(t, filepath.Join(dir, bundle.ManifestName)), []byte(k)) {
			t.Error("a key reached the output or manifest.json")
		}
	}
}

// TestUpdateGivesOldBundleAKey: a bundle from before wso2ks wrote keys gets
// one on update, which says so; verify fails it before and passes it after.
func TestUpdateGivesOldBundleAKey(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ks")
	if r := run(t, false, "generate", "-f", multiProduct, "--env", "dev", "-o", dir); r.code != 0 {
		t.Fatalf("generate: %+v", r)
	}
	secrets, snippet := filepath.Join(dir, "dev", bundle.SecretsName), filepath.Join(dir, "dev", "iam", bundle.SnippetName)
	drop := func(file, from string) {
		data := string(testkit.ReadFile(t, file))
		i := strings.Index(data, from)
		j := i + strings.Index(data[i:], "\n") + 1
		os.WriteFile(file, []byte(data[:i]+data[j:]), 0o600)
	}
	drop(secrets, "WSO2KS_IAM_ENCRYPTION_KEY=")
	data := string(testkit.ReadFile(t, snippet))
	os.WriteFile(snippet, []byte(data[:strings.Index(data, "\n# Internal data")+1]), 0o600)
	v := run(t, false, "verify", dir)
	if v.code != ExitVerify || !strings.Contains(v.stdout, "FAIL  encryption-key         [encryption] key is not set: WSO2 Identity Server 7.1.0 encrypts internal data with WSO2's published default key\n") {
		t.Errorf("verify of a bundle without a key: exit %d\n%s", v.code, v.stdout)
	}
	topo := filepath.Join(t.TempDir(), "dev-only.toml")
	multi := string(testkit.ReadFile(t, multiProduct))
	os.WriteFile(topo, []byte(multi[:strings.Index(multi, "[environment.prod]")]), 0o644)
	os.WriteFile(filepath.Join(filepath.Dir(topo), "corp-root-ca.pem"), testkit.ReadFile(t, "../../../examples/corp-root-ca.pem"), 0o644)
	r := run(t, false, "generate", "-f", topo, "--update", dir)
	if r.code != 0 || !slices.ContainsFunc(strings.Split(r.stdout, "\n"), func(l string) bool {
		return strings.Join(strings.Fields(l), " ") == "new dev/iam encryption key the bundle had none"
	}) {
		t.Fatalf("update: %+v", r)
	}
	if got := readSecretsEnv(t, secrets)["WSO2KS_IAM_ENCRYPTION_KEY"]; len(got) != 64 || strings.Contains(r.stdout, got) {
		t.Error("the update made no key, or printed it")
	}
	if v := run(t, false, "verify", dir); v.code != 0 {
		t.Errorf("verify after the update: exit %d\n%s", v.code, v.stdout)
	}
	if r := run(t, false, "generate", "-f", topo, "--update", dir); r.code != 0 || !strings.HasPrefix(r.stdout, "nothing to update") {
		t.Errorf("second update: %+v", r)
	}
}
