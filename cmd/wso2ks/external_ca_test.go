package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/cmd/wso2ks/cli"
	"github.com/wso2ks/wso2ks/internal/testca"
)

// withExternalCA sets [tls] issuer = "external-ca" with the intermediate
// of testca.BYO as the signer, by absolute paths since the topology is
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
	ca := testca.BYO(t)
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
