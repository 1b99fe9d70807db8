package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/cmd/wso2ks/cli"
)

// withIAMInstance adds a third iam instance to examples/multi-product.toml.
func withIAMInstance(t *testing.T, topology []byte) []byte {
	t.Helper()
	old := []byte(`instances = ["iam-0.iam.${env}.svc", "iam-1.iam.${env}.svc"]`)
	out := bytes.Replace(topology, old, []byte(`instances = ["iam-0.iam.${env}.svc", "iam-1.iam.${env}.svc", "iam-2.iam.${env}.svc"]`), 1)
	if bytes.Equal(out, topology) {
		t.Fatal("the topology has no iam instances line to extend")
	}
	return out
}

// updatedBundle generates from, then runs 'wso2ks generate --update' on the
// bundle with to, and loads the result.
func updatedBundle(t *testing.T, name string, from, to []byte) *interopBundle {
	t.Helper()
	b := generateBundle(t, name, from, "")
	file := filepath.Join(filepath.Dir(b.dir), "updated.toml")
	if err := os.WriteFile(file, to, 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := cli.Main([]string{"generate", "-f", file, "--update", b.dir}, strings.NewReader(""), &stdout, &stderr); code != 0 {
		t.Fatalf("%s: wso2ks generate --update: exit %d: %s", name, code, stderr.String())
	}
	return loadBundle(t, name, b.dir)
}

// TestUpdateOpenSSL adds an instance to an internal-CA bundle of
// examples/multi-product.toml with --update: both CAs stay byte for byte,
// and openssl verifies every leaf (the re-issued iam tls for each SAN,
// the new instance included) against the kept ca.crt.
func TestUpdateOpenSSL(t *testing.T) {
	multi, err := os.ReadFile("../../examples/multi-product.toml")
	if err != nil {
		t.Fatal(err)
	}
	from := withIssuer(t, multi, "internal-ca")
	b := generateBundle(t, "before", from, "")
	cas := map[string][]byte{}
	for _, env := range []string{"dev", "prod"} {
		if cas[env], err = os.ReadFile(filepath.Join(b.dir, env, "ca", "ca.crt")); err != nil {
			t.Fatal(err)
		}
	}
	file := filepath.Join(filepath.Dir(b.dir), "updated.toml")
	if err := os.WriteFile(file, withIAMInstance(t, from), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := cli.Main([]string{"generate", "-f", file, "--update", b.dir}, strings.NewReader(""), &stdout, &stderr); code != 0 {
		t.Fatalf("wso2ks generate --update: exit %d: %s", code, stderr.String())
	}
	b = loadBundle(t, "updated", b.dir)
	for env, before := range cas {
		if after, _ := os.ReadFile(filepath.Join(b.dir, env, "ca", "ca.crt")); !bytes.Equal(after, before) {
			t.Errorf("%s/ca/ca.crt changed; want the CA kept", env)
		}
	}
	for _, s := range b.manifest.Stores {
		if s.Product == "iam" && s.Role == "tls" && !slices.Contains(s.SANs, "iam-2.iam."+s.Env+".svc") {
			t.Errorf("%s: SANs %v lack the new instance", s.Path, s.SANs)
		}
	}
	checkCABundle(t, b, 2, func(env string) []string {
		return []string{"-CAfile", filepath.Join(b.dir, env, "ca", "ca.crt")}
	})
}
