// Package testkit holds what the tests of several wso2ks packages share: a
// seeded random source and a fixed clock, plans of test topologies, golden
// files with -update, a bundle without keys for the readers of bundles, and
// loopback TLS servers of a bundle's tls stores (tlsserve.go). Only tests
// import it; the certificate authorities tests sign with are internal/testca's.
// It imports gen, bundle and keystore, so their own tests (and certs', which
// those import) cannot use it.
package testkit

import (
	"bytes"
	_ "embed"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wso2ks/wso2ks/internal/testca"
	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/gen"
	"sigs.k8s.io/yaml"
)

// Now is the injected clock of builds in tests.
var Now = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)

// Rand is a random source that gives the same bytes for the same seed
// (testca.Rand, which the tests below testkit's imports use).
func Rand(seed byte) *rand.ChaCha8 { return testca.Rand(seed) }

// Plan loads and plans every environment of a topology.
func Plan(t testing.TB, topology string) *gen.Plan {
	t.Helper()
	cfg, err := gen.Load(gen.Source{Name: "t.toml", Data: []byte(topology)})
	if err != nil {
		t.Fatal(err)
	}
	plan, err := cfg.Plan(nil)
	if err != nil {
		t.Fatal(err)
	}
	return plan
}

// TwoProducts is a topology of IS 7.1 and APIM 4.5 sharing one tls store,
// all self-signed.
const TwoProducts = `
[subject]
organization = "Example Corp"
[defaults]
public_cas = false
[tls]
shared = true
[[product]]
name = "iam"
kind = "wso2is"
version = "7.1.0"
hostnames = ["iam.example.com"]
instances = ["iam-0"]
[[product]]
name = "apim"
kind = "wso2am"
version = "4.5.0"
hostnames = ["api.example.com"]
format = "pkcs12"
`

// InternalCA is a topology of IS 7.1 (with WS-Security) and MI 4.4 whose
// tls certificates an internal CA signs.
const InternalCA = `
[subject]
organization = "Example Corp"
[defaults]
public_cas = false
[tls]
issuer = "internal-ca"
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
`

// Snippets is a topology whose products between them take every branch of
// the snippet templates: IS 7.0 and 7.1, APIM 4.5 and 4.7, MI 4.1 and 4.4.
//
//go:embed snippets.toml
var Snippets string

// ReadFile reads a file the test needs, failing the test when it cannot.
func ReadFile(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// SameJSON reports whether a and b encode to the same JSON: equal as
// manifest.json would show them (nil and empty lists alike).
func SameJSON(a, b any) bool {
	x, errA := json.Marshal(a)
	y, errB := json.Marshal(b)
	return errA == nil && errB == nil && bytes.Equal(x, y)
}

// Secrets reads the NAME=value lines of a secrets.env wso2ks wrote (its
// generated values need no quoting), without the reader under test.
func Secrets(t testing.TB, data []byte) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, line := range strings.Split(string(data), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			t.Fatalf("secrets.env line %q is not NAME=value", line)
		}
		out[k] = v
	}
	return out
}

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// Updating reports whether the test run was given -update: a test that
// writes more than golden files rewrites them too.
func Updating() bool { return *update }

// Golden compares got with the file, or rewrites it with -update.
func Golden(t testing.TB, file string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it):\n%s", file, Diff(string(want), string(got)))
	}
}

// Diff shows the first lines where want and got part.
func Diff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < max(len(w), len(g)) && shown < 10; i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			fmt.Fprintf(&b, "line %d:\n- %s\n+ %s\n", i+1, wl, gl)
			shown++
		}
	}
	return b.String()
}

// FakeProduct is one product of a FakeBundle.
type FakeProduct struct {
	Env, Name string
	Plain     bool // passwords in the snippet, as password_mode = "plain"
}

// FakeBundle is a bundle without keys, for tests that need no real store:
// each store holds its own path and a few binary bytes, and passwords are
// fixed. It has no manifest.json file; its Manifest lists the stores.
func FakeBundle(ps ...FakeProduct) *bundle.Bundle {
	b := &bundle.Bundle{}
	secrets := map[string]*strings.Builder{}
	var envs []string
	for i, p := range ps {
		if secrets[p.Env] == nil {
			secrets[p.Env] = &strings.Builder{}
			secrets[p.Env].WriteString("# wso2ks: keystore passwords\n")
			envs = append(envs, p.Env)
		}
		snippet := fmt.Sprintf("# wso2ks: keystores for WSO2 Identity Server 7.1.0, product %q, environment %q.\n", p.Name, p.Env)
		for _, role := range []string{gen.RolePrimary, gen.RoleTLS, gen.RoleTruststore} {
			file := role + ".p12"
			if role == gen.RoleTruststore {
				file = "client-truststore.p12"
			}
			p12 := path.Join(p.Env, p.Name, gen.SecurityDir, file)
			b.Files = append(b.Files, bundle.File{Path: p12, Data: []byte(p12 + "\x00\xff\n")})
			b.Manifest.Stores = append(b.Manifest.Stores, bundle.ManifestStore{Env: p.Env, Product: p.Name, Role: role, Path: p12, Type: "PKCS12"})
			v := gen.PasswordVar(p.Name, role)
			pw := fmt.Sprintf("Pw%d%sSecretValue", i, role)
			fmt.Fprintf(secrets[p.Env], "%s=%s\n", v, pw)
			if !p.Plain {
				pw = "$env{" + v + "}"
			}
			snippet += fmt.Sprintf("\n[keystore.%s]\nfile_name = %q\npassword = %q\n", role, file, pw)
		}
		b.Files = append(b.Files, bundle.File{Path: path.Join(p.Env, p.Name, bundle.SnippetName), Data: []byte(snippet + "\n")})
	}
	for _, env := range envs {
		b.Files = append(b.Files, bundle.File{Path: path.Join(env, bundle.SecretsName), Data: []byte(secrets[env].String())})
	}
	return b
}

// SetFile gives the file name of b data, adding it if b has none; nil
// data removes it.
func SetFile(b *bundle.Bundle, name string, data []byte) {
	for i := range b.Files {
		if b.Files[i].Path == name {
			if data == nil {
				b.Files = slices.Delete(b.Files, i, i+1)
			} else {
				b.Files[i].Data = data
			}
			return
		}
	}
	b.Files = append(b.Files, bundle.File{Path: name, Data: data})
}

// FileOf returns the bytes of b's file name, failing the test when b has
// none.
func FileOf(t testing.TB, b *bundle.Bundle, name string) []byte {
	t.Helper()
	for _, f := range b.Files {
		if f.Path == name {
			return slices.Clone(f.Data)
		}
	}
	t.Fatalf("the bundle has no %s", name)
	return nil
}

// K8sDoc is what the tests decode a manifest into, with the JSON field
// names of Kubernetes' core/v1 types. sigs.k8s.io/yaml is the YAML reader
// kubectl and the API machinery use.
type K8sDoc struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Metadata   struct {
		Name      string            `json:"name"`
		Namespace string            `json:"namespace,omitempty"`
		Labels    map[string]string `json:"labels"`
	} `json:"metadata"`
	Type string            `json:"type,omitempty"`
	Data map[string]string `json:"data"`
}

// DecodeK8s reads one manifest strictly (unknown fields and duplicate keys
// are errors) and decodes Secret data from base64.
func DecodeK8s(t testing.TB, name string, data []byte) (K8sDoc, map[string][]byte) {
	t.Helper()
	var doc K8sDoc
	if err := yaml.UnmarshalStrict(data, &doc); err != nil {
		t.Fatalf("%s does not decode: %v", name, err)
	}
	values := map[string][]byte{}
	for k, v := range doc.Data {
		if doc.Kind != "Secret" {
			values[k] = []byte(v)
			continue
		}
		raw, err := base64.StdEncoding.Strict().DecodeString(v)
		if err != nil {
			t.Fatalf("%s: data %q is not base64: %v", name, k, err)
		}
		values[k] = raw
	}
	return doc, values
}
