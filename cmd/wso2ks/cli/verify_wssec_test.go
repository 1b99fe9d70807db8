package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestVerifyWSSecurityStores: verify opens IS's [[keystore.custom]] and MI's
// [[keystore.secondary]] stores too, and fails one whose password is wrong.
func TestVerifyWSSecurityStores(t *testing.T) {
	dir := t.TempDir()
	topo := filepath.Join(dir, "t.toml")
	os.WriteFile(topo, []byte(`[subject]
organization = "X"
[defaults]
public_cas = false
[[product]]
name = "iam"
kind = "wso2is"
version = "7.1.0"
hostnames = ["iam.example.com"]
ws_security = true
[[product]]
name = "mi"
kind = "wso2mi"
version = "4.4.0"
hostnames = ["mi.example.com"]
ws_security = true
`), 0o644)
	bundle := filepath.Join(dir, "ks")
	if r := run(t, false, "generate", "-f", topo, "-o", bundle); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	r := run(t, false, "verify", bundle)
	if r.code != 0 {
		t.Fatalf("verify of a fresh bundle: %+v", r)
	}
	for _, product := range []string{"iam", "mi"} {
		section := r.stdout[strings.Index(r.stdout, "default/"+product+" "):]
		if !regexp.MustCompile(`(?m)^  wssec\n(    PASS .*\n)*    PASS  store-opens +repository/resources/security/wssec\.(p12|jks) opens`).MatchString(section) {
			t.Errorf("%s: no passing store-opens for the wssec store:\n%s", product, section)
		}
	}
	// A wrong password in [[keystore.secondary]] fails that store.
	snippet := filepath.Join(bundle, "default", "mi", "deployment.snippet.toml")
	data, _ := os.ReadFile(snippet)
	text := string(data)
	i := strings.Index(text, "[[keystore.secondary]]")
	j := i + strings.Index(text[i:], "password = \"")
	k := j + len("password = \"")
	text = text[:k] + "wrong-password-" + text[k:]
	os.WriteFile(snippet, []byte(text), 0o600)
	r = run(t, false, "verify", filepath.Join(bundle, "default", "mi"))
	if r.code != 1 || !regexp.MustCompile(`(?m)^    FAIL  store-opens +repository/resources/security/wssec\.jks does not open as JKS with the password of \[\[keystore\.secondary\]\] #1`).MatchString(r.stdout) {
		t.Errorf("wrong wssec password: exit %d\n%s", r.code, r.stdout)
	}
}
