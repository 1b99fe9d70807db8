package gen

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestStarterTopologiesLoad(t *testing.T) {
	for _, c := range []struct {
		kind    Kind
		name    string
		version string
		format  string
	}{
		{IdentityServer, "iam", "7.1.0", FormatPKCS12},
		{APIManager, "apim", "4.5.0", FormatJKS},
		{MicroIntegrator, "mi", "4.4.0", FormatJKS},
	} {
		t.Run(string(c.kind), func(t *testing.T) {
			doc, err := Starter(string(c.kind), "topology.toml")
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(doc), "wso2ks plan -f topology.toml") {
				t.Errorf("starter does not name its file:\n%s", doc)
			}
			cfg, err := Load(Source{Name: "topology.toml", Data: doc})
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			plan := mustPlan(t, cfg)
			if got := planEnvNames(plan); !slices.Equal(got, []string{"dev", "prod"}) {
				t.Errorf("environments %q", got)
			}
			for _, env := range plan.Environments {
				if len(env.Products) != 1 {
					t.Fatalf("%d products", len(env.Products))
				}
				p := env.Products[0]
				if p.Name != c.name || p.Kind != c.kind || p.Version != c.version || p.Format != c.format {
					t.Errorf("%s: %s %s %s %s", env.Name, p.Name, p.Kind, p.Version, p.Format)
				}
				if want := []string{c.name + "." + env.Name + ".example.com", "localhost"}; !slices.Equal(mustStore(t, &p, RoleTLS).SANs, want) {
					t.Errorf("%s: SANs %q, want %q", env.Name, mustStore(t, &p, RoleTLS).SANs, want)
				}
			}
		})
	}
	_, err := Starter("wso2esb", "topology.toml")
	want := `--kind "wso2esb" is unknown; use wso2is, wso2am or wso2mi`
	if err == nil || err.Error() != want || !errors.Is(err, ErrInput) {
		t.Errorf("Starter(wso2esb) = %v, want InputError %s", err, want)
	}
}
