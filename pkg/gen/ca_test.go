package gen

import (
	"reflect"
	"slices"
	"testing"
)

func TestInternalCA(t *testing.T) {
	const doc = `[subject]
organization = "Example Corp"
country = "LK"
[defaults]
public_cas = false
[tls]
issuer = "internal-ca"
[[product]]
name = "iam"
kind = "wso2is"
version = "7.1.0"
hostnames = ["iam.${env}.example.com"]
ws_security = true
[[product]]
name = "apim"
kind = "wso2am"
version = "4.5.0"
hostnames = ["api.${env}.example.com"]
[environment.dev]
[environment.prod]
`
	cfg, err := Load(Source{Name: "topology.toml", Data: []byte(doc)})
	if err != nil {
		t.Fatal(err)
	}
	plan := mustPlan(t, cfg)
	for _, env := range plan.Environments {
		ca := env.CA
		if ca == nil {
			t.Fatalf("%s: no CA", env.Name)
		}
		want := CA{KeyID: env.Name + "/ca", Subject: "CN=Example Corp " + env.Name + " CA,O=Example Corp,C=LK", Key: "rsa-3072",
			ValidityDays: 3650, Alias: env.Name + "-ca", CertPath: env.Name + "/ca/ca.crt", KeyPath: env.Name + "/ca/ca.key"}
		got := *ca
		got.subject, want.subject = ca.subject, ca.subject
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: CA %+v, want %+v", env.Name, got, want)
		}
		if ca.Name().String() != ca.Subject {
			t.Errorf("%s: Name() %s", env.Name, ca.Name())
		}
		iam, apim := findProduct(t, &env, "iam"), findProduct(t, &env, "apim")
		for _, p := range []*Product{iam, apim} {
			for _, s := range p.Stores {
				wantIssuer := ""
				if s.Role == RoleTLS || s.Role == RoleWSSec {
					wantIssuer = env.Name + "/ca"
				}
				if s.IssuerKeyID != wantIssuer {
					t.Errorf("%s %s: IssuerKeyID %q, want %q", p.Dir, s.Role, s.IssuerKeyID, wantIssuer)
				}
			}
		}
		caAlias := env.Name + "-ca"
		for p, want := range map[*Product][]string{
			iam:  {"apim-primary", caAlias, "iam-internal", "iam-primary"},
			apim: {"apim-internal", "apim-primary", caAlias, "gateway_certificate_alias", "iam-primary"},
		} {
			ts := mustStore(t, p, RoleTruststore)
			slices.Sort(want) // truststore entries are sorted by alias
			if got := entryAliases(ts); !slices.Equal(got, want) {
				t.Errorf("%s truststore %q, want %q", p.Dir, got, want)
			}
			for _, e := range ts.Entries {
				if e.Alias == caAlias && e.KeyID != env.Name+"/ca" {
					t.Errorf("%s %s KeyID %q", p.Dir, caAlias, e.KeyID)
				}
			}
		}
	}

	t.Run("self-signed has no CA", func(t *testing.T) {
		cfg, err := Load(Source{Name: "topology.toml", Data: []byte(topoBase)})
		if err != nil {
			t.Fatal(err)
		}
		for _, env := range mustPlan(t, cfg).Environments {
			if env.CA != nil {
				t.Errorf("%s: CA %+v", env.Name, env.CA)
			}
			for _, s := range env.Products[0].Stores {
				if s.IssuerKeyID != "" {
					t.Errorf("%s: IssuerKeyID %q", s.Role, s.IssuerKeyID)
				}
			}
		}
	})

	t.Run("shared tls", func(t *testing.T) {
		cfg, err := Load(Source{Name: "topology.toml", Data: []byte("[defaults]\npublic_cas = false\n[tls]\nissuer = \"internal-ca\"\nshared = true\n" + topoBase)})
		if err != nil {
			t.Fatal(err)
		}
		env := mustPlan(t, cfg).Environments[0]
		tls := mustStore(t, &env.Products[0], RoleTLS)
		if tls.KeyID != "default/shared/tls" || tls.IssuerKeyID != "default/ca" {
			t.Errorf("tls KeyID %q IssuerKeyID %q", tls.KeyID, tls.IssuerKeyID)
		}
		if got, want := entryAliases(mustStore(t, &env.Products[0], RoleTruststore)), []string{"default-ca", "iam-internal", "iam-primary"}; !slices.Equal(got, want) {
			t.Errorf("truststore %q, want %q", got, want)
		}
	})
}
