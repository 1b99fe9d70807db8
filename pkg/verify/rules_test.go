package verify

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/pkg/gen"
	"github.com/wso2ks/wso2ks/pkg/keystore"
)

func audit(t *testing.T, o Options, paths ...string) *Report {
	t.Helper()
	if o.Now.IsZero() {
		o.Now = testNow
	}
	if o.ExpiryWarn == 0 {
		o.ExpiryWarn = DefaultExpiryWarn
	}
	r, err := Verify(paths, o)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// bad lists the rule IDs with a finding of severity sev, sorted and unique.
func bad(r *Report, sev Severity) []string {
	var ids []string
	for _, f := range r.Findings {
		if f.Severity == sev && !slices.Contains(ids, f.Rule) {
			ids = append(ids, f.Rule)
		}
	}
	slices.Sort(ids)
	return ids
}

func TestGoodHomePasses(t *testing.T) {
	dir := goodIS().build(t).write(t)
	r := audit(t, Options{}, dir)
	if got := bad(r, Fail); len(got) > 0 {
		t.Fatalf("a good home fails %v:\n%+v", got, r.Findings)
	}
	if got := bad(r, Warn); len(got) > 0 {
		t.Fatalf("a good home warns %v", got)
	}
	// Every finding names a rule of the table, and only failures carry a fix.
	for _, f := range r.Findings {
		if ruleByID(f.Rule).Explain == "" {
			t.Errorf("finding of unknown rule %q", f.Rule)
		}
	}
}

// TestRules breaks one rule per case and asserts exactly which rules fail (and warn, and skip).
func TestRules(t *testing.T) {
	replace := func(old, new string) func(*fixture) {
		return func(fx *fixture) {
			if !strings.Contains(fx.deployment, old) {
				panic("fixture lacks " + old)
			}
			fx.deployment = strings.Replace(fx.deployment, old, new, 1)
		}
	}
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	ca := certSpec{cn: "Example CA", org: "Example Corp", key: fixtureKey(t, 3), keyUsage: x509.KeyUsageCertSign}
	caCert := makeCert(t, ca)
	signedBy := func(alg x509.SignatureAlgorithm, trustCA bool) func(*fixture) {
		return func(fx *fixture) {
			fx.tls.issuer, fx.tls.issuerKey, fx.tls.sigAlg = caCert, ca.key, alg
			fx.tlsChain = []*x509.Certificate{caCert}
			if trustCA {
				fx.trustTLS, fx.trusted = false, []keystore.TrustedCert{{Alias: "example-ca", Cert: caCert}}
			}
		}
	}
	for _, tc := range []struct {
		name    string
		base    func() *fixture
		fixture func(*fixture)
		home    func(*home)
		fail    []string
		warn    []string
		skip    []string
		getenv  map[string]string
	}{
		{name: "wrong password", fixture: replace(`file_name = "tls.p12"
type = "PKCS12"
password = "Fixture-pass-1"`, `file_name = "tls.p12"
type = "PKCS12"
password = "Wrong-pass-1"`), fail: []string{RuleStoreOpens, RuleTLSPassword}},
		{name: "wrong type", fixture: replace(`file_name = "internal.p12"
type = "PKCS12"`, `file_name = "internal.p12"
type = "JKS"`), fail: []string{RuleStoreOpens}},
		{name: "missing store", home: func(h *home) { delete(h.files, isSecurity+"internal.p12") }, fail: []string{RuleStoreOpens}},
		{name: "corrupt store", home: func(h *home) { h.files[isSecurity+"internal.p12"] = []byte("not a store at all, just text") }, fail: []string{RuleStoreOpens}},
		{name: "truncated store", home: func(h *home) {
			d := h.files[isSecurity+"internal.p12"]
			h.files[isSecurity+"internal.p12"] = d[:len(d)/2]
		}, fail: []string{RuleStoreOpens}},
		{name: "alias", fixture: replace(`alias = "primary"`, `alias = "wso2carbon"`), fail: []string{RuleKeyAlias}},
		{name: "no dataEncipherment", fixture: func(fx *fixture) {
			fx.internal.keyUsage = x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment
		}, fail: []string{RuleCipherKey}},
		{name: "tls key password differs", fixture: replace(`alias = "tls"
key_password = "Fixture-pass-1"`, `alias = "tls"
key_password = "Other-pass-1"`), fail: []string{RuleKeyAlias, RuleTLSPassword}},
		{name: "tls san", fixture: replace(`hostname = "iam.example.com"`, `hostname = "iam.other.com"`), fail: []string{RuleTLSSAN}},
		{name: "expired", fixture: func(fx *fixture) { fx.tls.notAfter = testNow.AddDate(0, 0, -1) }, fail: []string{RuleCertExpiry}},
		{name: "expires soon", fixture: func(fx *fixture) { fx.tls.notAfter = testNow.AddDate(0, 0, 10) }, warn: []string{RuleCertExpiry}},
		{name: "small rsa", fixture: func(fx *fixture) { fx.tls.key = small }, fail: []string{RuleRSASize}},
		{name: "small rsa cipher", fixture: func(fx *fixture) { fx.primary.key = small }, fail: []string{RuleCipherKey, RuleRSASize}},
		{name: "sha1 below a root", fixture: signedBy(x509.SHA1WithRSA, false), fail: []string{RuleSignatureAlg}},
		{name: "ca-signed tls trusted through its issuer", fixture: signedBy(x509.SHA256WithRSA, true)},
		{name: "apim", base: goodAPIM},
		{name: "apim gateway alias", base: goodAPIM, fixture: func(fx *fixture) { fx.gateway = false }, fail: []string{RuleGatewayAlias}},
		{name: "apim localhost", base: goodAPIM, fixture: func(fx *fixture) { fx.tls.dns = []string{"iam.example.com"} }, fail: []string{RuleTLSSAN}},
		{name: "mi", base: goodMI},
		{name: "mi bare file_name", base: goodMI, fixture: replace(`file_name = "repository/resources/security/internal.p12"`, `file_name = "internal.p12"`),
			fail: []string{RuleIgnoredKey, RuleStoreOpens}},
		{name: "mi listener file_name", base: goodMI, fixture: replace(`location = "repository/resources/security/tls.p12"`, `file_name = "repository/resources/security/tls.p12"`),
			fail: []string{RuleIgnoredKey, RuleKeyAlias}},
		{name: "mi internal api", base: goodMI, fixture: func(fx *fixture) {
			fx.deployment += "\n[internal_api_ssl_config.key_store]\nlocation = \"repository/resources/security/tls.p12\"\ntype = \"PKCS12\"\npassword = \"Fixture-pass-1\"\nkey_password = \"Other-pass-1\"\n"
		}, fail: []string{RuleKeyAlias, RuleTLSPassword}},
		{name: "mi keystore.tls", base: goodMI, fixture: func(fx *fixture) {
			fx.deployment += "\n[keystore.tls]\nfile_name = \"repository/resources/security/tls.p12\"\n"
		}, fail: []string{RuleIgnoredKey}},
		{name: "mi listener defaults to primary", base: goodMI, fixture: func(fx *fixture) {
			fx.deployment = fx.deployment[:strings.Index(fx.deployment, "[transport.http.listener.keystore]")]
		}, fail: []string{RuleTLSSAN}},
		{name: "ref fan-out", fixture: func(fx *fixture) {
			fx.deployment = strings.Replace(fx.deployment, `alias = "internal"
key_password = "Fixture-pass-1"`, `alias = "internal"
key_password = "$ref{x.k0}"`, 1) + "\n[x]\n"
			for i := range 12 {
				fx.deployment += fmt.Sprintf("k%d = \"%s\"\n", i, strings.Repeat(fmt.Sprintf("$ref{x.k%d}", i+1), 4))
			}
		}, fail: []string{RulePlaceholder}},
		{name: "truststore lacks tls", fixture: func(fx *fixture) { fx.trustTLS = false }, fail: []string{RuleTrustsTLS}},
		{name: "truststore peer expired", fixture: func(fx *fixture) {
			peer := makeCert(t, certSpec{cn: "peer.example.com", org: "Example Corp", key: fixtureKey(t, 3), notAfter: testNow.AddDate(0, 0, -1)})
			fx.trusted = []keystore.TrustedCert{{Alias: "peer", Cert: peer}}
		}, warn: []string{RuleTrustExpiry}},
		{name: "mi internal api truststore password", base: goodMI, fixture: func(fx *fixture) {
			fx.deployment += "\n[internal_api_ssl_config.trust_store]\nlocation = \"repository/resources/security/client-truststore.p12\"\npassword = \"Wrong-pass-1\"\n"
		}, fail: []string{RuleStoreOpens}},
		{name: "vault keystore", home: func(h *home) {
			h.files["repository/conf/security/secret-conf.properties"] = secretConfFile("${carbon.home}/repository/resources/security/primary.p12", "PKCS12", "internal")
		}, fail: []string{RuleVaultStore}},
		{name: "default password", fixture: replace(`[truststore]
file_name = "client-truststore.p12"
type = "PKCS12"
password = "Fixture-pass-1"`, `[truststore]
file_name = "client-truststore.p12"
type = "PKCS12"
password = "wso2carbon"`), fail: []string{RuleDefaultPass, RuleStoreOpens}},
		{name: "default cert", fixture: func(fx *fixture) { fx.tls.cn, fx.tls.org = "localhost", "WSO2" }, fail: []string{RuleDefaultCert}},
		{name: "file mode", home: func(h *home) { h.modes[isSecurity+"tls.p12"] = 0o644 }, warn: []string{RuleFileMode}},
		{name: "name for file_name", fixture: replace(`file_name = "primary.p12"`, `name = "primary.p12"`),
			fail: []string{RuleIgnoredKey, RuleStoreOpens}},
		{name: "path in IS file_name", fixture: replace(`file_name = "tls.p12"`, `file_name = "repository/resources/security/tls.p12"`),
			fail: []string{RuleIgnoredKey, RuleStoreOpens}},
		{name: "unset env", fixture: replace(`alias = "internal"
key_password = "Fixture-pass-1"`, `alias = "internal"
key_password = "$env{IAM_INTERNAL_PASSWORD}"`), fail: []string{RulePlaceholder}},
		{name: "unset env file_name", fixture: replace(`file_name = "internal.p12"`, `file_name = "$env{INTERNAL_FILE}"`), fail: []string{RulePlaceholder}},
		{name: "env", fixture: replace(`alias = "internal"
key_password = "Fixture-pass-1"`, `alias = "internal"
key_password = "$env{IAM_INTERNAL_PASSWORD}"`), getenv: map[string]string{"IAM_INTERNAL_PASSWORD": testPassword}},
		{name: "secret without password", fixture: func(fx *fixture) {
			fx.deployment = strings.Replace(fx.deployment, `alias = "tls"
key_password = "Fixture-pass-1"`, `alias = "tls"
key_password = "$secret{tls_key}"`, 1) + "\n[secrets]\ntls_key = \"AAAA\"\n"
		}, skip: []string{RuleSecretDecrypts}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.base == nil {
				tc.base = goodIS
			}
			fx := tc.base()
			if tc.fixture != nil {
				tc.fixture(fx)
			}
			h := fx.build(t)
			if tc.home != nil {
				tc.home(h)
			}
			dir := h.write(t)
			r := audit(t, Options{Getenv: func(k string) (string, bool) { v, ok := tc.getenv[k]; return v, ok }}, dir)
			if got := bad(r, Fail); !slices.Equal(got, sorted(tc.fail)) {
				t.Errorf("FAIL rules %v, want %v", got, sorted(tc.fail))
			}
			if got := bad(r, Warn); !slices.Equal(got, sorted(tc.warn)) {
				t.Errorf("WARN rules %v, want %v", got, sorted(tc.warn))
			}
			if got := bad(r, Skip); !slices.Equal(got, sorted(tc.skip)) {
				t.Errorf("SKIP rules %v, want %v", got, sorted(tc.skip))
			}
			for _, f := range r.Findings {
				if f.Severity != Pass && f.Fix == "" {
					t.Errorf("%s %s has no fix", f.Severity, f.Rule)
				}
				if strings.Contains(f.Message, testPassword) {
					t.Errorf("%s prints a password: %s", f.Rule, f.Message)
				}
			}
		})
	}
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

func TestDiscoverErrors(t *testing.T) {
	dir := t.TempDir()
	is := filepath.Join(dir, "some-home")
	os.MkdirAll(filepath.Join(is, "repository", "conf"), 0o700)
	os.WriteFile(filepath.Join(is, "repository", "conf", "deployment.toml"), nil, 0o600)
	for _, tc := range []struct{ name, path, want string }{
		{"missing", filepath.Join(dir, "nope"), filepath.Join(dir, "nope") + " is not a directory; give a bundle directory, a product directory of a bundle, or a WSO2 home"},
		{"unknown kind", is, is + " has repository/conf/deployment.toml but neither a start script (bin/wso2server.sh, bin/api-manager.sh, bin/micro-integrator.sh) nor a pack name (wso2is-7.1.0) that says which product it is"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Verify([]string{tc.path}, Options{})
			if err == nil || err.Error() != tc.want || !errors.Is(err, gen.ErrInput) {
				t.Errorf("got %v\nwant %s", err, tc.want)
			}
		})
	}
}

// TestTLSTwoKeys uses keytool for a PKCS#12 store with two private keys, which wso2ks's
// encoder refuses to write.
func TestTLSTwoKeys(t *testing.T) {
	if _, err := exec.LookPath("keytool"); err != nil {
		t.Fatal("keytool is needed (apt-get install openjdk-17-jdk-headless)")
	}
	h := goodIS().build(t)
	dir := h.write(t)
	store := filepath.Join(dir, isSecurity+"tls.p12")
	os.Remove(store)
	for _, alias := range []string{"tls", "other"} {
		cmd := exec.Command("keytool", "-genkeypair", "-alias", alias, "-dname", "CN=iam.example.com, O=Example Corp",
			"-ext", "SAN=dns:iam.example.com,dns:localhost", "-keyalg", "RSA", "-keysize", "2048", "-validity", "365",
			"-storetype", "PKCS12", "-keystore", store, "-storepass:env", "PW", "-keypass:env", "PW")
		cmd.Env = append(os.Environ(), "PW="+testPassword)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("keytool: %v\n%s", err, out)
		}
	}
	r := audit(t, Options{Now: testNow}, dir)
	// keytool's certificate is not in the fixture truststore, so that rule fails too.
	if got, want := bad(r, Fail), []string{RuleTLSSingleKey, RuleTrustsTLS}; !slices.Equal(got, want) {
		t.Errorf("FAIL rules %v, want %v", got, want)
	}
}

func TestInstances(t *testing.T) {
	a, b := goodIS().build(t).write(t), goodIS().build(t).write(t)
	r := audit(t, Options{}, a, b)
	if got := bad(r, Fail); len(got) > 0 {
		t.Errorf("identical instances fail %v", got)
	}
	other := goodIS()
	other.tls.key = fixtureKey(t, 3)
	c := other.build(t).write(t)
	r = audit(t, Options{}, a, c)
	if got := bad(r, Fail); !slices.Equal(got, []string{RuleInstances}) {
		t.Errorf("FAIL rules %v, want [%s]", got, RuleInstances)
	}
	for _, f := range r.Findings {
		if f.Rule == RuleInstances && (f.Severity == Fail) != (f.Store == gen.RoleTLS) {
			t.Errorf("%s %s: %s", f.Severity, f.Store, f.Message)
		}
	}
}

// TestTruststoreVisible: a PKCS#12 truststore that openssl wrote without -jdktrust holds
// certificates Java does not see.
func TestTruststoreVisible(t *testing.T) {
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Fatal("openssl is needed")
	}
	fx := goodIS()
	h := fx.build(t)
	dir := h.write(t)
	tlsStore, err := os.ReadFile(filepath.Join(dir, isSecurity+"tls.p12"))
	if err != nil {
		t.Fatal(err)
	}
	decoded, err := keystore.Decode(keystore.PKCS12, tlsStore, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	pem := filepath.Join(t.TempDir(), "tls.pem")
	os.WriteFile(pem, pemCert(decoded.Keys[0].Chain[0]), 0o600)
	ts := filepath.Join(dir, isSecurity+"client-truststore.p12")
	cmd := exec.Command("openssl", "pkcs12", "-export", "-nokeys", "-in", pem, "-out", ts, "-passout", "env:PW")
	cmd.Env = append(os.Environ(), "PW="+testPassword)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("openssl: %v\n%s", err, out)
	}
	r := audit(t, Options{}, dir)
	if got, want := bad(r, Fail), []string{RuleTrustsTLS, RuleTrustVisible}; !slices.Equal(got, want) {
		t.Errorf("FAIL rules %v, want %v", got, want)
	}
}

// TestJKSKeyPassword: IS and APIM open a JKS key with key_password, which may differ from
// the store password (keytool -keypass); a wrong key_password does not open it.
func TestJKSKeyPassword(t *testing.T) {
	if _, err := exec.LookPath("keytool"); err != nil {
		t.Fatal("keytool is needed (apt-get install openjdk-17-jdk-headless)")
	}
	const keyPassword = "Key-pass-22"
	for _, tc := range []struct {
		name, configured string
		fail             []string
	}{
		{"key_password opens the key", keyPassword, nil},
		{"wrong key_password", "Wrong-pass-22", []string{RuleStoreOpens}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fx := goodIS()
			fx.deployment = strings.Replace(fx.deployment, `file_name = "primary.p12"
type = "PKCS12"
password = "Fixture-pass-1"
alias = "primary"
key_password = "Fixture-pass-1"`, `file_name = "primary.jks"
type = "JKS"
password = "Fixture-pass-1"
alias = "primary"
key_password = "`+tc.configured+`"`, 1)
			dir := fx.build(t).write(t)
			cmd := exec.Command("keytool", "-genkeypair", "-alias", "primary", "-dname", "CN=iam.example.com, O=Example Corp",
				"-keyalg", "RSA", "-keysize", "2048", "-validity", "365", "-storetype", "JKS",
				"-keystore", filepath.Join(dir, isSecurity+"primary.jks"), "-storepass:env", "PW", "-keypass:env", "KP")
			cmd.Env = append(os.Environ(), "PW="+testPassword, "KP="+keyPassword)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("keytool: %v\n%s", err, out)
			}
			r := audit(t, Options{}, dir)
			if got := bad(r, Fail); !slices.Equal(got, tc.fail) {
				t.Errorf("FAIL rules %v, want %v", got, tc.fail)
			}
		})
	}
}
