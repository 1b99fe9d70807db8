package verify

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// TestStores: a home's stores with the passwords its deployment.toml gives them, one StoreRef
// per file, and a password that does not resolve named with its fix.
func TestStores(t *testing.T) {
	noInternalTLS := goodIS()
	noInternalTLS.deployment = strings.Replace(isDeployment, "[keystore.internal]", "[keystore.internal_x]", 1)
	noInternalTLS.deployment = strings.Replace(noInternalTLS.deployment, "[keystore.tls]", "[keystore.tls_x]", 1)
	envPassword := goodIS()
	envPassword.deployment = strings.Replace(isDeployment, `password = "Fixture-pass-1"
alias = "tls"`, `password = "$env{TLS_PW}"
alias = "tls"`, 1)
	for _, tc := range []struct {
		name string
		fx   *fixture
		env  map[string]string
		want []string
	}{
		{"good", goodIS(), nil, []string{
			"primary primary.p12 PKCS12 known", "internal internal.p12 PKCS12 known", "tls tls.p12 PKCS12 known",
			"truststore client-truststore.p12 PKCS12 known"}},
		{"internal and tls default to primary", noInternalTLS, nil, []string{
			"primary,internal,tls primary.p12 PKCS12 known", "truststore client-truststore.p12 PKCS12 known"}},
		{"password from the environment", envPassword, map[string]string{"TLS_PW": testPassword}, []string{
			"primary primary.p12 PKCS12 known", "internal internal.p12 PKCS12 known", "tls tls.p12 PKCS12 known",
			"truststore client-truststore.p12 PKCS12 known"}},
		{"password not set", envPassword, nil, []string{
			"primary primary.p12 PKCS12 known", "internal internal.p12 PKCS12 known",
			"tls tls.p12 PKCS12 [keystore.tls] password: $env{TLS_PW} is not set",
			"truststore client-truststore.p12 PKCS12 known"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := tc.fx.build(t).write(t)
			refs, err := Stores(dir, Options{Getenv: func(k string) (string, bool) { v, ok := tc.env[k]; return v, ok }})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range refs {
				if r.Target != dir || r.Product != "wso2is-7.1.0" || r.Env != "" {
					t.Errorf("%+v names another product", r)
				}
				state := "known"
				switch {
				case r.Problem != "" && r.Password != "":
					t.Errorf("%v: a password and a problem", r.Roles)
				case r.Problem != "":
					state = r.Problem
				case r.Password != testPassword || r.KeyPassword != testPassword:
					t.Errorf("%v: wrong password", r.Roles)
				}
				got = append(got, fmt.Sprintf("%s %s %s %s", strings.Join(r.Roles, ","), filepath.Base(r.File), r.Type, state))
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
	if _, err := Stores(t.TempDir(), Options{}); err == nil || !strings.Contains(err.Error(), "is not a bundle") {
		t.Errorf("an empty directory: %v", err)
	}
}
