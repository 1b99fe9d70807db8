package gen

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestSharedTLS(t *testing.T) {
	const doc = `[subject]
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
instances = ["iam-0.internal"]
[[product]]
name = "apim"
kind = "wso2am"
version = "4.5.0"
hostnames = ["api.example.com", "IAM.example.com"]
instances = ["apim-0.internal"]
[environment.dev]
[environment.prod]
`
	cfg, err := Load(Source{Name: "topology.toml", Data: []byte(doc)})
	if err != nil {
		t.Fatal(err)
	}
	plan := mustPlan(t, cfg)
	for _, env := range plan.Environments {
		iam, apim := findProduct(t, &env, "iam"), findProduct(t, &env, "apim")
		a, b := mustStore(t, iam, RoleTLS), mustStore(t, apim, RoleTLS)
		want := env.Name + "/shared/tls"
		if a.KeyID != want || b.KeyID != want {
			t.Errorf("%s: tls KeyIDs %q and %q, want %q", env.Name, a.KeyID, b.KeyID, want)
		}
		wantSANs := []string{"iam.example.com", "api.example.com", "iam-0.internal", "apim-0.internal", "localhost"}
		for _, s := range []*Store{a, b} {
			if !slices.Equal(s.SANs, wantSANs) {
				t.Errorf("%s: SANs %q, want %q", env.Name, s.SANs, wantSANs)
			}
			if !slices.Equal(s.SharedBy, []string{"iam", "apim"}) {
				t.Errorf("%s: SharedBy %q", env.Name, s.SharedBy)
			}
			if s.Subject != "CN=iam.example.com,O=Example Corp" {
				t.Errorf("%s: subject %q", env.Name, s.Subject)
			}
		}
		// Only tls is shared.
		if mustStore(t, iam, RolePrimary).KeyID != env.Name+"/iam/primary" || mustStore(t, apim, RolePrimary).KeyID != env.Name+"/apim/primary" {
			t.Errorf("%s: primary keys shared", env.Name)
		}
		for p, want := range map[*Product][]string{
			iam:  {"apim-primary", "iam-internal", "iam-primary", "shared-tls"},
			apim: {"apim-internal", "apim-primary", "gateway_certificate_alias", "iam-primary", "shared-tls"},
		} {
			ts := mustStore(t, p, RoleTruststore)
			if got := entryAliases(ts); !slices.Equal(got, want) {
				t.Errorf("%s truststore %q, want %q", p.Dir, got, want)
			}
			for _, e := range ts.Entries {
				if e.Alias == "shared-tls" && e.KeyID != env.Name+"/shared/tls" {
					t.Errorf("%s shared-tls KeyID %q", p.Dir, e.KeyID)
				}
			}
		}
	}

	t.Run("product named shared", func(t *testing.T) {
		doc := "[tls]\nshared = true\n" + topoBase + "[[product]]\nname = \"shared\"\nkind = \"wso2mi\"\nversion = \"4.4.0\"\nhostnames = [\"mi.example.com\"]\n"
		_, err := Load(Source{Name: "topology.toml", Data: []byte(doc)})
		want := "topology.toml:11:1: product name \"shared\" is reserved when [tls] shared = true; rename the product"
		if err == nil || err.Error() != want {
			t.Fatalf("got %v, want %s", err, want)
		}
		if !errors.Is(err, ErrInput) {
			t.Errorf("not ErrInput")
		}
		// Without sharing the name is free.
		doc = strings.Replace(doc, "shared = true", "shared = false", 1)
		if _, err := Load(Source{Name: "topology.toml", Data: []byte(doc)}); err != nil {
			t.Errorf("shared = false: %v", err)
		}
	})
}
