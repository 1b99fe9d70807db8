package cli

import (
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/pkg/certs"
)

// TestGenerateExternalCA runs plan and generate with [tls] issuer =
// "external-ca" and checks what a user sees: the plan's CA line, the
// summary, ca.crt without ca.key, verify passing, and a wrong key refused
// with exit 2.
func TestGenerateExternalCA(t *testing.T) {
	work := t.TempDir()
	issuer := certs.Issuer{Rand: rand.Reader, Now: testNow}
	for _, name := range []string{"ca", "other"} {
		key, err := certs.GenerateKey("ecdsa-p256")
		if err != nil {
			t.Fatal(err)
		}
		cert, err := issuer.CA(certs.Request{Subject: pkix.Name{CommonName: "BYO " + name}, ValidityDays: 3650}, key)
		if err != nil {
			t.Fatal(err)
		}
		der, err := x509.MarshalPKCS8PrivateKey(key)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(work, name+".pem"), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}), 0o644)
		os.WriteFile(filepath.Join(work, name+".key"), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600)
	}
	topo, err := os.ReadFile(filepath.Join(testdata, "internal-ca.toml"))
	if err != nil {
		t.Fatal(err)
	}
	write := func(key string) string {
		s := strings.Replace(string(topo), `issuer = "internal-ca"`, "issuer = \"external-ca\"\nca_cert = \"ca.pem\"\nca_key = \""+key+"\"", 1)
		file := filepath.Join(work, "topology.toml")
		os.WriteFile(file, []byte(s), 0o644)
		return file
	}
	file := write("ca.key")
	p := run(t, false, "plan", "-f", file)
	if want := "  external CA dev-ca: signer CN=BYO ca from ca.pem (key ca.key, not copied); chain 1 certificate(s) to certificate dev/ca/ca.crt\n"; p.code != 0 || !strings.Contains(p.stdout, want) {
		t.Errorf("plan: exit %d, stdout lacks %q:\n%s%s", p.code, want, p.stdout, p.stderr)
	}
	dir := filepath.Join(work, "ks")
	r := run(t, false, "generate", "-f", file, "-o", dir)
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	if want := "  dev/ca/ca.crt  external CA chain (its key stays where it is)\n"; !strings.Contains(r.stdout, want) {
		t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
	}
	want, err := os.ReadFile(filepath.Join(work, "ca.pem"))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "dev", "ca", "ca.crt")); string(got) != string(want) {
		t.Error("dev/ca/ca.crt is not the CA certificate")
	}
	if _, err := os.Stat(filepath.Join(dir, "dev", "ca", "ca.key")); !os.IsNotExist(err) {
		t.Errorf("dev/ca/ca.key: %v; want none", err)
	}
	if v := run(t, false, "verify", dir); v.code != 0 {
		t.Errorf("verify: exit %d\n%s%s", v.code, v.stdout, v.stderr)
	}
	bad := run(t, false, "generate", "-f", write("other.key"), "-o", filepath.Join(work, "bad"))
	if want := file + ":12:1: [tls] ca_key \"other.key\" matches no certificate in ca_cert \"ca.pem\"; give the CA certificate and its own key\n"; bad.code != 2 || !strings.Contains(bad.stderr, want) {
		t.Errorf("wrong key: exit %d, stderr %q, want 2 and %q", bad.code, bad.stderr, want)
	}
}
