package gen

import (
	"errors"
	"slices"
	"testing"
)

func TestLoadExamples(t *testing.T) {
	t.Run("multi-product", testMultiProductExample)

	t.Run("single-node", func(t *testing.T) {
		plan := mustPlan(t, loadExampleTopology(t, "single-node.toml"))
		if got := planEnvNames(plan); !slices.Equal(got, []string{"default"}) {
			t.Fatalf("environments %q, want [default]", got)
		}
		env := &plan.Environments[0]
		if len(env.Products) != 1 {
			t.Fatalf("%d products", len(env.Products))
		}
		iam := findProduct(t, env, "iam")
		if iam.Kind != IdentityServer || iam.Version != "7.1.0" || iam.Format != FormatPKCS12 || iam.PKCS12 != "modern" ||
			iam.PasswordMode != "plain" || iam.InstallDir != "/home/wso2carbon/wso2is-7.1.0" || iam.WSSecTable != "" {
			t.Errorf("iam: %+v", *iam)
		}
		if got := storeRoles(iam); !slices.Equal(got, []string{"primary", "internal", "tls", "truststore"}) {
			t.Errorf("roles %q", got)
		}
		tls := mustStore(t, iam, RoleTLS)
		if want := []string{"iam.example.com", "localhost"}; !slices.Equal(tls.SANs, want) {
			t.Errorf("SANs %q, want %q", tls.SANs, want)
		}
		if tls.Subject != "CN=iam.example.com,OU=Identity,O=Example Corp,C=LK" {
			t.Errorf("subject %q", tls.Subject)
		}
		if tls.Path != "default/iam/repository/resources/security/tls.p12" || tls.KeyID != "default/iam/tls" || tls.SharedBy != nil {
			t.Errorf("tls store %+v", *tls)
		}
		ts := mustStore(t, iam, RoleTruststore)
		if got := nonPublicAliases(ts); !slices.Equal(got, []string{"iam-internal", "iam-primary", "iam-tls"}) {
			t.Errorf("truststore %q", got)
		}
		if n := countPublicCAs(ts); n <= 100 {
			t.Errorf("%d public CAs, want the bundle (public_cas defaults to true)", n)
		}
		if !slices.IsSorted(entryAliases(ts)) {
			t.Errorf("aliases not sorted")
		}
	})

	t.Run("select environments", func(t *testing.T) {
		cfg := loadExampleTopology(t, "multi-product.toml")
		for _, c := range []struct {
			args []string
			want []string
		}{
			{[]string{"prod"}, []string{"prod"}},
			{[]string{"prod", "dev"}, []string{"dev", "prod"}},
			{[]string{"dev", "dev"}, []string{"dev"}},
			{[]string{}, []string{"dev", "prod"}},
		} {
			plan, err := cfg.Plan(c.args)
			if err != nil {
				t.Fatalf("Plan(%q): %v", c.args, err)
			}
			if got := planEnvNames(plan); !slices.Equal(got, c.want) {
				t.Errorf("Plan(%q) gave %q, want %q", c.args, got, c.want)
			}
		}
		_, err := cfg.Plan([]string{"dev", "nope"})
		want := `../../examples/multi-product.toml: no environment "nope"; give --env one of: dev, prod`
		if err == nil || err.Error() != want {
			t.Errorf("Plan([dev nope]) = %v, want %s", err, want)
		}
		var ie *InputError
		if !errors.As(err, &ie) || !errors.Is(err, ErrInput) {
			t.Errorf("Plan([nope]) error %T is not an InputError", err)
		}
	})

	t.Run("default topology", func(t *testing.T) {
		cfg, err := Load(Source{Name: DefaultTopologyName, Data: DefaultTopology()})
		if err != nil {
			t.Fatal(err)
		}
		plan := mustPlan(t, cfg)
		if plan.Topology != DefaultTopologyName {
			t.Errorf("Topology %q", plan.Topology)
		}
		if got := planEnvNames(plan); !slices.Equal(got, []string{"default"}) {
			t.Fatalf("environments %q", got)
		}
		ps := plan.Environments[0].Products
		if len(ps) != 1 {
			t.Fatalf("%d products", len(ps))
		}
		p := ps[0]
		if p.Name != "iam" || p.Kind != IdentityServer || p.Version != "7.1.0" || p.Format != FormatPKCS12 {
			t.Errorf("product %s %s %s %s, want iam wso2is 7.1.0 PKCS12", p.Name, p.Kind, p.Version, p.Format)
		}
		if sans := mustStore(t, &p, RoleTLS).SANs; !slices.Equal(sans, []string{"localhost"}) {
			t.Errorf("SANs %q, want [localhost]", sans)
		}
		// The embedded default is handed out as a copy.
		d := DefaultTopology()
		d[0] ^= 0xff
		if DefaultTopology()[0] == d[0] {
			t.Errorf("DefaultTopology returns its own buffer")
		}
	})
}
