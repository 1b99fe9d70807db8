package testca

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// BYO makes, with openssl, in a new directory it returns, what a user
// brings to issuer = "external-ca": a root (RSA 3072, ten years; root.pem,
// root.key, root-pkcs1.key, root-legacy.key) and an intermediate (EC
// P-256, five years; int.pem, int.key, int-sec1.key, int-enc.key) it
// signs, chain.pem (intermediate, then root) as a user gives ca_cert, and
// bad ones: nosign.pem (no keyCertSign), weak.pem (RSA 1024), leaf.pem
// (not a CA), garbage.pem. The encrypted keys' passphrase is in pass.txt
// ("correct horse"). A missing openssl fails the test: CI installs it.
func BYO(t testing.TB) string {
	t.Helper()
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Fatal("openssl is not on PATH: these tests make the CA with it (CI installs it)")
	}
	dir := t.TempDir()
	ca := "basicConstraints=critical,CA:true\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n"
	os.WriteFile(filepath.Join(dir, "int.ext"), []byte(strings.Replace(ca, "CA:true", "CA:true,pathlen:0", 1)), 0o644)
	os.WriteFile(filepath.Join(dir, "pass.txt"), []byte("correct horse\n"), 0o600)
	script := [][]string{
		{"req", "-x509", "-newkey", "rsa:3072", "-nodes", "-keyout", "root.key", "-out", "root.pem", "-days", "3650",
			"-subj", "/O=BYO/CN=BYO Root CA", "-addext", "basicConstraints=critical,CA:true", "-addext", "keyUsage=critical,keyCertSign,cRLSign"},
		{"req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "int.key", "-out", "int.csr", "-subj", "/O=BYO/CN=BYO Issuing CA"},
		{"x509", "-req", "-in", "int.csr", "-CA", "root.pem", "-CAkey", "root.key", "-set_serial", "2", "-days", "1825", "-extfile", "int.ext", "-out", "int.pem"},
		{"pkey", "-in", "int.key", "-traditional", "-out", "int-sec1.key"},
		{"pkey", "-in", "root.key", "-traditional", "-out", "root-pkcs1.key"},
		{"pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", "int.key", "-out", "int-enc.key", "-passout", "file:pass.txt"},
		{"rsa", "-aes256", "-traditional", "-in", "root.key", "-out", "root-legacy.key", "-passout", "file:pass.txt"},
		{"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "nosign.key", "-out", "nosign.pem", "-days", "3650",
			"-subj", "/CN=No Sign CA", "-addext", "basicConstraints=critical,CA:true", "-addext", "keyUsage=critical,digitalSignature"},
		{"req", "-x509", "-newkey", "rsa:1024", "-nodes", "-keyout", "weak.key", "-out", "weak.pem", "-days", "3650",
			"-subj", "/CN=Weak CA", "-addext", "basicConstraints=critical,CA:true", "-addext", "keyUsage=critical,keyCertSign,cRLSign"},
		{"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "leaf.key", "-out", "leaf.pem", "-days", "3650",
			"-subj", "/CN=Not A CA", "-addext", "basicConstraints=critical,CA:false", "-addext", "keyUsage=critical,digitalSignature"},
	}
	for _, args := range script {
		cmd := exec.Command("openssl", args...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("openssl %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	// ca_cert as a user gives it: the issuing CA, then the root.
	root, _ := os.ReadFile(filepath.Join(dir, "root.pem"))
	mid, _ := os.ReadFile(filepath.Join(dir, "int.pem"))
	os.WriteFile(filepath.Join(dir, "chain.pem"), append(append([]byte{}, mid...), root...), 0o644)
	os.WriteFile(filepath.Join(dir, "garbage.pem"), []byte("not a pem file\n"), 0o644)
	return dir
}
