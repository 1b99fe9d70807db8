package verify

import (
	"slices"
	"testing"
)

// TestSelectProducts: --env and --product of verify --connect are checked as every command
// checks them (gen.CheckNames): a product that is nowhere is refused with the products of the
// environments asked for, and a product in none of them names the pairs.
func TestSelectProducts(t *testing.T) {
	bundleOf := func(env, name string) Product {
		return Product{Target: "b", Root: "b/" + env + "/" + name, Env: env, Name: name}
	}
	all := []Product{bundleOf("dev", "iam"), bundleOf("dev", "apim"), bundleOf("prod", "mi")}
	home := Product{Target: "h", Root: "h", Config: "h/repository/conf/deployment.toml", Name: "wso2is-7.1.0"}
	for _, tc := range []struct {
		name        string
		products    []Product
		envs, names []string
		want        []string // labels selected
		err         string
	}{
		{name: "all", products: all, want: []string{"dev/iam", "dev/apim", "prod/mi"}},
		{name: "env", products: all, envs: []string{"dev"}, want: []string{"dev/iam", "dev/apim"}},
		{name: "product of an env", products: all, envs: []string{"dev"}, names: []string{"zzzz"},
			err: `b/manifest.json: no product "zzzz"; give --product one of: iam, apim`},
		{name: "one product not in the env", products: all, envs: []string{"dev"}, names: []string{"iam", "mi"},
			err: `b/manifest.json: no product "mi" in environment "dev"; give --env and --product one of the pairs: dev/iam, dev/apim, prod/mi`},
		{name: "env of a home", products: []Product{home}, envs: []string{"dev"},
			err: `h/repository/conf/deployment.toml: no environment "dev": a WSO2 home has none; leave --env out`},
		{name: "home and bundle", products: append([]Product{home}, all...), names: []string{"wso2is-7.1.0", "mi"}, want: []string{"wso2is-7.1.0", "prod/mi"}},
		{name: "env beside a home", products: append([]Product{home}, all...), envs: []string{"stage"},
			err: `h/repository/conf/deployment.toml: no environment "stage"; give --env one of: dev, prod`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := selectProducts(tc.products, tc.envs, tc.names)
			if msg := errText(err); msg != tc.err {
				t.Fatalf("error %q, want %q", msg, tc.err)
			}
			var labels []string
			for _, p := range got {
				labels = append(labels, p.label())
			}
			if !slices.Equal(labels, tc.want) {
				t.Errorf("selected %v, want %v", labels, tc.want)
			}
		})
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
