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
		{"ca", ""}, // a prefix of two keys, and too short to say which
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
