package k8s

import (
	"bytes"
	"path"
	"path/filepath"
	"testing"

	"github.com/wso2ks/wso2ks/internal/testkit"
)

// TestK8sGolden pins the YAML itself: layout, quoting, base64 on one line,
// the snippet as a block scalar in a ConfigMap.
func TestK8sGolden(t *testing.T) {
	b := testkit.FakeBundle(testkit.FakeProduct{Env: "dev", Name: "iam", Plain: true}, testkit.FakeProduct{Env: "prod", Name: "iam", Plain: false})
	// As if prod were in vault mode: the secure vault's files join the snippet.
	testkit.SetFile(b, "prod/iam/repository/conf/security/secret-conf.properties", []byte("secVault.enabled=true\n"))
	testkit.SetFile(b, "prod/iam/repository/conf/security/cipher-text.properties", []byte("iam_tls_password=QUJD\n"))
	out, err := Manifests(b, Options{Namespace: "wso2"})
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, f := range b.Files {
		files[path.Base(f.Path)] = f.Data
	}
	for _, f := range out {
		testkit.Golden(t, filepath.Join("testdata", f.Path), f.Data)
		if doc, values := testkit.DecodeK8s(t, f.Path, f.Data); doc.Kind == "ConfigMap" {
			for k, v := range values {
				if !bytes.Equal(v, files[k]) {
					t.Errorf("%s: %s does not decode to the bundle's file", f.Path, k)
				}
			}
		}
	}
	b.Manifest.Stores = b.Manifest.Stores[:3]
	out, err = Manifests(b, Options{})
	if err != nil {
		t.Fatal(err)
	}
	testkit.Golden(t, filepath.Join("testdata", "no-namespace.yaml"), out[0].Data)
}
