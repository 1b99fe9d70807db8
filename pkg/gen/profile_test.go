package gen

import "testing"

// TestPKCS12ProfileOverride: pkcs12_profile set for one environment
// applies to that environment's PKCS#12 stores only; a JKS product has no
// profile, and the default is modern.
func TestPKCS12ProfileOverride(t *testing.T) {
	mi := "[[product]]\nname = \"mi\"\nkind = \"wso2mi\"\nversion = \"4.4.0\"\nhostnames = [\"mi.example.com\"]\n"
	cfg, err := Load(Source{Name: "topology.toml", Data: []byte(topoBase + mi + "[environment.dev]\n[environment.prod]\npkcs12_profile = \"legacy\"\n")})
	if err != nil {
		t.Fatal(err)
	}
	plan := mustPlan(t, cfg)
	for _, tc := range []struct{ env, product, format, profile string }{
		{"dev", "iam", FormatPKCS12, "modern"},
		{"dev", "mi", FormatJKS, ""},
		{"prod", "iam", FormatPKCS12, "legacy"},
		{"prod", "mi", FormatJKS, ""},
	} {
		env := &plan.Environments[0]
		if tc.env == "prod" {
			env = &plan.Environments[1]
		}
		p := findProduct(t, env, tc.product)
		if p.Format != tc.format || p.PKCS12 != tc.profile {
			t.Errorf("%s: format %s/%q, want %s/%q", p.Dir, p.Format, p.PKCS12, tc.format, tc.profile)
		}
	}
}
