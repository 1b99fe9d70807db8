package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/cmd/wso2ks/cli"
)

// byoCA makes, with openssl, a CA a user brings: a root (RSA 3072) and an
// issuing intermediate (EC P-256) it signs, whose key is PKCS#8 encrypted
// with PBES2 and AES-256-CBC under the passphrase in pass.txt.
func byoCA(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Fatal("openssl is not on PATH: this test needs it (CI installs it)")
	}
	dir := t.TempDir()
	ext := "basicConstraints=critical,CA:true,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n"
	os.WriteFile(filepath.Join(dir, "int.ext"), []byte(ext), 0o644)
	os.WriteFile(filepath.Join(dir, "pass.txt"), []byte("correct horse\n"), 0o600)
	for _, args := range [][]string{
		{"req", "-x509", "-newkey", "rsa:3072", "-nodes", "-keyout", "root.key", "-out", "root.pem", "-days", "3650",
			"-subj", "/O=BYO/CN=BYO Root CA", "-addext", "basicConstraints=critical,CA:true", "-addext", "keyUsage=critical,keyCertSign,cRLSign"},
		{"req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "int.key", "-out", "int.csr", "-subj", "/O=BYO/CN=BYO Issuing CA"},
		{"x509", "-req", "-in", "int.csr", "-CA", "root.pem", "-CAkey", "root.key", "-set_serial", "2", "-days", "1825", "-extfile", "int.ext", "-out", "int.pem"},
		{"pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", "int.key", "-out", "int-enc.key", "-passout", "file:pass.txt"},
	} {
		cmd := exec.Command("openssl", args...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("openssl %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	root, _ := os.ReadFile(filepath.Join(dir, "root.pem"))
	mid, _ := os.ReadFile(filepath.Join(dir, "int.pem"))
	os.WriteFile(filepath.Join(dir, "chain.pem"), append(append([]byte{}, mid...), root...), 0o644)
	return dir
}

// withExternalCA sets [tls] issuer = "external-ca" with the intermediate
// of byoCA(dir) as the signer, by absolute paths since the topology is
// written elsewhere.
func withExternalCA(t *testing.T, topology []byte, dir string) []byte {
	t.Helper()
	s := string(withIssuer(t, topology, "external-ca"))
	line := "issuer = \"external-ca\"\n"
	files := "ca_cert = \"" + filepath.Join(dir, "chain.pem") + "\"\nca_key = \"" + filepath.Join(dir, "int-enc.key") +
		"\"\nca_key_passphrase = \"file:" + filepath.Join(dir, "pass.txt") + "\"\n"
	return []byte(strings.Replace(s, line, line+files, 1))
}

// TestExternalCAOpenSSL generates examples/multi-product.toml signed by a
// BYO intermediate: every leaf's chain is [leaf, intermediate, root] and
// verifies with openssl against the root alone, the intermediate given as
// untrusted; ca.crt holds the chain and no CA key is written.
func TestExternalCAOpenSSL(t *testing.T) {
	multi, err := os.ReadFile("../../examples/multi-product.toml")
	if err != nil {
		t.Fatal(err)
	}
	ca := byoCA(t)
	b := generateBundle(t, "external-ca", withExternalCA(t, multi, ca), "")
	checkCABundle(t, b, 3, func(string) []string {
		return []string{"-CAfile", filepath.Join(ca, "root.pem"), "-untrusted", filepath.Join(ca, "int.pem")}
	})
	want, _ := os.ReadFile(filepath.Join(ca, "chain.pem"))
	for _, env := range []string{"dev", "prod"} {
		got, err := os.ReadFile(filepath.Join(b.dir, env, "ca", "ca.crt"))
		if err != nil || string(got) != string(want) {
			t.Errorf("%s/ca/ca.crt: %v; want the chain as given", env, err)
		}
		if _, err := os.Stat(filepath.Join(b.dir, env, "ca", "ca.key")); !os.IsNotExist(err) {
			t.Errorf("%s/ca/ca.key: %v; want no CA key in the bundle", env, err)
		}
	}
	// wso2ks verify follows the chain the tls store carries up to the
	// root the truststore holds.
	var stdout, stderr bytes.Buffer
	if code := cli.Main([]string{"verify", b.dir}, strings.NewReader(""), &stdout, &stderr); code != 0 {
		t.Errorf("wso2ks verify: exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
}
