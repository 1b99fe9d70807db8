package bundle

import "testing"

// TestCheckSelection: each value of --env and --product is checked, in the
// wording every command shares (a product that is nowhere with the
// products of the environments asked for), and a product in none of the
// environments asked for names the pairs there are.
func TestCheckSelection(t *testing.T) {
	m := Manifest{Stores: []ManifestStore{
		{Env: "dev", Product: "iam"}, {Env: "dev", Product: "iam"},
		{Env: "prod", Product: "mi"}, {Env: "prod", Product: "iam"},
	}}
	for _, tc := range []struct {
		name           string
		envs, products []string
		want           string
	}{
		{"all", nil, nil, ""},
		{"known", []string{"dev", "prod"}, []string{"mi"}, ""},
		{"second env", []string{"dev", "prd"}, nil, `b/manifest.json: no environment "prd"; did you mean "prod"? give --env one of: dev, prod`},
		{"second product", nil, []string{"iam", "ml"}, `b/manifest.json: no product "ml"; did you mean "mi"? give --product one of: iam, mi`},
		{"far product", nil, []string{"zzzz"}, `b/manifest.json: no product "zzzz"; give --product one of: iam, mi`},
		{"far product of an env", []string{"dev"}, []string{"zzzz"}, `b/manifest.json: no product "zzzz"; give --product one of: iam`},
		{"not together", []string{"dev"}, []string{"mi"}, `b/manifest.json: no product "mi" in environment "dev"; give --env and --product one of the pairs: dev/iam, prod/mi, prod/iam`},
	} {
		got := ""
		if err := m.CheckSelection("b/manifest.json", tc.envs, tc.products); err != nil {
			got = err.Error()
		}
		if got != tc.want {
			t.Errorf("%s: got\n%s\nwant\n%s", tc.name, got, tc.want)
		}
	}
}
