package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/gen"
	"github.com/wso2ks/wso2ks/pkg/verify"
)

// TestInstallReencryptsTheKeptKey: a vault-mode home keeps its encryption
// key when --replace-keys installs a bundle with another internal key, so
// install encrypts the key's [secrets] entry again for the new internal key:
// the secure vault still reads the key the home's data is encrypted with.
func TestInstallReencryptsTheKeptKey(t *testing.T) {
	home, a, b := crashHome(t)
	r := run(t, false, "install", "--bundle", b, "--product", "iam", "--home", home, "--replace-keys")
	if r.code != 0 || !strings.Contains(r.stdout, "encryption: the home's key stays; its [secrets] iam_encryption_key is encrypted again for the bundle's internal key\n") {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	secrets := func(dir string) map[string]string {
		vars, err := bundle.ParseSecretsEnv([]byte(readFile(t, filepath.Join(dir, "default", bundle.SecretsName))))
		if err != nil {
			t.Fatal(err)
		}
		return vars
	}
	want := secrets(a)[gen.EncryptionKeyVar("iam")]
	internal := secrets(b)[gen.PasswordVar("iam", gen.RoleInternal)]
	p := verify.Product{Target: home, Name: "iam", Kind: gen.IdentityServer, Version: gen.Version{Major: 7, Minor: 1}, HasVersion: true,
		Root: home, Config: filepath.Join(home, "repository/conf/deployment.toml"),
		Passwords: map[string]string{gen.PasswordVar("iam", gen.RoleInternal): internal}}
	eff, err := verify.ReadEffective(p, verify.Options{Getenv: func(string) (string, bool) { return "", false }})
	if err != nil {
		t.Fatal(err)
	}
	if k := eff.EncryptionKey; k.Err != nil || k.Value != want {
		t.Errorf("the vault gives [encryption] key %q (%v), want a's key", k.Value, k.Err)
	}
	if data := readFile(t, filepath.Join(home, "repository/conf/security/cipher-text.properties")); !strings.Contains(data, "iam_encryption_key="+eff.Secrets["iam_encryption_key"]+"\n") {
		t.Errorf("cipher-text.properties does not hold deployment.toml's iam_encryption_key:\n%s", data)
	}
}

// TestInstallRefusesAKeptKeyItCannotReencrypt: when the home's vault cannot
// be read (the bundle's secrets.env has other passwords, none exported),
// install refuses rather than leave the key encrypted for a replaced key.
// The home's truststore is moved away first: install would otherwise refuse
// earlier, for the truststore it cannot open.
func TestInstallRefusesAKeptKeyItCannotReencrypt(t *testing.T) {
	home, _, _ := crashHome(t)
	// A real process draws from crypto/rand: c's passwords are not a's
	// (run's seeded source would give the same ones).
	c := filepath.Join(t.TempDir(), "c")
	if r := runProcess(t, nil, "generate", "-f", "../../../examples/vault.toml", "-o", c); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	if err := os.Remove(filepath.Join(home, "repository/resources/security/client-truststore.p12")); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, home)
	r := run(t, false, "install", "--bundle", c, "--product", "iam", "--home", home, "--replace-keys")
	if r.code != 2 || strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, "[encryption] key $secret{iam_encryption_key} does not resolve") ||
		!strings.Contains(r.stderr, "install cannot encrypt it again for the new one; export the secrets.env the home runs with") {
		t.Errorf("exit %d\nstdout %s\nstderr %s", r.code, r.stdout, r.stderr)
	}
	if after := snapshot(t, home); after != before {
		t.Error("the refusal changed the home")
	}
}
