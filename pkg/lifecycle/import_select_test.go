package lifecycle

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/wso2ks/wso2ks/internal/testkit"
	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/gen"
)

// TestImportCertSelection: an --env or --product that names nothing is
// refused as every command refuses it (gen.NoName); a product that is there
// but has no tls store of its own is a refusal of its own, naming those
// that have one. Nothing is returned to write.
func TestImportCertSelection(t *testing.T) {
	dir := writeBuilt(t, testkit.InternalCA)
	manifest := filepath.Join(dir, bundle.ManifestName)
	// A manifest without mi's tls store (not one 'wso2ks generate' writes).
	var m bundle.Manifest
	if err := json.Unmarshal(testkit.ReadFile(t, manifest), &m); err != nil {
		t.Fatal(err)
	}
	m.Stores = slices.DeleteFunc(m.Stores, func(s bundle.ManifestStore) bool { return s.Product == "mi" && s.Role == gen.RoleTLS })
	data, err := m.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(manifest, data, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, env, product string
		want               string
	}{
		{"env", "defualt", "iam", manifest + `: no environment "defualt"; did you mean "default"? give --env one of: default`},
		{"product", "", "im", manifest + `: no product "im"; did you mean "iam"? give --product one of: iam, mi`},
		{"no tls store", "", "mi", manifest + `: product "mi" has no tls store of its own; give --product one of the products with one: iam`},
		{"no tls store in env", "default", "mi", manifest + `: product "mi" has no tls store of its own in environment "default"; give --product one of the products with one: iam`},
	} {
		b, _, err := ImportCert(dir, ImportOptions{Now: testkit.Now, Rand: testkit.Rand(1), Env: tc.env, Product: tc.product, ChainFile: "chain.pem", Chain: []byte("x")})
		if b != nil || !errors.Is(err, gen.ErrInput) || err.Error() != tc.want {
			t.Errorf("%s: err %v\nwant %s", tc.name, err, tc.want)
		}
	}
}
