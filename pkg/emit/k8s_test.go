package emit

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/wso2ks/wso2ks/internal/testkit"
	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/gen"
	"sigs.k8s.io/yaml"
)

// k8sDoc is what the tests decode a manifest into, with the JSON field
// names of Kubernetes' core/v1 types. sigs.k8s.io/yaml is the YAML reader
// kubectl and the API machinery use.
type k8sDoc struct {
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

// decodeK8s reads one manifest strictly (unknown fields and duplicate keys
// are errors) and decodes Secret data from base64.
func decodeK8s(t *testing.T, name string, data []byte) (k8sDoc, map[string][]byte) {
	t.Helper()
	var doc k8sDoc
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

// dnsLabel is RFC 1123's label, written out again rather than taken from
// the code under test.
var dnsLabel = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$`)

const k8sTopology = `
[subject]
organization = "Example Corp"
[defaults]
public_cas = false
[[product]]
name = "iam"
kind = "wso2is"
version = "7.1.0"
hostnames = ["iam.${env}.example.com"]
ws_security = true
install_dir = "/opt/wso2is"
[[product]]
name = "mi"
kind = "wso2mi"
version = "4.4.0"
hostnames = ["mi.${env}.example.com"]
install_dir = "/opt/wso2mi"
[environment.dev]
[environment.prod]
password_mode = "env"
[environment.stage]
password_mode = "vault"
`

// TestK8sManifests builds a real bundle (plain passwords in dev, env in
// prod, vault in stage), decodes every manifest back and compares each store, password and
// snippet with the bundle's bytes.
func TestK8sManifests(t *testing.T) {
	b, err := Build(testkit.Plan(t, k8sTopology), BuildOptions{Rand: testkit.Rand(5), Now: testkit.Now})
	if err != nil {
		t.Fatal(err)
	}
	out, err := K8sManifests(b, K8sOptions{Namespace: "wso2-dev"})
	if err != nil {
		t.Fatal(err)
	}
	inBundle := map[string][]byte{}
	for _, f := range b.Files {
		inBundle[f.Path] = f.Data
	}
	var paths []string
	for _, f := range out {
		paths = append(paths, f.Path)
	}
	want := []string{
		"dev/iam-keystores.yaml", "dev/iam-passwords.yaml", "dev/iam-config.yaml",
		"dev/mi-keystores.yaml", "dev/mi-passwords.yaml", "dev/mi-config.yaml",
		"prod/iam-keystores.yaml", "prod/iam-passwords.yaml", "prod/iam-config.yaml",
		"prod/mi-keystores.yaml", "prod/mi-passwords.yaml", "prod/mi-config.yaml",
		"stage/iam-keystores.yaml", "stage/iam-passwords.yaml", "stage/iam-config.yaml",
		"stage/mi-keystores.yaml", "stage/mi-passwords.yaml", "stage/mi-config.yaml",
	}
	if !slices.Equal(paths, want) {
		t.Fatalf("files %v, want %v", paths, want)
	}
	kinds := map[string]string{"iam": "wso2is", "mi": "wso2mi"}
	for _, f := range out {
		env, file := path.Split(f.Path)
		env = strings.TrimSuffix(env, "/")
		product, component, _ := strings.Cut(strings.TrimSuffix(file, ".yaml"), "-")
		doc, values := decodeK8s(t, f.Path, f.Data)
		secrets := testkit.Secrets(t, inBundle[path.Join(env, bundle.SecretsName)])
		wantName := "wso2ks-" + env + "-" + product + "-" + component
		if doc.APIVersion != "v1" || doc.Metadata.Name != wantName || doc.Metadata.Namespace != "wso2-dev" {
			t.Errorf("%s: apiVersion %q name %q namespace %q, want v1 %s wso2-dev", f.Path, doc.APIVersion, doc.Metadata.Name, doc.Metadata.Namespace, wantName)
		}
		if !dnsLabel.MatchString(doc.Metadata.Name) {
			t.Errorf("%s: name %q is not a DNS-1123 label", f.Path, doc.Metadata.Name)
		}
		wantLabels := map[string]string{
			"app.kubernetes.io/component":  component,
			"app.kubernetes.io/managed-by": "wso2ks",
			"app.kubernetes.io/name":       kinds[product],
			"app.kubernetes.io/part-of":    "wso2",
			"wso2ks.io/environment":        env,
			"wso2ks.io/product":            product,
		}
		if fmt.Sprint(doc.Metadata.Labels) != fmt.Sprint(wantLabels) {
			t.Errorf("%s: labels %v, want %v", f.Path, doc.Metadata.Labels, wantLabels)
		}
		wantData := map[string][]byte{}
		switch component {
		case "keystores":
			for _, s := range b.Manifest.Stores {
				if s.Env == env && s.Product == product {
					wantData[path.Base(s.Path)] = inBundle[s.Path]
				}
			}
		case "passwords":
			for _, s := range b.Manifest.Stores {
				if s.Env == env && s.Product == product {
					v := gen.PasswordVar(product, s.Role)
					wantData[v] = []byte(secrets[v])
				}
			}
			if product == "iam" { // IS 7.1: its encryption key too; MI has none
				v := gen.EncryptionKeyVar(product)
				wantData[v] = []byte(secrets[v])
			}
		case "config":
			wantData[bundle.SnippetName] = inBundle[path.Join(env, product, bundle.SnippetName)]
			if env == "stage" {
				dir := map[string]string{"iam": "repository/conf/security", "mi": "conf/security"}[product]
				for _, name := range []string{gen.SecretConfName, gen.CipherTextName} {
					wantData[name] = inBundle[path.Join(env, product, dir, name)]
				}
			}
		}
		wantKind := "Secret"
		if component == "config" && env != "dev" {
			// env mode: the snippet holds only $env{…}; vault mode: $secret{…}
			// and ciphertexts.
			wantKind = "ConfigMap"
		}
		if doc.Kind != wantKind || (wantKind == "Secret") != (doc.Type == "Opaque") {
			t.Errorf("%s: kind %q type %q, want %s", f.Path, doc.Kind, doc.Type, wantKind)
		}
		if len(values) != len(wantData) || len(values) < 1 {
			t.Errorf("%s: data keys %v, want %d", f.Path, sortedKeys(values), len(wantData))
		}
		for k, w := range wantData {
			if len(w) == 0 || !bytes.Equal(values[k], w) {
				t.Errorf("%s: data %q differs from the bundle (%d bytes, want %d)", f.Path, k, len(values[k]), len(w))
			}
		}
		if doc.Kind == "ConfigMap" {
			for _, pw := range secrets {
				if bytes.Contains(f.Data, []byte(pw)) {
					t.Errorf("%s: a ConfigMap holds a password", f.Path)
				}
			}
		}
	}

	// The same inBundle gives the same bytes; read back from disk too.
	again, err := K8sManifests(b, K8sOptions{Namespace: "wso2-dev"})
	if err != nil || !sameFiles(again, out) {
		t.Errorf("a second run differs (%v)", err)
	}
	dir := filepath.Join(t.TempDir(), "bundle")
	if err := b.Write(dir, false); err != nil {
		t.Fatal(err)
	}
	read, err := bundle.Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	fromDisk, err := K8sManifests(read, K8sOptions{Namespace: "wso2-dev"})
	if err != nil || !sameFiles(fromDisk, out) {
		t.Errorf("manifests of the bundle read from disk differ (%v)", err)
	}
}

func sameFiles(a, b []bundle.File) bool {
	return slices.EqualFunc(a, b, func(x, y bundle.File) bool { return x.Path == y.Path && bytes.Equal(x.Data, y.Data) })
}

// TestK8sGolden pins the YAML itself: layout, quoting, base64 on one line,
// the snippet as a block scalar in a ConfigMap.
func TestK8sGolden(t *testing.T) {
	b := testkit.FakeBundle(testkit.FakeProduct{Env: "dev", Name: "iam", Plain: true}, testkit.FakeProduct{Env: "prod", Name: "iam", Plain: false})
	// As if prod were in vault mode: the secure vault's files join the snippet.
	testkit.SetFile(b, "prod/iam/repository/conf/security/secret-conf.properties", []byte("secVault.enabled=true\n"))
	testkit.SetFile(b, "prod/iam/repository/conf/security/cipher-text.properties", []byte("iam_tls_password=QUJD\n"))
	out, err := K8sManifests(b, K8sOptions{Namespace: "wso2"})
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, f := range b.Files {
		files[path.Base(f.Path)] = f.Data
	}
	for _, f := range out {
		testkit.Golden(t, filepath.Join("testdata", "k8s", f.Path), f.Data)
		if doc, values := decodeK8s(t, f.Path, f.Data); doc.Kind == "ConfigMap" {
			for k, v := range values {
				if !bytes.Equal(v, files[k]) {
					t.Errorf("%s: %s does not decode to the bundle's file", f.Path, k)
				}
			}
		}
	}
	b.Manifest.Stores = b.Manifest.Stores[:3]
	out, err = K8sManifests(b, K8sOptions{})
	if err != nil {
		t.Fatal(err)
	}
	testkit.Golden(t, filepath.Join("testdata", "k8s", "no-namespace.yaml"), out[0].Data)
}

func TestK8sNames(t *testing.T) {
	long := strings.Repeat("e", 32)
	for _, tt := range []struct{ env, product, component, want string }{
		{"dev", "iam", "keystores", "wso2ks-dev-iam-keystores"},
		{"prod", "apim", "config", "wso2ks-prod-apim-config"},
		// 63 characters: kept as it is.
		{"abcdefghijklmnopqrstuvwxyz", "abcdefghijklmnopqrs", "keystores", "wso2ks-abcdefghijklmnopqrstuvwxyz-abcdefghijklmnopqrs-keystores"},
		// 64: cut, with a hash of environment and product.
		{"abcdefghijklmnopqrstuvwxyz", "abcdefghijklmnopqrstu", "keystores", "wso2ks-abcdefghijklmnopqrstuvwxyz-abcdefghij-297bebe2-keystores"},
		{long, "identity-server", "passwords", "wso2ks-eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee-iden-d87e858c-passwords"},
		// A cut that ends on '-' drops it.
		{long, "abc-defghijklmnopqrstuvwxyz", "keystores", "wso2ks-eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee-abc-217bb87b-keystores"},
	} {
		got := k8sName(tt.env, tt.product, tt.component)
		if got != tt.want {
			t.Errorf("k8sName(%q, %q, %q) = %q, want %q", tt.env, tt.product, tt.component, got, tt.want)
		}
		if len(got) > 63 || !dnsLabel.MatchString(got) {
			t.Errorf("%q is not a DNS-1123 label", got)
		}
	}
}

// TestK8sLongNames: products whose names only differ past the cut still
// get different names, the same on every run, and a product's three
// objects share its hash.
func TestK8sLongNames(t *testing.T) {
	env := "production-europe-west-blue-one"
	b := testkit.FakeBundle(
		testkit.FakeProduct{Env: env, Name: "identity-server-primary-cluster-a", Plain: false},
		testkit.FakeProduct{Env: env, Name: "identity-server-primary-cluster-b", Plain: false},
		testkit.FakeProduct{Env: "dev", Name: "iam", Plain: false},
	)
	out, err := K8sManifests(b, K8sOptions{})
	if err != nil {
		t.Fatal(err)
	}
	again, _ := K8sManifests(b, K8sOptions{})
	if !sameFiles(out, again) {
		t.Error("two runs differ")
	}
	seen := map[string]string{}
	hashes := map[string]string{}
	for _, f := range out {
		doc, _ := decodeK8s(t, f.Path, f.Data)
		name := doc.Metadata.Name
		if !dnsLabel.MatchString(name) || len(name) > 63 {
			t.Errorf("%s: name %q is not a DNS-1123 label", f.Path, name)
		}
		if prev, dup := seen[name]; dup {
			t.Errorf("%s and %s share the name %s", prev, f.Path, name)
		}
		seen[name] = f.Path
		product := doc.Metadata.Labels["wso2ks.io/product"]
		if product == "iam" {
			continue
		}
		parts := strings.Split(name, "-")
		hash := parts[len(parts)-2]
		if len(hash) != 8 || !strings.HasPrefix(name, "wso2ks-production-europe-west-blue-one-") {
			t.Errorf("%s: shortened name %q lacks its prefix or hash", f.Path, name)
		}
		if h, ok := hashes[product]; ok && h != hash {
			t.Errorf("%s: hash %s, other objects of %s have %s", f.Path, hash, product, h)
		}
		hashes[product] = hash
	}
	if len(hashes) != 2 || hashes["identity-server-primary-cluster-a"] == hashes["identity-server-primary-cluster-b"] {
		t.Errorf("hashes %v: want two different", hashes)
	}
}

// TestK8sBadBundle: every broken bundle is refused with an exact message,
// ErrBundle, and no password in the text.
func TestK8sBadBundle(t *testing.T) {
	const store = "dev/iam/repository/resources/security/primary.p12"
	secrets := "# x\nWSO2KS_IAM_PRIMARY_PASSWORD=Pw0primarySecretValue\nWSO2KS_IAM_TLS_PASSWORD=Pw0tlsSecretValue\nWSO2KS_IAM_TRUSTSTORE_PASSWORD=Pw0truststoreSecretValue\n"
	for _, tt := range []struct {
		name   string
		break_ func(b *bundle.Bundle)
		want   string
	}{
		{"no stores", func(b *bundle.Bundle) { b.Manifest.Stores = nil },
			"manifest.json lists no stores; regenerate the bundle with 'wso2ks generate'"},
		{"upper-case environment", func(b *bundle.Bundle) { b.Manifest.Stores[1].Env = "Dev" },
			`manifest.json: store 2: environment "Dev" is not a lower-case name of letters, digits and '-'`},
		{"product with a slash", func(b *bundle.Bundle) { b.Manifest.Stores[0].Product = "iam/x" },
			`manifest.json: store 1: product "iam/x" is not a lower-case name of letters, digits and '-'`},
		{"unknown role", func(b *bundle.Bundle) { b.Manifest.Stores[0].Role = "signing" },
			`manifest.json: store 1: role "signing" is unknown; want one of primary, internal, tls, wssec, truststore`},
		{"path outside the product", func(b *bundle.Bundle) { b.Manifest.Stores[0].Path = "dev/iam/../mi/primary.p12" },
			`manifest.json: store 1: path "dev/iam/../mi/primary.p12" is not inside dev/iam/; restore manifest.json, or regenerate the bundle with 'wso2ks generate'`},
		{"file name not a key", func(b *bundle.Bundle) { b.Manifest.Stores[0].Path = "dev/iam/primary store.p12" },
			`manifest.json: store 1: file name "primary store.p12" cannot be a Kubernetes Secret key (letters, digits, '-', '_' and '.')`},
		{"file name ..x", func(b *bundle.Bundle) { b.Manifest.Stores[0].Path = "dev/iam/..p12" },
			`manifest.json: store 1: file name "..p12" cannot be a Kubernetes Secret key (letters, digits, '-', '_' and '.')`},
		{"two stores, one file name", func(b *bundle.Bundle) { b.Manifest.Stores[1].Path = "dev/iam/x/primary.p12" },
			`manifest.json: store 2: a second store named primary.p12 for product "iam" in environment "dev"`},
		{"store missing", func(b *bundle.Bundle) { testkit.SetFile(b, store, nil) },
			store + " is missing from the bundle"},
		{"secrets.env missing", func(b *bundle.Bundle) { testkit.SetFile(b, "dev/secrets.env", nil) },
			"dev/secrets.env is missing from the bundle"},
		{"password missing", func(b *bundle.Bundle) {
			testkit.SetFile(b, "dev/secrets.env", []byte(strings.Replace(secrets, "WSO2KS_IAM_TLS_", "WSO2KS_IAM_TLZ_", 1)))
		}, "dev/secrets.env has no WSO2KS_IAM_TLS_PASSWORD, the password of dev/iam/repository/resources/security/tls.p12; regenerate the bundle"},
		{"not NAME=value", func(b *bundle.Bundle) { testkit.SetFile(b, "dev/secrets.env", []byte(secrets+"Pw0tlsSecretValue\n")) },
			"dev/secrets.env: line 5 is not NAME=value"},
		{"unclosed quote", func(b *bundle.Bundle) {
			testkit.SetFile(b, "dev/secrets.env", []byte(strings.Replace(secrets, "=Pw0tlsSecretValue", "='Pw0tlsSecretValue", 1)))
		}, "dev/secrets.env: line 3 (WSO2KS_IAM_TLS_PASSWORD): a single quote is not closed"},
		{"empty password", func(b *bundle.Bundle) {
			testkit.SetFile(b, "dev/secrets.env", []byte(strings.Replace(secrets, "=Pw0tlsSecretValue", "=", 1)))
		}, "dev/secrets.env has no WSO2KS_IAM_TLS_PASSWORD, the password of dev/iam/repository/resources/security/tls.p12; regenerate the bundle"},
		{"set twice", func(b *bundle.Bundle) {
			testkit.SetFile(b, "dev/secrets.env", []byte(secrets+"WSO2KS_IAM_TLS_PASSWORD=Pw0tlsSecretValue\n"))
		},
			"dev/secrets.env: line 5: WSO2KS_IAM_TLS_PASSWORD is set twice"},
		{"two vault files of a name", func(b *bundle.Bundle) {
			testkit.SetFile(b, "dev/iam/conf/security/secret-conf.properties", []byte("a=b\n"))
			testkit.SetFile(b, "dev/iam/repository/conf/security/secret-conf.properties", []byte("a=b\n"))
		}, `product "iam" in environment "dev" has two secret-conf.properties; keep the one of its kind`},
		{"encryption key missing", func(b *bundle.Bundle) {
			testkit.SetFile(b, "dev/iam/deployment.snippet.toml", []byte("[encryption]\nkey = \"$env{WSO2KS_IAM_ENCRYPTION_KEY}\"\n"))
		}, "dev/secrets.env has no WSO2KS_IAM_ENCRYPTION_KEY, the encryption key dev/iam/deployment.snippet.toml names; regenerate the bundle, or update it with 'wso2ks generate --update'"},
		{"snippet missing", func(b *bundle.Bundle) { testkit.SetFile(b, "dev/iam/deployment.snippet.toml", nil) },
			"dev/iam/deployment.snippet.toml is missing from the bundle"},
		{"snippet not UTF-8", func(b *bundle.Bundle) {
			testkit.SetFile(b, "dev/iam/deployment.snippet.toml", []byte("a = \"\xff\"\n"))
		},
			`deployment.snippet.toml of product "iam" in environment "dev" is not UTF-8 text`},
		{"vault file not UTF-8", func(b *bundle.Bundle) {
			testkit.SetFile(b, "dev/iam/conf/security/cipher-text.properties", []byte("a=\xff\n"))
		},
			`cipher-text.properties of product "iam" in environment "dev" is not UTF-8 text`},
		{"more than a Secret holds", func(b *bundle.Bundle) { testkit.SetFile(b, store, make([]byte, 1<<20)) },
			`the keystores of product "iam" in environment "dev" hold 1048725 bytes, more than the 1048576 a Kubernetes Secret can; leave out the public CAs (public_cas = false) or ship the stores another way`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b := testkit.FakeBundle(testkit.FakeProduct{Env: "dev", Name: "iam", Plain: true})
			tt.break_(b)
			_, err := K8sManifests(b, K8sOptions{})
			if err == nil || err.Error() != tt.want || !errors.Is(err, bundle.ErrBundle) {
				t.Fatalf("err = %v\nwant %s", err, tt.want)
			}
			if strings.Contains(err.Error(), "SecretValue") {
				t.Error("the error shows a password")
			}
		})
	}
	t.Run("quoted password", func(t *testing.T) {
		// A supplied password with shell characters is single-quoted in
		// secrets.env; the Secret holds the password itself.
		b := testkit.FakeBundle(testkit.FakeProduct{Env: "dev", Name: "iam", Plain: false})
		testkit.SetFile(b, "dev/secrets.env", []byte(strings.Replace(secrets, "=Pw0tlsSecretValue", `='it'\''s $ecret'`, 1)))
		out, err := K8sManifests(b, K8sOptions{})
		if err != nil {
			t.Fatal(err)
		}
		_, values := decodeK8s(t, out[1].Path, out[1].Data)
		if got := string(values["WSO2KS_IAM_TLS_PASSWORD"]); got != "it's $ecret" {
			t.Errorf("%s: password %q", out[1].Path, got)
		}
	})
	t.Run("names collide", func(t *testing.T) {
		b := testkit.FakeBundle(testkit.FakeProduct{Env: "dev", Name: "us-iam", Plain: false}, testkit.FakeProduct{Env: "dev-us", Name: "iam", Plain: false})
		_, err := K8sManifests(b, K8sOptions{})
		want := `dev/us-iam and dev-us/iam both give the Kubernetes name "wso2ks-dev-us-iam-keystores"; rename an environment or a product`
		if err == nil || err.Error() != want || !errors.Is(err, bundle.ErrBundle) {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("bad namespace", func(t *testing.T) {
		for _, ns := range []string{"Prod", "-a", "a_b", "a.b", strings.Repeat("a", 64)} {
			_, err := K8sManifests(testkit.FakeBundle(testkit.FakeProduct{Env: "dev", Name: "iam", Plain: true}), K8sOptions{Namespace: ns})
			if err == nil || err.Error() != fmt.Sprintf("namespace %q is not a DNS-1123 label", ns) {
				t.Errorf("namespace %q: err = %v", ns, err)
			}
		}
		if !bundle.ValidName(strings.Repeat("a", 63)) || !bundle.ValidName("0") || bundle.ValidName("") {
			t.Error("bundle.ValidName is wrong at its bounds")
		}
	})
}

// yamlCases are strings that trip up hand-written YAML.
var yamlCases = []string{
	"", "a", "a\n", "a\n\n", "a\n\n\n", "\na\n", "\n\n", "  lead\n", "trail \n", " ", "tab\there\n",
	"crlf\r\n", "# comment\n", "key: value\n", "- item\n", "---\n...\n", "é ü 日本\n", "\u2028\n", "\u0085x",
	"\x00\x7f", "\"quoted\" \\ back\n", "|\n", ">\n", "a\n b\n", "%YAML 1.2\n", "@x\n", "`x\n", "true", "null",
	"~", "1e3", "0x1F", "yes", "-", ".inf", "&a *a !!str", "{[]}", "\ufeffbom\n", "\x1b[31m", "\uffff", "\U0001F600\n",
}

// TestK8sYAMLScalars round-trips awkward keys and values through the YAML
// writer and the reader kubectl uses.
func TestK8sYAMLScalars(t *testing.T) {
	for _, s := range yamlCases {
		checkYAMLRoundTrip(t, s)
	}
}

func FuzzK8sYAMLScalars(f *testing.F) {
	for _, s := range yamlCases {
		f.Add(s)
	}
	f.Fuzz(checkYAMLRoundTrip)
}

func checkYAMLRoundTrip(t *testing.T, s string) {
	if !utf8.ValidString(s) {
		t.Skip("the writer is given UTF-8 only")
	}
	for _, kind := range []string{"ConfigMap", "Secret"} {
		o := &k8sObject{kind: kind, name: "n", comment: "c", labels: map[string]string{s: s}, data: map[string][]byte{s: []byte(s), "k": []byte(s)}}
		out := o.yaml("ns")
		var doc k8sDoc
		if err := yaml.UnmarshalStrict(out, &doc); err != nil {
			t.Fatalf("%s of %q does not decode: %v\n%s", kind, s, err, out)
		}
		got := doc.Data["k"]
		if kind == "Secret" {
			raw, _ := base64.StdEncoding.DecodeString(got)
			got = string(raw)
		}
		if got != s || doc.Metadata.Labels[s] != s {
			t.Errorf("%s: %q came back as %q (label %q)\n%s", kind, s, got, doc.Metadata.Labels[s], out)
		}
	}
}
