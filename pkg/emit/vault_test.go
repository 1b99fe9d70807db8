package emit

import (
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/internal/testkit"
	"github.com/wso2ks/wso2ks/pkg/gen"
)

// TestSecretConfGolden: secret-conf.properties of every product family names its cipher store
// relative to the home, though the topology gives install_dir: the home can move.
func TestSecretConfGolden(t *testing.T) {
	plan := testkit.Plan(t, testkit.Snippets)
	for _, env := range plan.Environments {
		if env.Name != "vault" {
			continue
		}
		for i := range env.Products {
			p := &env.Products[i]
			t.Run(p.Name, func(t *testing.T) {
				got := secretConf(env.Name, p)
				testkit.Golden(t, filepath.Join("testdata", "vault", p.Name+"-secret-conf.properties"), got)
				want := "\nkeystore.identity.location=" + path.Join(gen.SecurityDir, p.Store(p.Vault.CipherRole).FileName) + "\n"
				if !strings.Contains(string(got), want) || p.InstallDir == "" {
					t.Errorf("want %q (install_dir %q):\n%s", want, p.InstallDir, got)
				}
			})
		}
	}
}
