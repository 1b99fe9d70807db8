package gen

import "testing"

// TestVaultWithoutInstallDir: secret-conf.properties names the cipher store relative to the
// product home, which the secure vault resolves against the server's working directory (the
// home, in every start script), so vault mode needs no install_dir; one given changes nothing.
func TestVaultWithoutInstallDir(t *testing.T) {
	for _, tc := range []struct{ name, extra, want string }{
		{"IS, no install_dir", "", "repository/resources/security/internal.p12"},
		{"IS, install_dir", "install_dir = \"/opt/wso2is-7.1.0\"\n", "repository/resources/security/internal.p12"},
		{"IS, no internal store", "separate_internal = false\n", "repository/resources/security/primary.p12"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := Load(Source{Name: "topology.toml", Data: []byte(topoBase + tc.extra + "[environment.prod]\npassword_mode = \"vault\"\n")})
			if err != nil {
				t.Fatal(err)
			}
			iam := findProduct(t, &mustPlan(t, cfg).Environments[0], "iam")
			if iam.Vault == nil || iam.Vault.IdentityLocation != tc.want {
				t.Errorf("vault %+v, want identity location %q", iam.Vault, tc.want)
			}
		})
	}
}
