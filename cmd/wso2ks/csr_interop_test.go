package main

import (
	"bytes"
	"context"
	"encoding/pem"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wso2ks/wso2ks/cmd/wso2ks/cli"
	"github.com/wso2ks/wso2ks/internal/testca"
	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/gen"
	"github.com/wso2ks/wso2ks/pkg/keystore"
)

// wso2ks runs the real CLI and fails the test unless it exits 0.
func wso2ks(t *testing.T, args ...string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if code := cli.Main(args, strings.NewReader(""), &stdout, &stderr); code != 0 {
		t.Fatalf("wso2ks %s: exit %d\n%s%s", strings.Join(args, " "), code, stdout.String(), stderr.String())
	}
	return stdout.String()
}

// opensslSign signs the request csr with the intermediate of testca.BYO as
// a CA would for a TLS server: the request's SANs copied, serverAuth and
// clientAuth, digitalSignature (and keyEncipherment for RSA keys). It
// returns the leaf's PEM file.
func opensslSign(t *testing.T, ca, csr string, serial int, rsa bool) string {
	t.Helper()
	usage := "digitalSignature"
	if rsa {
		usage += ",keyEncipherment"
	}
	ext := filepath.Join(t.TempDir(), "leaf.ext")
	os.WriteFile(ext, []byte("basicConstraints=critical,CA:false\nkeyUsage=critical,"+usage+
		"\nextendedKeyUsage=serverAuth,clientAuth\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n"), 0o644)
	leaf := filepath.Join(t.TempDir(), "leaf.pem")
	args := []string{"x509", "-req", "-in", csr, "-CA", filepath.Join(ca, "int.pem"), "-CAkey", filepath.Join(ca, "int.key"),
		"-set_serial", fmt.Sprint(serial), "-days", "200", "-copy_extensions", "copy", "-extfile", ext, "-out", leaf}
	if out, err := exec.Command("openssl", args...).CombinedOutput(); err != nil {
		t.Fatalf("openssl %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return leaf
}

// concat writes the files one after the other into a new file.
func concat(t *testing.T, files ...string) string {
	t.Helper()
	var all []byte
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, data...)
	}
	out := filepath.Join(t.TempDir(), "chain.pem")
	if err := os.WriteFile(out, all, 0o644); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestCSRRoundTripOpenSSL is the CSR round trip of issue 5 for a JKS and a
// PKCS#12 bundle of examples/multi-product.toml: wso2ks csr, the requests
// signed by an openssl intermediate, wso2ks import-cert for every product
// of prod (mi's chain without the root, which the truststores then hold)
// and for iam of dev. Every imported leaf, taken back out of its store,
// verifies with openssl -x509_strict for each SAN; wso2ks verify passes;
// primary, internal and wssec stores are byte for byte the same; keytool
// and the Java checker (handshakes per SAN against every truststore of the
// environment, Cipher.init for primary and internal) accept the result.
func TestCSRRoundTripOpenSSL(t *testing.T) {
	requireJava(t)
	multi, err := os.ReadFile("../../examples/multi-product.toml")
	if err != nil {
		t.Fatal(err)
	}
	var spec interopSpec
	var all []interopStore
	for _, format := range []string{"jks", "pkcs12"} {
		b := generateBundle(t, "csr-"+format, multi, format)
		ca := testca.BYO(t)
		before := map[string][]byte{}
		for _, s := range b.manifest.Stores {
			before[s.Path], _ = os.ReadFile(filepath.Join(b.dir, s.Path))
		}
		wso2ks(t, "csr", b.dir)
		imports := []struct{ env, product string }{{"prod", "iam"}, {"prod", "apim"}, {"prod", "mi"}, {"dev", "iam"}}
		for i, im := range imports {
			csr := filepath.Join(b.dir, im.env, im.product, "tls.csr")
			tls := b.store(t, im.env, im.product, gen.RoleTLS)
			leaf := opensslSign(t, ca, csr, 100+i, !strings.HasPrefix(tls.Key, "ecdsa"))
			chain := concat(t, leaf, filepath.Join(ca, "int.pem"), filepath.Join(ca, "root.pem"))
			if im.product == "mi" {
				chain = concat(t, leaf, filepath.Join(ca, "int.pem"))
			}
			wso2ks(t, "import-cert", b.dir, chain, "--product", im.product, "--env", im.env)
		}
		wso2ks(t, "verify", b.dir)
		b = loadBundle(t, "csr-"+format, b.dir)
		for _, s := range b.manifest.Stores {
			data, err := os.ReadFile(filepath.Join(b.dir, s.Path))
			if err != nil {
				t.Fatal(err)
			}
			imported := s.Role == gen.RoleTLS && (s.Env == "prod" || s.Product == "iam")
			switch {
			case imported:
				checkImportedLeaf(t, b, s, data, ca)
			case s.Role == gen.RoleTruststore:
				if s.Env == "prod" && !strings.Contains(strings.Join(s.Entries, ","), "iam-tls-ca") {
					t.Errorf("%s: entries %v; want iam-tls-ca", s.Path, s.Entries)
				}
			case !bytes.Equal(data, before[s.Path]):
				t.Errorf("%s changed; want it byte for byte the same", s.Path)
			}
		}
		s := b.interopSpecFor(t)
		spec.Stores = append(spec.Stores, s.Stores...)
		spec.Handshakes = append(spec.Handshakes, s.Handshakes...)
		all = append(all, s.Stores...)
	}
	keytoolListAll(t, all)
	out := passInterop(t, spec, "imported bundles")
	for _, want := range []string{"cipher RSA/ECB/PKCS1Padding", "tls single key entry", "negative control"} {
		if !strings.Contains(out, want) {
			t.Errorf("checker output has no %q check", want)
		}
	}
	if n := strings.Count(out, "\nOK handshake."); n < len(spec.Handshakes) {
		t.Errorf("only %d handshake checks for %d handshakes", n, len(spec.Handshakes))
	}
}

// store returns the manifest entry of product's store of role in env.
func (b *interopBundle) store(t *testing.T, env, product, role string) bundle.ManifestStore {
	t.Helper()
	for _, s := range b.manifest.Stores {
		if s.Env == env && s.Product == product && s.Role == role {
			return s
		}
	}
	t.Fatalf("%s: no %s store of %s in %s", b.name, role, product, env)
	return bundle.ManifestStore{}
}

// checkImportedLeaf checks an imported tls store: [leaf, intermediate,
// root] of testca.BYO, the manifest naming the leaf, and the leaf verifying
// with openssl -x509_strict as a TLS server for each SAN.
func checkImportedLeaf(t *testing.T, b *interopBundle, s bundle.ManifestStore, data []byte, ca string) {
	t.Helper()
	st, err := keystore.Decode(keystore.Format(s.Type), data, b.secrets[s.Env][gen.PasswordVar(s.Product, s.Role)])
	if err != nil {
		t.Fatalf("%s: %v", s.Path, err)
	}
	chain := st.Keys[0].Chain
	root, _ := os.ReadFile(filepath.Join(ca, "root.pem"))
	mid, _ := os.ReadFile(filepath.Join(ca, "int.pem"))
	if len(chain) != 3 || !bytes.Equal(pemOf(chain[1].Raw), mid) || !bytes.Equal(pemOf(chain[2].Raw), root) {
		t.Errorf("%s: chain of %d; want [leaf, intermediate, root]", s.Path, len(chain))
		return
	}
	if s.Subject != chain[0].Subject.String() || s.NotAfter != chain[0].NotAfter.UTC().Format(time.RFC3339) {
		t.Errorf("%s: manifest subject %s, not_after %s; want the leaf's", s.Path, s.Subject, s.NotAfter)
	}
	leaf := filepath.Join(t.TempDir(), "leaf.pem")
	os.WriteFile(leaf, pemOf(chain[0].Raw), 0o600)
	for _, host := range s.SANs {
		args := []string{"verify", "-x509_strict", "-CAfile", filepath.Join(ca, "root.pem"), "-untrusted", filepath.Join(ca, "int.pem"),
			"-purpose", "sslserver", "-verify_hostname", host, leaf}
		ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
		out, err := exec.CommandContext(ctx, "openssl", args...).CombinedOutput()
		cancel()
		if err != nil || !strings.HasSuffix(strings.TrimSpace(string(out)), ": OK") {
			t.Errorf("openssl %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}

func pemOf(der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}
