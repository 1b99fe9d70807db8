package verify

import (
	"slices"
	"testing"
	"time"

	"github.com/wso2ks/wso2ks/pkg/keystore"
)

// storeFindings returns "SEVERITY rule: message" of one store's findings, in report order.
func storeFindings(r *Report, store string, rules ...string) []string {
	var out []string
	for _, f := range r.Findings {
		if f.Store == store && slices.Contains(rules, f.Rule) {
			out = append(out, string(f.Severity)+" "+f.Rule+": "+f.Message)
		}
	}
	return out
}

// TestTruststoreExpiry: an expired or expiring peer certificate in the truststore warns; the
// public CAs and the product's own certificates (cert-expiry's) do not.
func TestTruststoreExpiry(t *testing.T) {
	const ts = "repository/resources/security/client-truststore.p12"
	peer := func(alias string, notAfter time.Time) func(*fixture) {
		return func(fx *fixture) {
			cert := makeCert(t, certSpec{cn: "peer.example.com", org: "Example Corp", key: fixtureKey(t, 3), notAfter: notAfter})
			fx.trusted = append(fx.trusted, keystore.TrustedCert{Alias: alias, Cert: cert})
		}
	}
	const none = "PASS truststore-expiry: no entry of " + ts + " but the public CAs and the product's own certificates expires within 30 days"
	for _, tc := range []struct {
		name    string
		fixture func(*fixture)
		warn    time.Duration
		want    []string
		fail    []string
	}{
		{name: "good", want: []string{none}},
		{name: "peer expired", fixture: peer("peer", testNow.AddDate(0, 0, -2)),
			want: []string{`WARN truststore-expiry: ` + ts + ` entry "peer" (CN=peer.example.com,O=Example Corp) expired on 2026-11-25`}},
		{name: "peer expires soon", fixture: peer("peer", testNow.AddDate(0, 0, 10)),
			want: []string{`WARN truststore-expiry: ` + ts + ` entry "peer" (CN=peer.example.com,O=Example Corp) expires on 2026-12-07, in 10 days`}},
		{name: "peer inside a wider window", fixture: peer("peer", testNow.AddDate(1, 0, 0)), warn: 400 * 24 * time.Hour,
			want: []string{`WARN truststore-expiry: ` + ts + ` entry "peer" (CN=peer.example.com,O=Example Corp) expires on 2027-11-27, in 365 days`}},
		{name: "public CA expired", fixture: peer("public-old-root-ca", testNow.AddDate(0, 0, -2)), want: []string{none}},
		{name: "two peers", fixture: func(fx *fixture) {
			peer("peer-a", testNow.AddDate(0, 0, -2))(fx)
			peer("peer-b", testNow.AddDate(0, 0, 5))(fx)
		}, want: []string{
			`WARN truststore-expiry: ` + ts + ` entry "peer-a" (CN=peer.example.com,O=Example Corp) expired on 2026-11-25`,
			`WARN truststore-expiry: ` + ts + ` entry "peer-b" (CN=peer.example.com,O=Example Corp) expires on 2026-12-02, in 5 days`}},
		// The product's own tls certificate: cert-expiry fails it once, on the tls store.
		{name: "own tls expired", fixture: func(fx *fixture) { fx.tls.notAfter = testNow.AddDate(0, 0, -1) },
			want: []string{none}, fail: []string{RuleCertExpiry}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fx := goodIS()
			if tc.fixture != nil {
				tc.fixture(fx)
			}
			r := audit(t, Options{ExpiryWarn: tc.warn}, fx.build(t).write(t))
			if got := storeFindings(r, "truststore", RuleTrustExpiry); !slices.Equal(got, tc.want) {
				t.Errorf("got %q\nwant %q", got, tc.want)
			}
			if got := bad(r, Fail); !slices.Equal(got, tc.fail) {
				t.Errorf("FAIL rules %v, want %v", got, tc.fail)
			}
			for _, f := range r.Findings {
				if f.Rule == RuleTrustExpiry && f.Severity == Warn && f.Fix != ruleByID(RuleTrustExpiry).Fix {
					t.Errorf("fix %q", f.Fix)
				}
			}
		})
	}
}

// TestInternalAPITruststore: MI's [internal_api_ssl_config.trust_store] opens with its password
// and trusts the listener's certificate, its keys defaulting to [truststore]'s.
func TestInternalAPITruststore(t *testing.T) {
	const table = "\n[internal_api_ssl_config.trust_store]\n"
	const ts = "repository/resources/security/client-truststore.p12"
	for _, tc := range []struct {
		name, base, config string
		other              bool // add api-trust.p12, which trusts another certificate only
		want               []string
		fail               []string
	}{
		{name: "defaults to [truststore]", config: table + `location = "` + ts + `"` + "\n", want: []string{
			"PASS store-opens: " + ts + " opens as PKCS12",
			"PASS truststore-trusts-tls: " + ts + ` trusts the tls certificate through "iam-tls"`}},
		{name: "all keys", config: table + `location = "` + ts + `"` + "\ntype = \"PKCS12\"\npassword = \"Fixture-pass-1\"\n", want: []string{
			"PASS store-opens: " + ts + " opens as PKCS12",
			"PASS truststore-trusts-tls: " + ts + ` trusts the tls certificate through "iam-tls"`}},
		{name: "wrong password", config: table + `location = "` + ts + `"` + "\npassword = \"Wrong-pass-1\"\n", want: []string{
			"FAIL store-opens: " + ts + " does not open as PKCS12 with the password of [internal_api_ssl_config.trust_store]: store password is incorrect, or the store was tampered with"},
			fail: []string{RuleStoreOpens}},
		{name: "wrong type", config: table + `location = "` + ts + `"` + "\ntype = \"JKS\"\n", want: []string{
			"FAIL store-opens: " + ts + " does not open as JKS with the password of [internal_api_ssl_config.trust_store]: not a jks store: wrong magic number"},
			fail: []string{RuleStoreOpens}},
		{name: "missing", config: table + `location = "repository/resources/security/nope.p12"` + "\n", want: []string{
			`FAIL store-opens: repository/resources/security/nope.p12 (file_name "repository/resources/security/nope.p12" of [internal_api_ssl_config.trust_store]) is not a file`},
			fail: []string{RuleStoreOpens}},
		{name: "lacks the listener's certificate", other: true, config: table + `location = "repository/resources/security/api-trust.p12"` + "\n", want: []string{
			"PASS store-opens: repository/resources/security/api-trust.p12 opens as PKCS12",
			"FAIL truststore-trusts-tls: repository/resources/security/api-trust.p12 trusts neither the tls certificate (CN=iam.example.com,O=Example Corp) nor its issuer"},
			fail: []string{RuleTrustsTLS}},
		{name: "bare location", config: table + `location = "client-truststore.p12"` + "\n", want: []string{
			`FAIL store-opens: client-truststore.p12 (file_name "client-truststore.p12" of [internal_api_ssl_config.trust_store]) is not a file`},
			fail: []string{RuleIgnoredKey, RuleStoreOpens}},
		// IS has no internal API: the table is not the product's.
		{name: "not MI", base: "is", config: table + `location = "nope.p12"` + "\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fx := goodMI()
			if tc.base == "is" {
				fx = goodIS()
			}
			fx.deployment += tc.config
			h := fx.build(t)
			if tc.other {
				other := makeCert(t, certSpec{cn: "other.example.com", org: "Example Corp", key: fixtureKey(t, 3)})
				h.files[isSecurity+"api-trust.p12"] = trustStore(t, keystore.PKCS12, testPassword, keystore.TrustedCert{Alias: "other", Cert: other})
			}
			r := audit(t, Options{}, h.write(t))
			got := storeFindings(r, RoleInternalAPITrust, RuleStoreOpens, RuleTrustsTLS)
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %q\nwant %q", got, tc.want)
			}
			if got := bad(r, Fail); !slices.Equal(got, tc.fail) {
				t.Errorf("FAIL rules %v, want %v", got, tc.fail)
			}
			if got := bad(r, Warn); len(got) > 0 {
				t.Errorf("WARN rules %v", got)
			}
		})
	}
}
