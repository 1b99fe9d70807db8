package k8s

import (
	"bytes"
	"fmt"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/internal/testkit"
	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/emit"
	"github.com/wso2ks/wso2ks/pkg/gen"
)

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
	b, err := emit.Build(testkit.Plan(t, k8sTopology), emit.BuildOptions{Rand: testkit.Rand(5), Now: testkit.Now})
	if err != nil {
		t.Fatal(err)
	}
	out, err := Manifests(b, Options{Namespace: "wso2-dev"})
	if err != nil {
		t.Fatal(err)
	}
	inBundle := b.FileMap()
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
		doc, values := testkit.DecodeK8s(t, f.Path, f.Data)
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
	again, err := Manifests(b, Options{Namespace: "wso2-dev"})
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
	fromDisk, err := Manifests(read, Options{Namespace: "wso2-dev"})
	if err != nil || !sameFiles(fromDisk, out) {
		t.Errorf("manifests of the bundle read from disk differ (%v)", err)
	}
}

func sameFiles(a, b []bundle.File) bool {
	return slices.EqualFunc(a, b, func(x, y bundle.File) bool { return x.Path == y.Path && bytes.Equal(x.Data, y.Data) })
}
