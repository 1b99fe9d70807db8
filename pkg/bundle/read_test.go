package bundle_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/internal/testkit"
	"github.com/wso2ks/wso2ks/pkg/bundle"
)

// TestReadBundleErrors: a directory that is not a complete bundle is
// refused with ErrBundle and a message that names the file.
func TestReadBundleErrors(t *testing.T) {
	good := testkit.FakeBundle(testkit.FakeProduct{Env: "dev", Name: "iam", Plain: false})
	m, err := good.Manifest.Encode()
	if err != nil {
		t.Fatal(err)
	}
	good.Files = append(good.Files, bundle.File{Path: bundle.ManifestName, Data: m})
	for _, tt := range []struct {
		name  string
		setup func(dir string)
		want  string // DIR stands for the bundle directory
	}{
		{"missing", func(dir string) { os.RemoveAll(dir) },
			"DIR: no such bundle directory; give the directory 'wso2ks generate -o' wrote"},
		{"a file", func(dir string) { os.RemoveAll(dir); os.WriteFile(dir, nil, 0o600) },
			"DIR is a file, not a bundle directory"},
		{"no manifest", func(dir string) { os.Remove(filepath.Join(dir, bundle.ManifestName)) },
			"DIR has no manifest.json; give the directory 'wso2ks generate -o' wrote"},
		{"corrupt manifest", func(dir string) {
			os.WriteFile(filepath.Join(dir, bundle.ManifestName), []byte("{\n  \"stores\": [\n    {,\n"), 0o600)
		},
			"DIR/manifest.json:3: invalid character ',' looking for beginning of object key string; regenerate the bundle with 'wso2ks generate'"},
		{"manifest of the wrong shape", func(dir string) {
			os.WriteFile(filepath.Join(dir, bundle.ManifestName), []byte(`{"stores": {}}`), 0o600)
		},
			"DIR/manifest.json: json: cannot unmarshal object into Go struct field Manifest.stores of type []bundle.ManifestStore; regenerate the bundle with 'wso2ks generate'"},
		{"manifest names a bad path", func(dir string) {
			os.WriteFile(filepath.Join(dir, bundle.ManifestName), []byte(`{"stores": [{"env": "dev", "product": "iam", "role": "tls", "path": "../../etc/passwd"}]}`), 0o600)
		}, `DIR/manifest.json: store 1: path "../../etc/passwd" is not inside dev/iam/; restore manifest.json, or regenerate the bundle with 'wso2ks generate'`},
		{"store missing", func(dir string) { os.Remove(filepath.Join(dir, "dev/iam/repository/resources/security/tls.p12")) },
			"DIR/dev/iam/repository/resources/security/tls.p12 is missing; regenerate the bundle with 'wso2ks generate'"},
		{"store is a link", func(dir string) {
			p := filepath.Join(dir, "dev/iam/repository/resources/security/tls.p12")
			os.Remove(p)
			os.Symlink("primary.p12", p)
		}, "DIR/dev/iam/repository/resources/security/tls.p12 is not a regular file; a bundle holds only the files 'wso2ks generate' writes"},
		{"directory linked outside", func(dir string) {
			p := filepath.Join(dir, "dev/iam/repository")
			os.RemoveAll(p)
			os.Symlink(t.TempDir(), p)
		}, "escapes"},
		{"secrets.env missing", func(dir string) { os.Remove(filepath.Join(dir, "dev", bundle.SecretsName)) },
			"DIR/dev/secrets.env is missing; regenerate the bundle with 'wso2ks generate'"},
		{"snippet missing", func(dir string) { os.Remove(filepath.Join(dir, "dev/iam", bundle.SnippetName)) },
			"DIR/dev/iam/deployment.snippet.toml is missing; regenerate the bundle with 'wso2ks generate'"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "b")
			if err := good.Write(dir, false); err != nil {
				t.Fatal(err)
			}
			tt.setup(dir)
			_, err := bundle.Read(dir)
			want := strings.ReplaceAll(tt.want, "DIR", dir)
			if tt.name == "directory linked outside" {
				// os.Root's own error: not a bundle mistake wso2ks words, but refused.
				if err == nil || !strings.Contains(err.Error(), want) {
					t.Fatalf("err = %v, want one that says %q", err, want)
				}
				return
			}
			if err == nil || err.Error() != want || !errors.Is(err, bundle.ErrBundle) {
				t.Fatalf("err = %v\nwant %s", err, want)
			}
		})
	}
	dir := filepath.Join(t.TempDir(), "b")
	if err := good.Write(dir, false); err != nil {
		t.Fatal(err)
	}
	b, err := bundle.Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Files) != len(good.Files) || len(b.Manifest.Stores) != 3 {
		t.Errorf("read %d files and %d stores, want %d and 3", len(b.Files), len(b.Manifest.Stores), len(good.Files))
	}
}
