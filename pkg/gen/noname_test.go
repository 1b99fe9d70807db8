package gen

import "testing"

// TestCheckNames: a pair with an empty env (a WSO2 home's product) names its product only:
// it is no environment to offer, and its pair is the product's name. The rest of the
// wording is bundle.TestCheckSelection's.
func TestCheckNames(t *testing.T) {
	pairs := [][2]string{{"", "wso2is-7.1.0"}, {"dev", "iam"}, {"dev", "iam"}, {"prod", "mi"}}
	for _, tc := range []struct {
		name           string
		envs, products []string
		want           string
	}{
		{"all", nil, nil, ""},
		{"a home's product", nil, []string{"wso2is-7.1.0"}, ""},
		{"no env", []string{"stage"}, nil, `f: no environment "stage"; give --env one of: dev, prod`},
		{"no product", nil, []string{"iamm"}, `f: no product "iamm"; did you mean "iam"? give --product one of: wso2is-7.1.0, iam, mi`},
		{"a home's product in an env", []string{"dev"}, []string{"wso2is-7.1.0"},
			`f: no product "wso2is-7.1.0" in environment "dev"; give --env and --product one of the pairs: wso2is-7.1.0, dev/iam, prod/mi`},
	} {
		got := ""
		if err := CheckNames("f", pairs, tc.envs, tc.products); err != nil {
			got = err.Error()
		}
		if got != tc.want {
			t.Errorf("%s: got\n%s\nwant\n%s", tc.name, got, tc.want)
		}
	}
}
