package lifecycle

import (
	"bytes"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wso2ks/wso2ks/internal/testkit"
	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/gen"
)

// twoEnvs is iam and mi in dev and prod, each with its own tls store;
// issuer is the [tls] table's issuer line, or "".
func twoEnvs(issuer string) string {
	return strings.Replace(testkit.InternalCA, `issuer = "internal-ca"`, issuer, 1) + `
[environment.dev]
[environment.prod]
`
}

// TestRenewSelected: a renewal with --env and --product re-issues the tls
// certificates of the selected stores only (at day 380 only tls is due).
// Self-signed, every truststore of a selected environment trusts them and
// follows; CA-signed, the truststores hold the CA and do not change, nor
// do the CA's files. Every other file stays byte for byte the same, and a
// second run of the same selection has nothing to do.
func TestRenewSelected(t *testing.T) {
	for _, ca := range []bool{false, true} {
		for _, tc := range []struct {
			name           string
			envs, products []string
			want           []string // env/product of the renewed tls stores
		}{
			{"env", []string{"prod"}, nil, []string{"prod/iam", "prod/mi"}},
			{"product", nil, []string{"mi"}, []string{"dev/mi", "prod/mi"}},
			{"both", []string{"prod"}, []string{"iam"}, []string{"prod/iam"}},
			{"repeated", []string{"prod", "dev"}, []string{"mi", "iam"}, []string{"dev/iam", "dev/mi", "prod/iam", "prod/mi"}},
		} {
			name := tc.name
			issuer := ""
			if ca {
				name, issuer = "ca/"+name, `issuer = "internal-ca"`
			}
			t.Run(name, func(t *testing.T) {
				dir := writeBuilt(t, twoEnvs(issuer))
				m0, _ := snapshot(t, dir)
				before := files(t, dir)
				now := testkit.Now.AddDate(0, 0, 380)
				opt := RenewOptions{Now: now, Rand: testkit.Rand(4), Within: 30 * 24 * time.Hour, Envs: tc.envs, Products: tc.products}
				b, renewed, err := Renew(dir, opt)
				if err != nil {
					t.Fatal(err)
				}
				if err := b.Write(dir, true); err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, r := range renewed {
					if r.Role != gen.RoleTLS || len(r.Paths) != 1 {
						t.Errorf("renewed %+v; want one tls store", r)
					}
					got = append(got, strings.Join(strings.SplitN(r.Paths[0], "/", 3)[:2], "/"))
				}
				if slices.Sort(got); !slices.Equal(got, tc.want) {
					t.Errorf("renewed %v; want %v", got, tc.want)
				}
				sel := selection{tc.envs, tc.products}
				changes := map[string]bool{bundle.ManifestName: true}
				for _, s := range m0.Stores {
					changes[s.Path] = s.Role == gen.RoleTLS && sel.has(s) || !ca && s.Role == gen.RoleTruststore && sel.hasEnv(s.Env)
				}
				after := files(t, dir)
				for p, data := range before {
					if changed := !bytes.Equal(data, after[p]); changed != changes[p] {
						t.Errorf("%s changed: %v; want %v", p, changed, changes[p])
					}
				}
				if b, r, err := Renew(dir, opt); b != nil || r != nil || err != nil {
					t.Errorf("second run: bundle %v, renewed %v, err %v; want nothing", b != nil, r, err)
				}
			})
		}
	}
}

// TestRenewShared: a tls store every product shares is one certificate; a
// selection of some of its products is refused, naming what to add, and
// one of all of them renews it.
func TestRenewShared(t *testing.T) {
	dir := writeBuilt(t, testkit.TwoProducts)
	opt := RenewOptions{Now: testkit.Now.AddDate(0, 0, 380), Rand: testkit.Rand(4), Within: 30 * 24 * time.Hour, Products: []string{"iam"}}
	want := filepath.Join(dir, "manifest.json") + ": the tls certificate of default/iam is also the one of default/apim (one store shared); renew them together: add --product apim"
	if b, r, err := Renew(dir, opt); b != nil || r != nil || !errors.Is(err, gen.ErrInput) || err.Error() != want {
		t.Errorf("bundle %v, renewed %v, err %v; want nothing and\n%s", b != nil, r, err, want)
	}
	opt.Products = []string{"apim", "iam"}
	if _, r, err := Renew(dir, opt); err != nil || len(r) != 1 || len(r[0].Paths) != 2 {
		t.Errorf("renewed %+v, err %v; want the shared certificate in two stores", r, err)
	}
}

// TestRenewSelectionRefused: names the manifest does not have are refused
// as every command refuses them (gen.NoName, gen.NoPair).
func TestRenewSelectionRefused(t *testing.T) {
	m := bundle.Manifest{Stores: []bundle.ManifestStore{
		{Env: "dev", Product: "iam"}, {Env: "dev", Product: "mi"}, {Env: "prod", Product: "iam"},
	}}
	file := filepath.Join("ks", "manifest.json")
	for _, tc := range []struct {
		name           string
		envs, products []string
		want           string
	}{
		{"env", []string{"dev", "prd"}, nil, file + `: no environment "prd"; did you mean "prod"? give --env one of: dev, prod`},
		{"product", nil, []string{"iamm"}, file + `: no product "iamm"; did you mean "iam"? give --product one of: iam, mi`},
		{"product of the env", []string{"prod"}, []string{"xyz"}, file + `: no product "xyz"; give --product one of: iam`},
		{"pair", []string{"prod"}, []string{"iam", "mi"}, file + `: no product "mi" in environment "prod"; give --env and --product one of the pairs: dev/iam, dev/mi, prod/iam`},
		{"env first", []string{"qa"}, []string{"nope"}, file + `: no environment "qa"; give --env one of: dev, prod`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := selection{tc.envs, tc.products}.check("ks", m)
			if !errors.Is(err, gen.ErrInput) || err.Error() != tc.want {
				t.Errorf("got %v\nwant %s", err, tc.want)
			}
		})
	}
	if err := (selection{[]string{"prod", "dev"}, []string{"mi"}}).check("ks", m); err != nil {
		t.Errorf("mi in one of the environments: %v; want it accepted", err)
	}
}
