package cli

import (
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGenerateInternalCA runs generate with [tls] issuer = "internal-ca"
// and checks what a user sees: the summary, the CA's files and their
// modes, and that verify passes the bundle.
func TestGenerateInternalCA(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ks")
	r := run(t, false, "generate", "-f", "testdata/internal-ca.toml", "-o", dir)
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	if want := "  dev/ca/ca.crt  dev/ca/ca.key  internal CA (keep the key secret)\n"; !strings.Contains(r.stdout, want) {
		t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
	}
	for name, mode := range map[string]os.FileMode{"ca.crt": 0o600, "ca.key": 0o400} {
		st, err := os.Stat(filepath.Join(dir, "dev", "ca", name))
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != mode {
			t.Errorf("%s: mode %o, want %o", name, st.Mode().Perm(), mode)
		}
	}
	data, err := os.ReadFile(filepath.Join(dir, "dev", "ca", "ca.crt"))
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(data)
	if block == nil {
		t.Fatal("ca.crt is not PEM")
	}
	ca, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	if got := ca.Subject.String(); got != "CN=Example Corp dev CA,O=Example Corp,C=LK" {
		t.Errorf("CA subject %s", got)
	}
	manifest, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"cas": [`, `"role": "ca"`, `"path": "dev/ca/ca.crt"`, `"alias": "dev-ca"`, `"dev-ca"`} {
		if !strings.Contains(string(manifest), want) {
			t.Errorf("manifest.json lacks %s", want)
		}
	}
	if v := run(t, false, "verify", dir); v.code != 0 {
		t.Errorf("verify: exit %d\n%s%s", v.code, v.stdout, v.stderr)
	}
}
