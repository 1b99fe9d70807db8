package verify

import (
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestTLSEffective: keys outside [keystore.tls] that set what Tomcat or APIM's passthrough
// listener serve FAIL tls-effective at their place when they name something else, and only
// then; nothing else fails with them.
func TestTLSEffective(t *testing.T) {
	const conf = "repository/conf/deployment.toml"
	line := strings.Count(isDeployment, "\n") + 3 // the first key of an appended table
	at := func(n int, key string) string {
		return conf + ":" + strconv.Itoa(line+n) + ":1: " + key
	}
	const cert = "transport.https.sslHostConfig.certificate.properties."
	for _, tc := range []struct {
		name  string
		base  func() *fixture
		table string
		fail  []string // tls-effective FAIL messages, in order
		pass  string
	}{
		{name: "nothing set", pass: "Tomcat's HTTPS connector serves [keystore.tls]: no key of " + conf + " sets another store"},
		{name: "WSO2's defaults spelled out", table: "[transport.https.sslHostConfig.certificate.properties]\n" +
			"certificateKeystoreFile = \"${carbon.home}/repository/resources/security/$ref{keystore.tls.file_name}\"\n" +
			"certificateKeystorePassword = \"$ref{keystore.tls.password}\"\n",
			pass: "Tomcat's HTTPS connector serves [keystore.tls]: no key of " + conf + " sets another store"},
		{name: "the same store", table: "[transport.https.sslHostConfig.certificate.properties]\n" +
			"certificateKeystoreFile = \"${carbon.home}/repository/resources/security/tls.p12\"\n" +
			"certificateKeystorePassword = \"Fixture-pass-1\"\ncertificateKeyAlias = \"TLS\"\ncertificateKeystoreType = \"pkcs12\"\nciphers = \"TLS_AES_128_GCM_SHA256\"\n",
			pass: "Tomcat's HTTPS connector serves [keystore.tls]: the 4 keys of " + conf + " that set it name the same store"},
		{name: "the pack's store", table: "[transport.https.sslHostConfig.certificate.properties]\n" +
			"certificateKeystoreFile = \"${carbon.home}/repository/resources/security/primary.p12\"\n" +
			"certificateKeystorePassword = \"Other-pass-1\"\ncertificateKeyAlias = \"primary\"\n",
			fail: []string{
				at(0, cert+"certificateKeystoreFile") + " makes Tomcat's HTTPS connector serve repository/resources/security/primary.p12, not repository/resources/security/tls.p12 of [keystore.tls]",
				at(1, cert+"certificateKeystorePassword") + " makes Tomcat's HTTPS connector open its store with another password than [keystore.tls]'s",
				at(2, cert+"certificateKeyAlias") + " makes Tomcat's HTTPS connector serve the key \"primary\", not \"tls\" of [keystore.tls]",
			}},
		{name: "a relative file is under catalina.base", table: "[transport.https.sslHostConfig.properties]\ncertificateKeystoreFile = \"repository/resources/security/tls.p12\"\n",
			fail: []string{at(0, "transport.https.sslHostConfig.properties.certificateKeystoreFile") + " makes Tomcat's HTTPS connector serve lib/tomcat/repository/resources/security/tls.p12, not repository/resources/security/tls.p12 of [keystore.tls]"}},
		{name: "connector attributes", table: "[transport.https.properties]\nport = 9443\nkeystoreType = \"JKS\"\nSSLCertificateFile = \"/etc/tls/cert.pem\"\n",
			fail: []string{
				conf + ":" + strconv.Itoa(line+1) + ":1: transport.https.properties.keystoreType makes Tomcat's HTTPS connector open its store as JKS, not PKCS12 as [keystore.tls] says",
				conf + ":" + strconv.Itoa(line+2) + ":1: transport.https.properties.SSLCertificateFile makes Tomcat's HTTPS connector serve the PEM file \"/etc/tls/cert.pem\", not the store of [keystore.tls]",
			}},
		{name: "APIM passthrough", base: goodAPIM, table: "[transport.passthru_https.listener.key_store]\nlocation = \"repository/resources/security/primary.p12\"\n",
			fail: []string{at(0, "transport.passthru_https.listener.key_store.location") + " makes the passthrough HTTPS listener serve repository/resources/security/primary.p12, not repository/resources/security/tls.p12 of [keystore.tls]"}},
		{name: "APIM passthrough, the same store", base: goodAPIM, table: "[transport.passthru_https.listener.key_store]\nlocation = \"repository/resources/security/tls.p12\"\n",
			pass: "Tomcat's HTTPS connector and the passthrough HTTPS listener serve [keystore.tls]: the one key of " + conf + " that sets it names the same store"},
		{name: "APIM passthrough under MI's name", base: goodAPIM, table: "[transport.http.listener.keystore]\nkey_password = \"Other-pass-1\"\n",
			fail: []string{at(0, "transport.http.listener.keystore.key_password") + " makes the passthrough HTTPS listener open its key with another password than [keystore.tls]'s key_password"}},
		{name: "APIM's sender is not what it serves", base: goodAPIM, table: "[transport.passthru_https.sender.key_store]\nlocation = \"repository/resources/security/primary.p12\"\n",
			pass: "Tomcat's HTTPS connector and the passthrough HTTPS listener serve [keystore.tls]: no key of " + conf + " sets another store"},
		{name: "IS has no passthrough", table: "[transport.passthru_https.listener.key_store]\nlocation = \"repository/resources/security/primary.p12\"\n",
			pass: "Tomcat's HTTPS connector serves [keystore.tls]: no key of " + conf + " sets another store"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.base == nil {
				tc.base = goodIS
			}
			fx := tc.base()
			if tc.table != "" {
				fx.deployment += "\n" + tc.table
			}
			dir := fx.build(t).write(t)
			r := audit(t, Options{}, dir)
			var fails []string
			var pass string
			for _, f := range r.Findings {
				switch {
				case f.Rule != RuleTLSEffective:
					if f.Severity == Fail {
						t.Errorf("%s also fails: %s", f.Rule, f.Message)
					}
				case f.Severity == Fail:
					fails = append(fails, f.Message)
					if f.Fix == "" || f.Store != "" {
						t.Errorf("finding %+v lacks its fix or store", f)
					}
				case f.Severity == Pass:
					pass = f.Message
				}
				if strings.Contains(f.Message, testPassword) || strings.Contains(f.Message, "Other-pass-1") {
					t.Errorf("%s prints a password: %s", f.Rule, f.Message)
				}
			}
			if !slices.Equal(fails, tc.fail) {
				t.Errorf("FAILs:\n%s\nwant:\n%s", strings.Join(fails, "\n"), strings.Join(tc.fail, "\n"))
			}
			if pass != tc.pass {
				t.Errorf("PASS %q, want %q", pass, tc.pass)
			}
		})
	}
}

// TestTLSEffectiveMI: MI's listener table is its tls store; the rule has nothing to say.
func TestTLSEffectiveMI(t *testing.T) {
	r := audit(t, Options{}, goodMI().build(t).write(t))
	for _, f := range r.Findings {
		if f.Rule == RuleTLSEffective {
			t.Errorf("MI: %+v", f)
		}
	}
}

// TestTLSEffectivePlaceholder: an override whose placeholder does not resolve fails the
// placeholder rule, and tls-effective says nothing it cannot know.
func TestTLSEffectivePlaceholder(t *testing.T) {
	fx := goodIS()
	fx.deployment += "\n[transport.https.sslHostConfig.certificate.properties]\ncertificateKeystorePassword = \"$env{TLS_PASSWORD}\"\n"
	r := audit(t, Options{}, fx.build(t).write(t))
	if got := bad(r, Fail); !slices.Equal(got, []string{RulePlaceholder}) {
		t.Errorf("FAIL rules %v, want [%s]", got, RulePlaceholder)
	}
	for _, f := range r.Findings {
		if f.Rule == RuleTLSEffective {
			t.Errorf("tls-effective: %+v", f)
		}
		if f.Rule == RulePlaceholder && f.Severity == Fail && !strings.HasSuffix(f.Message, "certificateKeystorePassword: $env{TLS_PASSWORD} is not set") {
			t.Errorf("placeholder: %s", f.Message)
		}
	}
}
