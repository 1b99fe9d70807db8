package lifecycle

import (
	"crypto"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"testing"

	"github.com/wso2ks/wso2ks/internal/testkit"
	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/emit"
	"github.com/wso2ks/wso2ks/pkg/gen"
	"github.com/wso2ks/wso2ks/pkg/keystore"
)

// What the tests of commands that change a bundle on disk share.

// writeBuilt builds topology and writes the bundle to a new directory.
func writeBuilt(t *testing.T, topology string) string {
	t.Helper()
	b, err := emit.Build(testkit.Plan(t, topology), emit.BuildOptions{Rand: testkit.Rand(3), Now: testkit.Now})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "ks")
	if err := b.Write(dir, false); err != nil {
		t.Fatal(err)
	}
	return dir
}

// storeState is what renew may or may not change in one store file.
type storeState struct {
	data    []byte
	key     crypto.PublicKey
	sha256  string
	aliases []string          // truststores
	trusted map[string]string // alias → sha256, truststores
}

// snapshot decodes every store of the bundle at dir.
func snapshot(t *testing.T, dir string) (bundle.Manifest, map[string]storeState) {
	t.Helper()
	b, err := bundle.Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, f := range b.Files {
		files[f.Path] = f.Data
	}
	out := map[string]storeState{}
	for _, s := range b.Manifest.Stores {
		pw := testkit.Secrets(t, files[path.Join(s.Env, bundle.SecretsName)])[gen.PasswordVar(s.Product, s.Role)]
		got, err := keystore.Decode(keystore.Format(s.Type), files[s.Path], pw)
		if err != nil {
			t.Fatalf("%s: %v", s.Path, err)
		}
		st := storeState{data: files[s.Path], trusted: map[string]string{}}
		if len(got.Keys) == 1 {
			sum := sha256.Sum256(got.Keys[0].Chain[0].Raw)
			st.key, st.sha256 = got.Keys[0].Key.Public(), hex.EncodeToString(sum[:])
		}
		for _, e := range got.Trusted {
			sum := sha256.Sum256(e.Cert.Raw)
			st.aliases = append(st.aliases, e.Alias)
			st.trusted[e.Alias] = hex.EncodeToString(sum[:])
		}
		out[s.Path] = st
	}
	return b.Manifest, out
}

// files reads every file below dir by its slash path.
func files(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)], err = os.ReadFile(p)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
