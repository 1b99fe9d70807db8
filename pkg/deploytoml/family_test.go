package deploytoml

import (
	"errors"
	"testing"

	"github.com/wso2ks/wso2ks/pkg/gen"
)

// TestMergeRefusesOtherFamily: a snippet whose header names a product of
// the other family than every table of the deployment.toml is refused at
// the table that tells, with the fix.
func TestMergeRefusesOtherFamily(t *testing.T) {
	const toMI = ", and the snippet is for WSO2 Micro Integrator 4.4.0; merge the snippet wso2ks generated for this file's product, or give the deployment.toml of a WSO2 Micro Integrator home"
	const toIS = ", and the snippet is for WSO2 Identity Server 7.1.0; merge the snippet wso2ks generated for this file's product, or give the deployment.toml of a WSO2 Identity Server home"
	tests := []struct{ name, deployment, snippet, want string }{
		{"MI into APIM", string(readTestdata(t, "merge/apim45.toml")), miSnippet,
			"deployment:16:2: [database.apim_db] makes this a WSO2 Identity Server or API Manager deployment.toml" + toMI},
		{"MI into IS", string(readTestdata(t, "merge/is71.toml")), miSnippet,
			"deployment:14:2: [database.identity_db] makes this a WSO2 Identity Server or API Manager deployment.toml" + toMI},
		{"MI into a bare file name", "[server]\nhostname = \"h\"\n\n[keystore.primary]\nfile_name = \"wso2carbon.jks\"\n", miSnippet,
			"deployment:5:1: file_name \"wso2carbon.jks\" of [keystore.primary] (a bare name, as IS and APIM write it) makes this a WSO2 Identity Server or API Manager deployment.toml" + toMI},
		{"IS into MI", string(readTestdata(t, "merge/mi44.toml")), isSnippet,
			"deployment:9:1: file_name \"repository/resources/security/wso2carbon.jks\" of [keystore.primary] (a path, as MI writes it) makes this a WSO2 Micro Integrator deployment.toml" + toIS},
		{"MI into a dotted APIM key", "apim.devportal.url = \"https://h/devportal\"\n[server]\nhostname = \"h\"\n", miSnippet,
			"deployment:1:1: key apim.devportal.url makes this a WSO2 Identity Server or API Manager deployment.toml" + toMI},
		{"IS into MI's internal API", "[server]\n\n[internal_api_ssl_config.key_store]\nlocation = \"x.jks\"\n", isSnippet,
			"deployment:3:2: [internal_api_ssl_config.key_store] makes this a WSO2 Micro Integrator deployment.toml" + toIS},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			merged, _, err := merge([]byte(tt.deployment), []byte(tt.snippet))
			if err == nil {
				t.Fatalf("no error; merged:\n%s", merged)
			}
			if err.Error() != tt.want {
				t.Errorf("error:\n%s\nwant:\n%s", err, tt.want)
			}
			if !errors.Is(err, gen.ErrInput) {
				t.Errorf("error %T does not match gen.ErrInput", err)
			}
		})
	}
}

// TestMergeSameFamily: what the tables cannot tell is merged: the same
// family, markers of both, none, or a snippet without a header.
func TestMergeSameFamily(t *testing.T) {
	tests := []struct{ name, deployment, snippet string }{
		{"IS into APIM's tables (the home tells those apart)", string(readTestdata(t, "merge/apim45.toml")), isSnippet},
		{"MI into MI", string(readTestdata(t, "merge/mi44.toml")), miSnippet},
		{"nothing tells", "[server]\nhostname = \"h\"\n", miSnippet},
		{"placeholders tell nothing", "[keystore.primary]\nfile_name = \"$env{PRIMARY_FILE}\"\n", miSnippet},
		{"both families", "[keystore.tls]\nfile_name = \"t.jks\"\n[internal_api_ssl_config.key_store]\nlocation = \"x.jks\"\n", miSnippet},
		{"no header", string(readTestdata(t, "merge/mi44.toml")), "[keystore.tls]\nfile_name = \"t.jks\"\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkMerge(t, []byte(tt.deployment), []byte(tt.snippet))
		})
	}
}

func TestCheckHome(t *testing.T) {
	scripts := func(have ...string) func(string) bool {
		return func(rel string) bool {
			for _, h := range have {
				if h == rel {
					return true
				}
			}
			return false
		}
	}
	tests := []struct {
		name, home, kind, version string
		exists                    func(string) bool
		want                      *HomeMismatch
		msg                       string
	}{
		{"same pack", "/opt/wso2is-7.1.0", "wso2is", "7.1.0", scripts("bin/wso2server.sh"), nil, ""},
		{"another version", "/opt/wso2is-7.0.0", "wso2is", "7.1.0", scripts(),
			&HomeMismatch{Home: "/opt/wso2is-7.0.0", Kind: gen.IdentityServer, Version: "7.0.0", WantKind: gen.IdentityServer, WantVersion: "7.1.0"},
			"/opt/wso2is-7.0.0 looks like a wso2is 7.0.0 pack, and the bundle is for wso2is 7.1.0; give the home of the product the bundle was made for"},
		{"another script", "/opt/gateway", "wso2is", "7.1.0", scripts("bin/api-manager.sh"),
			&HomeMismatch{Home: "/opt/gateway", Kind: gen.APIManager, Script: "bin/api-manager.sh", WantKind: gen.IdentityServer, WantVersion: "7.1.0"},
			"/opt/gateway has bin/api-manager.sh, so it is a WSO2 API Manager home, and the bundle is for WSO2 Identity Server; give the home of the product the bundle was made for"},
		{"its own script too", "/opt/both", "wso2is", "7.1.0", scripts("bin/api-manager.sh", "bin/wso2server.sh"), nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckHome(tt.home, tt.kind, tt.version, tt.exists)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var hm *HomeMismatch
			if !errors.As(err, &hm) || *hm != *tt.want || err.Error() != tt.msg {
				t.Errorf("got %#v (%v)\nwant %#v (%s)", hm, err, tt.want, tt.msg)
			}
		})
	}
}
