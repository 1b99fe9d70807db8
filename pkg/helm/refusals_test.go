package helm

import (
	"errors"
	"testing"

	"github.com/wso2ks/wso2ks/internal/testkit"
	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/emit"
	"github.com/wso2ks/wso2ks/pkg/k8s"
)

// TestHelmRefusals: a product a chart cannot serve is refused with the
// fix, and no overlay (nor any manifest) is returned.
func TestHelmRefusals(t *testing.T) {
	product := func(kind, version, extra string) string {
		return "[subject]\norganization = \"Example Corp\"\n[defaults]\npublic_cas = false\n" + extra +
			"[[product]]\nname = \"p\"\nkind = \"" + kind + "\"\nversion = \"" + version + "\"\nhostnames = [\"p.example.com\"]\n"
	}
	for _, tc := range []struct {
		name, topology, apimChart, want string
	}{
		{"apim version", product("wso2am", "4.5.0", ""), "",
			`product "p" in environment "default" is WSO2 API Manager 4.5.0, which WSO2's wso2am-all-in-one chart does not deploy (release 4.7.0-1 deploys 4.7.0); set the product's version to 4.7.0 in the topology and regenerate, or leave out --helm`},
		{"apim distributed version", product("wso2am", "4.6.0", ""), APIMKeyManager,
			`product "p" in environment "default" is WSO2 API Manager 4.6.0, which WSO2's wso2am-km chart does not deploy (release 4.7.0-1 deploys 4.7.0); set the product's version to 4.7.0 in the topology and regenerate, or leave out --helm`},
		{"is version", product("wso2is", "7.2.0", ""), "",
			`product "p" in environment "default" is WSO2 Identity Server 7.2.0, which WSO2's identity-server chart does not deploy (release 7.1.0-3 deploys 7.1.0, release 7.0.0-2 deploys 7.0.0); set the product's version to 7.1.0 in the topology and regenerate, or leave out --helm`},
		{"mi version", product("wso2mi", "4.4.0", ""), "",
			`product "p" in environment "default" is WSO2 Micro Integrator 4.4.0, which WSO2's mi chart does not deploy (release 4.6.0-0 deploys 4.6.0); set the product's version to 4.6.0 in the topology and regenerate, or leave out --helm`},
		{"apim pkcs12", product("wso2am", "4.7.0", "format = \"pkcs12\"\n"), "",
			`product "p" in environment "default": WSO2's wso2am-all-in-one chart writes type = "JKS" for every store, and primary.p12 is PKCS12; set format = "jks" for the product in the topology and regenerate`},
		{"apim vault", product("wso2am", "4.7.0", "password_mode = \"vault\"\n"), APIMGateway,
			`product "p" in environment "default" is in vault mode, and the secure vault of WSO2's wso2am-universal-gw chart decrypts with the symmetric [encryption] key (AES-GCM), not with the internal store's RSA key wso2ks encrypts with; set password_mode = "env" for the product and regenerate: the chart then reads every password from the Secret wso2ks-default-p-passwords, and none is in the values or a ConfigMap`},
		{"mi without internal", product("wso2mi", "4.6.0", "separate_internal = false\n"), "",
			`product "p" in environment "default" has no internal store, which WSO2's mi chart mounts; set separate_internal = true for the product in the topology and regenerate`},
		{"mi pkcs12", product("wso2mi", "4.6.0", "format = \"pkcs12\"\n"), "",
			`product "p" in environment "default": WSO2's mi chart writes no type for the primary, internal and trust stores, so MI reads them as JKS, and primary.p12 is PKCS12; set format = "jks" for the product in the topology and regenerate`},
		{"is vault jks", product("wso2is", "7.1.0", "password_mode = \"vault\"\nformat = \"jks\"\n"), "",
			`product "p" in environment "default": WSO2's identity-server chart secret store reads the internal store as PKCS12, and internal.jks is JKS; set format = "pkcs12" for the product in the topology and regenerate`},
		{"is 7.0 vault pkcs12", product("wso2is", "7.0.0", "password_mode = \"vault\"\nformat = \"pkcs12\"\n"), "",
			`product "p" in environment "default": WSO2's identity-server chart secret store reads the internal store as JKS, and internal.p12 is PKCS12; set format = "jks" for the product in the topology and regenerate`},
		{"unknown chart", product("wso2am", "4.7.0", ""), "nope",
			`APIM chart "nope" is not one of all-in-one, control-plane, gateway, key-manager, traffic-manager`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := emit.Build(testkit.Plan(t, tc.topology), emit.BuildOptions{Rand: testkit.Rand(3), Now: testkit.Now})
			if err != nil {
				t.Fatal(err)
			}
			out, _, err := Overlays(b, Options{APIMChart: tc.apimChart})
			if err == nil || err.Error() != tc.want || out != nil {
				t.Errorf("got %d files, error:\n%v\nwant:\n%s", len(out), err, tc.want)
			}
			if tc.apimChart != "nope" && !errors.Is(err, bundle.ErrBundle) {
				t.Errorf("%v is not a bundle error (exit 2)", err)
			}
			// The same bundle makes its Secrets.
			if _, err := k8s.Manifests(b, k8s.Options{}); err != nil {
				t.Errorf("k8s.Manifests: %v", err)
			}
		})
	}
}

// TestHelmOldManifest: a manifest written before stores recorded their
// product's kind cannot pick a chart; the fix is to update the bundle.
func TestHelmOldManifest(t *testing.T) {
	b, err := emit.Build(testkit.Plan(t, helmVaultTopology), emit.BuildOptions{Rand: testkit.Rand(3), Now: testkit.Now})
	if err != nil {
		t.Fatal(err)
	}
	for i := range b.Manifest.Stores {
		b.Manifest.Stores[i].Kind = ""
	}
	_, _, err = Overlays(b, Options{})
	want := `manifest.json does not record the kind of product "iam" in environment "default"; update the bundle with 'wso2ks generate --update'`
	if err == nil || err.Error() != want || !errors.Is(err, bundle.ErrBundle) {
		t.Errorf("error:\n%v\nwant:\n%s", err, want)
	}
}
