package helm

import (
	"fmt"
	"path"
	"slices"
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/internal/testkit"
	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/emit"
	"github.com/wso2ks/wso2ks/pkg/k8s"
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
			out, _, err := Overlays(b, Options{})
			if err != nil {
				t.Fatal(err)
			}
			secrets, err := k8s.Manifests(b, k8s.Options{})
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, secrets...)
			inBundle, manifests := b.FileMap(), map[string][]byte{}
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
				_, stores := testkit.DecodeK8s(t, file, manifests[path.Join(env, product+"-keystores.yaml")])
				_, passwords := testkit.DecodeK8s(t, file, manifests[path.Join(env, product+"-passwords.yaml")])
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
				if !strings.HasPrefix(header, "# wso2ks: values for WSO2's ") || !strings.Contains(header, "#   helm upgrade --install RELEASE wso2/") {
					t.Errorf("%s: header:\n%s", file, header)
				}
			}
		})
	}
}
