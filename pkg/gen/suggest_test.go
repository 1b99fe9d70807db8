package gen

import (
	"slices"
	"testing"
)

func TestClosest(t *testing.T) {
	keys := []string{"format", "pkcs12_profile", "validity_days", "tls_validity_days", "ca_cert", "ca_key"}
	for _, tc := range []struct{ name, want string }{
		{"formt", "format"},
		{"FORMAT", "format"},
		{"validity", "validity_days"},
		{"ca", ""}, // four edits from ca_key, and under three letters, too short to count as a prefix
		{"hostname", ""},
		{"pkcs12profile", "pkcs12_profile"},
	} {
		if got := Closest(tc.name, keys); got != tc.want {
			t.Errorf("Closest(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestKeysAt(t *testing.T) {
	for _, tc := range []struct {
		path []string
		has  string
	}{
		{[]string{"formt"}, "environment"},
		{[]string{"product", "hostname"}, "hostnames"},
		{[]string{"product", "passwords", "x"}, "primary"},
		{[]string{"environment", "prod", "formt"}, "format"},
		{[]string{"tls", "x"}, "ca_cert"},
	} {
		if got := keysAt(tc.path); !slices.Contains(got, tc.has) {
			t.Errorf("keysAt(%q) = %q, want it to hold %q", tc.path, got, tc.has)
		}
	}
	if got := keysAt([]string{"nowhere", "x"}); got != nil {
		t.Errorf("keysAt(nowhere.x) = %q, want nil", got)
	}
}

func TestNoName(t *testing.T) {
	for _, tc := range []struct {
		noun, flag, name string
		want             string
	}{
		{"environment", "--env", "prd", `b/manifest.json: no environment "prd"; did you mean "prod"? give --env one of: dev, prod`},
		{"environment", "--env", "stage", `b/manifest.json: no environment "stage"; give --env one of: dev, prod`},
	} {
		if got := NoName("b/manifest.json", tc.noun, tc.flag, tc.name, []string{"dev", "prod"}).Error(); got != tc.want {
			t.Errorf("NoName(%q) =\n%s\nwant\n%s", tc.name, got, tc.want)
		}
	}
	want := `t.toml: no product "mi" in environment "dev"; give --env and --product one of the pairs: dev/iam, prod/mi`
	if got := NoPair("t.toml", "dev", "mi", []string{"dev/iam", "prod/mi"}).Error(); got != want {
		t.Errorf("NoPair =\n%s\nwant\n%s", got, want)
	}
}

func TestSeveral(t *testing.T) {
	want := `m.json: product "iam" is in several environments; give --env one of: dev, prod`
	if got := Several("m.json", `product "iam" is in several environments`, "--env", []string{"dev", "prod"}).Error(); got != want {
		t.Errorf("Several =\n%s\nwant\n%s", got, want)
	}
	want = `b/manifest.json: install puts one product into a home, and the bundle holds several; give --env and --product one of the pairs: dev/iam, prod/mi`
	if got := SeveralPairs("b/manifest.json", "install puts one product into a home, and the bundle holds several", []string{"dev/iam", "prod/mi"}).Error(); got != want {
		t.Errorf("SeveralPairs =\n%s\nwant\n%s", got, want)
	}
}
