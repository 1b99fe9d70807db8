package deploytoml

import (
	"errors"
	"reflect"
	"testing"

	"github.com/wso2ks/wso2ks/pkg/gen"
)

// Snippets of each family, with the header wso2ks writes.
const (
	isSnippet = `# wso2ks: keystores for WSO2 Identity Server 7.1.0, product "iam", environment "dev".

[keystore.tls]
file_name = "tls.p12"
type = "PKCS12"
password = "$env{WSO2KS_IAM_TLS_PASSWORD}"
alias = "tls"
key_password = "$env{WSO2KS_IAM_TLS_PASSWORD}"
`
	apimSnippet = `# wso2ks: keystores for WSO2 API Manager 4.5.0, product "apim", environment "dev".

[keystore.tls]
file_name = "tls.jks"
type = "JKS"
password = "$env{WSO2KS_APIM_TLS_PASSWORD}"
alias = "tls"
key_password = "$env{WSO2KS_APIM_TLS_PASSWORD}"
`
	miSnippet = `# wso2ks: keystores for WSO2 Micro Integrator 4.4.0, product "mi", environment "dev".

[keystore.primary]
file_name = "repository/resources/security/primary.jks"
type = "JKS"
password = "$env{WSO2KS_MI_PRIMARY_PASSWORD}"
alias = "primary"
key_password = "$env{WSO2KS_MI_PRIMARY_PASSWORD}"

[transport.http.listener.keystore]
location = "repository/resources/security/tls.jks"
type = "JKS"
password = "$env{WSO2KS_MI_TLS_PASSWORD}"
key_password = "$env{WSO2KS_MI_TLS_PASSWORD}"
`
)

// TestMergeRefusesOverrides: a key elsewhere in deployment.toml that
// chooses the store a listener serves, and is not WSO2's own default, is
// refused at its place, with the other such keys and the fix.
func TestMergeRefusesOverrides(t *testing.T) {
	const fix = " so the server follows [keystore.tls], and merge again"
	tests := []struct{ name, deployment, snippet, want string }{
		{"certificate table", "[server]\nhostname = \"iam.example.com\"\n\n[transport.https.sslHostConfig.certificate.properties]\n" +
			"certificateKeystoreFile = \"${carbon.home}/repository/resources/security/wso2carbon.p12\"\n" +
			"certificateKeystorePassword = \"wso2carbon\"\nciphers = \"TLS_AES_128_GCM_SHA256\"\n", isSnippet,
			"deployment:5:1: key transport.https.sslHostConfig.certificate.properties.certificateKeystoreFile sets the file_name of the store Tomcat's HTTPS connector presents, and wins over the [keystore.tls] merge writes (WSO2 fills in only keys left unset); delete it and transport.https.sslHostConfig.certificate.properties.certificateKeystorePassword at 6:1" + fix},
		{"dotted at the top", "transport.https.sslHostConfig.certificate.properties.certificateKeyAlias = \"wso2carbon\"\n", isSnippet,
			"deployment:1:1: key transport.https.sslHostConfig.certificate.properties.certificateKeyAlias sets the alias of the store Tomcat's HTTPS connector presents, and wins over the [keystore.tls] merge writes (WSO2 fills in only keys left unset); delete it" + fix},
		{"dotted under [transport]", "[transport]\n  https.sslHostConfig.certificate.properties.certificateKeystoreType = \"JKS\"\n", isSnippet,
			"deployment:2:3: key transport.https.sslHostConfig.certificate.properties.certificateKeystoreType sets the type of the store Tomcat's HTTPS connector presents, and wins over the [keystore.tls] merge writes (WSO2 fills in only keys left unset); delete it" + fix},
		{"inline table", "[transport.https.sslHostConfig.certificate]\nproperties = { type = \"RSA\", certificateKeyPassword = \"secret\" }\n", isSnippet,
			"deployment:2:30: key transport.https.sslHostConfig.certificate.properties.certificateKeyPassword sets the key_password of the store Tomcat's HTTPS connector presents, and wins over the [keystore.tls] merge writes (WSO2 fills in only keys left unset); delete it" + fix},
		{"SSLHostConfig attribute", "[transport.https.sslHostConfig.properties]\nprotocols = \"+TLSv1.2,+TLSv1.3\"\ncertificateKeystoreFile = \"/etc/wso2/other.p12\"\n", isSnippet,
			"deployment:3:1: key transport.https.sslHostConfig.properties.certificateKeystoreFile sets the file_name of the store Tomcat's HTTPS connector presents, and wins over the [keystore.tls] merge writes (WSO2 fills in only keys left unset); delete it" + fix},
		{"connector attribute", "[transport.https.properties]\nport = 9443\nkeystoreFile = \"/etc/wso2/other.jks\"\n", isSnippet,
			"deployment:3:1: key transport.https.properties.keystoreFile sets the file_name of the store Tomcat's HTTPS connector presents, and wins over the [keystore.tls] merge writes (WSO2 fills in only keys left unset); delete it" + fix},
		{"connector attribute, capitalized as Tomcat allows", "[transport.https.properties]\nKeystorePass = \"secret\"\n", isSnippet,
			"deployment:2:1: key transport.https.properties.KeystorePass sets the password of the store Tomcat's HTTPS connector presents, and wins over the [keystore.tls] merge writes (WSO2 fills in only keys left unset); delete it" + fix},
		{"PEM certificate", "[transport.https.properties]\nSSLCertificateFile = \"/etc/tls.pem\"\n", isSnippet,
			"deployment:2:1: key transport.https.properties.SSLCertificateFile makes Tomcat's HTTPS connector present a PEM file in place of the [keystore.tls] store merge writes; delete it" + fix},
		{"APIM passthrough listener", "[transport.passthru_https.listener.key_store]\nlocation = \"repository/resources/security/wso2carbon.jks\"\npassword = \"$ref{keystore.tls.password}\"\n", apimSnippet,
			"deployment:2:1: key transport.passthru_https.listener.key_store.location sets the file_name of the store the passthrough HTTPS listener presents, and wins over the [keystore.tls] merge writes (WSO2 fills in only keys left unset); delete it" + fix},
		{"APIM passthrough sender", "[transport.passthru_https.sender.key_store]\nkey_password = \"wso2carbon\"\n", apimSnippet,
			"deployment:2:1: key transport.passthru_https.sender.key_store.key_password sets the key_password of the store the passthrough HTTPS sender presents, and wins over the [keystore.tls] merge writes (WSO2 fills in only keys left unset); delete it" + fix},
		{"APIM sender under MI's name", "[transport.http.sender.keystore]\npassword = \"wso2carbon\"\n", apimSnippet,
			"deployment:2:1: key transport.http.sender.keystore.password sets the password of the store the passthrough HTTPS sender presents, and wins over the [keystore.tls] merge writes (WSO2 fills in only keys left unset); delete it" + fix},
		{"snippet without a header", "[transport.passthru_https.listener.key_store]\ntype = \"PKCS12\"\n", "[keystore.tls]\nfile_name = \"tls.p12\"\n",
			"deployment:2:1: key transport.passthru_https.listener.key_store.type sets the type of the store the passthrough HTTPS listener presents, and wins over the [keystore.tls] merge writes (WSO2 fills in only keys left unset); delete it" + fix},
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
			var me *MergeError
			if !errors.As(err, &me) || !errors.Is(err, gen.ErrInput) {
				t.Errorf("error %T is not a *MergeError matching gen.ErrInput", err)
			}
		})
	}
}

// TestMergeKeepsHarmlessKeys: keys of those tables that choose no key
// store, WSO2's own defaults, a table the templates do not read, stores
// another product has no use for, and a table merge replaces anyway.
func TestMergeKeepsHarmlessKeys(t *testing.T) {
	tests := []struct{ name, deployment, snippet string }{
		{"protocols, ciphers and truststore", "[transport.https.sslHostConfig.properties]\nprotocols = \"+TLSv1.2\"\nciphers = \"TLS_AES_128_GCM_SHA256\"\n" +
			"truststoreFile = \"${carbon.home}/repository/resources/security/other-truststore.p12\"\n\n[transport.https.properties]\nport = 9443\nproxyPort = 443\n", isSnippet},
		{"WSO2's defaults", "[transport.https.sslHostConfig.certificate.properties]\n" +
			"certificateKeystoreFile = \"${carbon.home}/repository/resources/security/$ref{keystore.tls.file_name}\"\n" +
			"certificateKeyAlias = \"$ref{keystore.tls.alias}\"\n\n[transport.passthru_https.listener.key_store]\n" +
			"location = \"repository/resources/security/$ref{keystore.tls.file_name}\"\npassword = \"$ref{keystore.tls.password}\"\n", apimSnippet},
		{"a table no template reads", "[transport.https.sslhostconfig.certificate.properties]\ncertificateKeystoreFile = \"other.p12\"\n", isSnippet},
		{"passthrough in IS", "[transport.passthru_https.listener.key_store]\nlocation = \"repository/resources/security/wso2carbon.jks\"\n", isSnippet},
		{"APIM listener under MI's name, which merge replaces", "[transport.http.listener.keystore]\npassword = \"wso2carbon\"\n", apimSnippet},
		{"MI", "[transport.http.sender.keystore]\nlocation = \"repository/resources/security/wso2carbon.jks\"\n", miSnippet},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkMerge(t, []byte(tt.deployment), []byte(tt.snippet))
		})
	}
}

func TestTLSOverrides(t *testing.T) {
	doc := []byte("[transport.https.sslHostConfig.certificate.properties]\n" +
		"certificateKeystoreFile = \"${carbon.home}/repository/resources/security/$ref{keystore.tls.file_name}\"\n" +
		"certificateKeystorePasswordFile = \"/run/secrets/tls\"\nciphers = \"x\"\n" +
		"[transport.passthru_https.listener]\nkey_store = { location = \"tls.jks\" }\n")
	want := []TLSOverride{
		{Line: 2, Col: 1, Key: "transport.https.sslHostConfig.certificate.properties.certificateKeystoreFile", Listener: ListenerTomcat,
			Setting: "file_name", Value: "${carbon.home}/repository/resources/security/$ref{keystore.tls.file_name}", Default: true, TomcatBase: true},
		{Line: 3, Col: 1, Key: "transport.https.sslHostConfig.certificate.properties.certificateKeystorePasswordFile", Listener: ListenerTomcat,
			Setting: "password_file", Value: "/run/secrets/tls", TomcatBase: true},
		{Line: 6, Col: 15, Key: "transport.passthru_https.listener.key_store.location", Listener: ListenerPassthru,
			Setting: "file_name", Value: "tls.jks"},
	}
	for _, tc := range []struct {
		kind gen.Kind
		n    int
	}{{gen.APIManager, 3}, {"", 3}, {gen.IdentityServer, 2}, {gen.MicroIntegrator, 0}} {
		got, err := TLSOverrides(doc, tc.kind)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != tc.n {
			t.Fatalf("%q: %d overrides, want %d: %+v", tc.kind, len(got), tc.n, got)
		}
		for i := range got {
			got[i].path = nil
			if !reflect.DeepEqual(got[i], want[i]) {
				t.Errorf("%q: override %d:\n%+v\nwant\n%+v", tc.kind, i, got[i], want[i])
			}
		}
	}
	if !want[1].PasswordFile() || want[1].PEM() {
		t.Error("PasswordFile/PEM")
	}
}
