package k8s

import (
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/internal/testkit"
	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/emit"
	"sigs.k8s.io/yaml"
)

// helmTopology has one product of each kind at the version WSO2's current
// chart deploys, in env mode (dev) and plain mode (prod).
const helmTopology = `
[subject]
organization = "Example Corp"
[defaults]
public_cas = false
[[product]]
name = "iam"
kind = "wso2is"
version = "7.1.0"
hostnames = ["iam.${env}.example.com"]
ws_security = true
[[product]]
name = "apim"
kind = "wso2am"
version = "4.7.0"
hostnames = ["api.${env}.example.com"]
[[product]]
name = "mi"
kind = "wso2mi"
version = "4.6.0"
hostnames = ["mi.${env}.example.com"]
[environment.dev]
password_mode = "env"
[environment.prod]
password_mode = "plain"
`

// helmVaultTopology: the charts' secret-store modes (APIM's is refused,
// TestHelmRefusals).
const helmVaultTopology = `
[subject]
organization = "Example Corp"
[defaults]
public_cas = false
password_mode = "vault"
[[product]]
name = "iam"
kind = "wso2is"
version = "7.1.0"
hostnames = ["iam.example.com"]
[[product]]
name = "mi"
kind = "wso2mi"
version = "4.6.0"
hostnames = ["mi.example.com"]
`

// The values each chart documents, which is all an overlay may set. Written
// out from the charts' values.yaml (and, where a template reads a key its
// values.yaml leaves out, the template), not from the code under test:
//   - identity-server 7.1.0-3 (wso2/kubernetes-is v7.1.0.3 values.yaml
//     l.32 ingress.hostName, l.160 buildVersion, l.167-169 externalJKS, l.191 secretStore.enabled,
//     l.250 encryption.key, l.340-360 keystore and truststore);
//   - the APIM charts 4.7.0-1 (wso2/helm-apim all-in-one/values.yaml
//     l.162-165 and l.208-211 the management hostnames, l.378-383
//     existingSecret, l.461-509 security; pod annotations read by
//     templates/am/instance-1/wso2am-deployment.yaml l.31-33);
//   - mi 4.6.0-0 (wso2/helm-mi 4.6.x mi/values.yaml l.148-175 and
//     l.197-201; values_full.yaml l.451-455 the listener keystore;
//     templates/mi-deployment.yaml l.41-45 annotations, l.186 the
//     listener's subPath key; templates/mi-conf-entrypoint.yaml l.36
//     icp.enabled; confs/deployment.toml l.215 transport.nonBlocking).
var chartKeys = map[string][]string{
	"identity-server": expand(
		"deployment.buildVersion", "deployment.externalJKS.{enabled,secretName}", "deployment.secretStore.enabled",
		"deployment.ingress.hostName",
		"deploymentToml.keystore.{primary,internal,tls}.{fileName,type,password,alias,keyPassword}",
		"deploymentToml.truststore.{fileName,type,password}", "deploymentToml.encryption.key"),
	"wso2am": expand(
		"wso2.deployment.pod.annotations."+StoresHashAnnotation,
		"kubernetes.{gatewayAPI,ingress}.management.hostname",
		"wso2.apim.configurations.existingSecret.{secretName,encryptionKeyKey}",
		"wso2.apim.configurations.security.jksSecretName",
		"wso2.apim.configurations.security.jksExistingSecret.{secretName,primaryKeystorePasswordKey,primaryKeystoreKeyPasswordKey,tlsKeystorePasswordKey,tlsKeystoreKeyPasswordKey,internalKeystorePasswordKey,internalKeystoreKeyPasswordKey,truststorePasswordKey}",
		"wso2.apim.configurations.security.keystores.{primary,tls,internal}.{enabled,name,alias,password,keyPassword}",
		"wso2.apim.configurations.security.truststore.{name,password}"),
	"mi": expand(
		"wso2.deployment.{BuildVersion,JKSSecretName,hostname}", "wso2.deployment.annotations."+StoresHashAnnotation,
		"wso2.config.icp.enabled", "wso2.config.secureVault.enabled", "wso2.config.transport.nonBlocking",
		"wso2.config.keyStore.{primary,internal}.{fileName,alias,password,keyPassword}",
		"wso2.config.keyStore.transport.listener.fileName", "wso2.config.trustStore.primary.{fileName,password}",
		"wso2.config.transport.http.nonBlocking.listener.keystore.{fileName,type,password,keyPassword}"),
}

// expand writes out one level of {a,b} alternatives per pattern, left to right.
func expand(patterns ...string) []string {
	var out []string
	for _, p := range patterns {
		open := strings.Index(p, "{")
		if open < 0 {
			out = append(out, p)
			continue
		}
		end := strings.Index(p, "}")
		for _, alt := range strings.Split(p[open+1:end], ",") {
			out = append(out, expand(p[:open]+alt+p[end+1:])...)
		}
	}
	return out
}

// flatten turns decoded values into path → leaf, the path's keys joined
// with '.'.
func flatten(prefix string, v any, out map[string]string) {
	m, ok := v.(map[string]any)
	if !ok {
		out[prefix] = fmt.Sprint(v)
		return
	}
	for k, child := range m {
		if prefix != "" {
			k = prefix + "." + k
		}
		flatten(k, child, out)
	}
}

// overlayOf decodes a values file: its header comment and its leaves.
func overlayOf(t *testing.T, name string, data []byte) (header string, leaves map[string]string) {
	t.Helper()
	var values map[string]any
	if err := yaml.UnmarshalStrict(data, &values); err != nil {
		t.Fatalf("%s does not decode: %v", name, err)
	}
	leaves = map[string]string{}
	flatten("", values, leaves)
	for _, line := range strings.SplitAfter(string(data), "\n") {
		if !strings.HasPrefix(line, "#") {
			break
		}
		header += line
	}
	return header, leaves
}

// wantOverlay is what the overlay of product must hold, written from the
// charts' keys and the bundle's files: file names and aliases are the
// role's, passwords those of secrets.env (sec), or in vault mode the
// ciphertexts of cipher-text.properties (cipher).
func wantOverlay(product, env, version string, sec, cipher map[string]string, hash string) map[string]string {
	up := strings.ToUpper(product)
	pw := func(role string) string {
		if cipher != nil {
			return cipher[product+"_"+role+"_password"]
		}
		return sec["WSO2KS_"+up+"_"+strings.ToUpper(role)+"_PASSWORD"]
	}
	keystores, passwords := "wso2ks-"+env+"-"+product+"-keystores", "wso2ks-"+env+"-"+product+"-passwords"
	w := map[string]string{}
	host := strings.Replace(product, "apim", "api", 1) + "." + env + ".example.com"
	if env == "default" {
		host = product + ".example.com"
	}
	switch product {
	case "iam":
		w["deployment.ingress.hostName"] = host
		w["deployment.buildVersion"] = version
		w["deployment.externalJKS.enabled"] = "true"
		w["deployment.externalJKS.secretName"] = keystores
		for _, role := range []string{"primary", "internal", "tls"} {
			at := "deploymentToml.keystore." + role + "."
			w[at+"fileName"], w[at+"type"], w[at+"alias"] = role+".p12", "PKCS12", role
			w[at+"password"], w[at+"keyPassword"] = pw(role), pw(role)
		}
		w["deploymentToml.truststore.fileName"], w["deploymentToml.truststore.type"] = "client-truststore.p12", "PKCS12"
		w["deploymentToml.truststore.password"] = pw("truststore")
		w["deploymentToml.encryption.key"] = sec["WSO2KS_IAM_ENCRYPTION_KEY"]
		if cipher != nil {
			w["deploymentToml.encryption.key"] = cipher["iam_encryption_key"]
			w["deployment.secretStore.enabled"] = "true"
		}
	case "apim":
		const c = "wso2.apim.configurations."
		w["wso2.deployment.pod.annotations."+StoresHashAnnotation] = hash
		w["kubernetes.gatewayAPI.management.hostname"], w["kubernetes.ingress.management.hostname"] = host, host
		w[c+"existingSecret.secretName"], w[c+"existingSecret.encryptionKeyKey"] = passwords, "WSO2KS_APIM_ENCRYPTION_KEY"
		w[c+"security.jksSecretName"] = keystores
		w[c+"security.jksExistingSecret.secretName"] = passwords
		for _, role := range []string{"primary", "tls", "internal"} {
			v := "WSO2KS_APIM_" + strings.ToUpper(role) + "_PASSWORD"
			w[c+"security.jksExistingSecret."+role+"KeystorePasswordKey"] = v
			w[c+"security.jksExistingSecret."+role+"KeystoreKeyPasswordKey"] = v
			at := c + "security.keystores." + role + "."
			w[at+"enabled"], w[at+"name"], w[at+"alias"], w[at+"password"], w[at+"keyPassword"] = "true", role+".jks", role, "", ""
		}
		w[c+"security.jksExistingSecret.truststorePasswordKey"] = "WSO2KS_APIM_TRUSTSTORE_PASSWORD"
		w[c+"security.truststore.name"], w[c+"security.truststore.password"] = "client-truststore.jks", ""
	case "mi":
		w["wso2.deployment.BuildVersion"], w["wso2.deployment.JKSSecretName"] = version, keystores
		w["wso2.deployment.annotations."+StoresHashAnnotation] = hash
		w["wso2.deployment.hostname"] = host
		w["wso2.config.icp.enabled"] = "false"
		for _, role := range []string{"primary", "internal"} {
			at := "wso2.config.keyStore." + role + "."
			w[at+"fileName"], w[at+"alias"], w[at+"password"], w[at+"keyPassword"] = role+".jks", role, pw(role), pw(role)
		}
		w["wso2.config.trustStore.primary.fileName"], w["wso2.config.trustStore.primary.password"] = "client-truststore.jks", pw("truststore")
		w["wso2.config.keyStore.transport.listener.fileName"] = "tls.jks"
		const l = "wso2.config.transport.http.nonBlocking.listener.keystore."
		w[l+"fileName"], w[l+"type"], w[l+"password"], w[l+"keyPassword"] = "tls.jks", "JKS", pw("tls"), pw("tls")
		if cipher != nil {
			w["wso2.config.secureVault.enabled"], w["wso2.config.transport.nonBlocking"] = "true", "true"
		}
	}
	return w
}

// TestHelmValues builds real bundles, writes the overlays, and checks each
// against the chart's documented keys and, leaf by leaf, against what the
// bundle holds; the Secrets the overlay names hold the keys it names.
func TestHelmValues(t *testing.T) {
	for _, tc := range []struct {
		name, topology string
		files          []string
	}{
		{"env and plain", helmTopology, []string{"dev/iam-values.yaml", "dev/apim-values.yaml", "dev/mi-values.yaml", "prod/iam-values.yaml", "prod/apim-values.yaml", "prod/mi-values.yaml"}},
		{"vault", helmVaultTopology, []string{"default/iam-values.yaml", "default/mi-values.yaml"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := emit.Build(testkit.Plan(t, tc.topology), emit.BuildOptions{Rand: testkit.Rand(7), Now: testkit.Now})
			if err != nil {
				t.Fatal(err)
			}
			out, err := Manifests(b, Options{Helm: true})
			if err != nil {
				t.Fatal(err)
			}
			inBundle, manifests := map[string][]byte{}, map[string][]byte{}
			for _, f := range b.Files {
				inBundle[f.Path] = f.Data
			}
			var values []string
			for _, f := range out {
				manifests[f.Path] = f.Data
				if strings.HasSuffix(f.Path, "-values.yaml") {
					values = append(values, f.Path)
				}
			}
			if !slices.Equal(values, tc.files) {
				t.Fatalf("values files %v, want %v", values, tc.files)
			}
			for _, file := range values {
				env, base := path.Split(file)
				env = strings.TrimSuffix(env, "/")
				product := strings.TrimSuffix(base, "-values.yaml")
				header, leaves := overlayOf(t, file, manifests[file])
				sec := testkit.Secrets(t, inBundle[path.Join(env, bundle.SecretsName)])
				var cipher map[string]string
				cipherFile := path.Join(env, product, "repository/conf/security/cipher-text.properties")
				if product == "mi" {
					cipherFile = path.Join(env, product, "conf/security/cipher-text.properties")
				}
				if data, ok := inBundle[cipherFile]; ok {
					cipher = bundle.ParseProperties(data)
				}
				version := map[string]string{"iam": "7.1.0", "apim": "4.7.0", "mi": "4.6.0"}[product]
				want := wantOverlay(product, env, version, sec, cipher, leaves["wso2.deployment.annotations."+StoresHashAnnotation]+leaves["wso2.deployment.pod.annotations."+StoresHashAnnotation])
				if got := fmt.Sprint(leaves); got != fmt.Sprint(want) {
					t.Errorf("%s:\n%s", file, testkit.Diff(strings.ReplaceAll(fmt.Sprint(want), " ", "\n"), strings.ReplaceAll(got, " ", "\n")))
				}
				family := map[string]string{"iam": "identity-server", "apim": "wso2am", "mi": "mi"}[product]
				for k := range leaves {
					if !slices.Contains(chartKeys[family], k) {
						t.Errorf("%s sets %s, which the %s chart does not document", file, k, family)
					}
				}
				// What the overlay names exists in the Secrets beside it.
				_, stores := decodeK8s(t, file, manifests[path.Join(env, product+"-keystores.yaml")])
				_, passwords := decodeK8s(t, file, manifests[path.Join(env, product+"-passwords.yaml")])
				for k, v := range leaves {
					last := k[strings.LastIndex(k, ".")+1:]
					switch {
					case last == "fileName" || last == "name":
						if stores[v] == nil {
							t.Errorf("%s: %s = %q is not a key of the keystores Secret", file, k, v)
						}
					case strings.HasSuffix(last, "PasswordKey") || last == "encryptionKeyKey":
						if passwords[v] == nil {
							t.Errorf("%s: %s = %q is not a key of the passwords Secret", file, k, v)
						}
					}
				}
				// The header says whether the file is secret, and it is
				// exactly when a password is in it.
				secret := false
				for _, pw := range sec {
					secret = secret || strings.Contains(string(manifests[file]), pw)
				}
				if says := strings.Contains(header, "THIS FILE HOLDS PASSWORDS"); says != secret {
					t.Errorf("%s: header says secret %v, holds a password %v:\n%s", file, says, secret, header)
				}
				prose := strings.Join(strings.Fields(strings.ReplaceAll(header, "#", "")), " ")
				if wssec := strings.Contains(prose, "WS-Security store: wssec.p12 is in the Secret wso2ks-"+env+"-iam-keystores"); wssec != (product == "iam" && tc.topology == helmTopology) {
					t.Errorf("%s: header says the WS-Security store is not mounted: %v", file, wssec)
				}
				if !strings.HasPrefix(header, "# wso2ks: values for WSO2's ") || !strings.Contains(header, "#   helm install RELEASE wso2/") {
					t.Errorf("%s: header:\n%s", file, header)
				}
			}
		})
	}
}

// TestHelmValuesGolden pins the overlays' text, header included.
func TestHelmValuesGolden(t *testing.T) {
	b, err := emit.Build(testkit.Plan(t, helmTopology), emit.BuildOptions{Rand: testkit.Rand(7), Now: testkit.Now})
	if err != nil {
		t.Fatal(err)
	}
	out, err := Manifests(b, Options{Helm: true, Namespace: "wso2", APIMChart: APIMGateway})
	if err != nil {
		t.Fatal(err)
	}
	// The stores' salts are random, so is their hash: TestHelmRolls checks it.
	hash := regexp.MustCompile(StoresHashAnnotation + `: [0-9a-f]{64}\n`)
	for _, f := range out {
		if strings.HasPrefix(f.Path, "dev/") && strings.HasSuffix(f.Path, "-values.yaml") {
			testkit.Golden(t, filepath.Join("testdata", "helm", f.Path), hash.ReplaceAll(f.Data, []byte(StoresHashAnnotation+": SHA-256\n")))
		}
	}
}

// TestHelmRolls: the pod annotation of the APIM and MI overlays is a hash
// of the product's keystores and passwords Secrets, so that helm upgrade
// rolls the pods exactly when renew or rotate changed what they mount.
func TestHelmRolls(t *testing.T) {
	b, err := emit.Build(testkit.Plan(t, helmTopology), emit.BuildOptions{Rand: testkit.Rand(7), Now: testkit.Now})
	if err != nil {
		t.Fatal(err)
	}
	annotations := func() map[string]string {
		t.Helper()
		out, err := Manifests(b, Options{Helm: true})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, f := range out {
			if strings.HasSuffix(f.Path, "-values.yaml") {
				_, leaves := overlayOf(t, f.Path, f.Data)
				for k, v := range leaves {
					if strings.HasSuffix(k, "."+StoresHashAnnotation) {
						got[f.Path] = v
					}
				}
			}
		}
		return got
	}
	before := annotations()
	if len(before) != 4 || before["dev/apim-values.yaml"] == before["prod/apim-values.yaml"] {
		t.Fatalf("annotations %v: want one per APIM and MI overlay, different per environment", before)
	}
	// Another snippet changes no Secret: the pods need not roll.
	testkit.SetFile(b, "dev/mi/deployment.snippet.toml", append(testkit.FileOf(t, b, "dev/mi/deployment.snippet.toml"), "# edited\n"...))
	if after := annotations(); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("a snippet changed the annotations:\n%v\n%v", before, after)
	}
	// A store changes (renew): that product's annotation, and only it.
	store := "dev/mi/repository/resources/security/tls.jks"
	testkit.SetFile(b, store, append(testkit.FileOf(t, b, store), 0))
	after := annotations()
	for file, v := range before {
		if changed := after[file] != v; changed != (file == "dev/mi-values.yaml") {
			t.Errorf("%s: annotation changed %v after %s changed", file, changed, store)
		}
	}
}

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
			out, err := Manifests(b, Options{Helm: true, APIMChart: tc.apimChart})
			if err == nil || err.Error() != tc.want || out != nil {
				t.Errorf("got %d files, error:\n%v\nwant:\n%s", len(out), err, tc.want)
			}
			if tc.apimChart != "nope" && !errors.Is(err, bundle.ErrBundle) {
				t.Errorf("%v is not a bundle error (exit 2)", err)
			}
			// Without --helm the same bundle makes its Secrets.
			if _, err := Manifests(b, Options{}); err != nil {
				t.Errorf("without Helm: %v", err)
			}
		})
	}
}
