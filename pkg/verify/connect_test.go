package verify

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wso2ks/wso2ks/internal/testkit"
	"github.com/wso2ks/wso2ks/pkg/keystore"
)

// connectTo runs verify --connect on dir with addresses mapped to loopback servers.
func connectTo(t *testing.T, dir string, m map[string]string, co ConnectOptions) *Report {
	t.Helper()
	co.Dial = testkit.DialMap(m)
	if co.Timeout == 0 {
		co.Timeout = 2 * time.Second
	}
	r, err := Connect(context.Background(), []string{dir}, Options{Now: testNow, ExpiryWarn: DefaultExpiryWarn}, co)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// reissue makes a certificate like c for key: self-signed, its validity shifted by shift.
func reissue(t *testing.T, c *x509.Certificate, key *keystore.KeyEntry, shift time.Duration) *x509.Certificate {
	t.Helper()
	tmpl := *c
	tmpl.SerialNumber = big.NewInt(c.SerialNumber.Int64() + 1)
	tmpl.NotBefore, tmpl.NotAfter = c.NotBefore.Add(shift), c.NotAfter.Add(shift)
	der, err := x509.CreateCertificate(rand.Reader, &tmpl, &tmpl, key.Key.Public(), key.Key)
	if err != nil {
		t.Fatal(err)
	}
	out, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestConnectRules serves one fault per case and asserts which connect-* rules fail and
// warn, and the words that tell the operator why.
func TestConnectRules(t *testing.T) {
	const addr = "iam.example.com:9443"
	ca := certSpec{cn: "Example Root CA", org: "Example Corp", key: fixtureKey(t, 3), keyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign}
	root := makeCert(t, ca)
	inter := makeCert(t, certSpec{cn: "Example Issuing CA", org: "Example Corp", key: fixtureKey(t, 1), keyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		issuer: root, issuerKey: ca.key})
	caSigned := func(fx *fixture) {
		fx.tls.issuer, fx.tls.issuerKey = inter, fixtureKey(t, 1)
		fx.tlsChain, fx.trustTLS = []*x509.Certificate{inter, root}, false
		fx.trusted = []keystore.TrustedCert{{Alias: "prod-ca", Cert: root}}
	}
	rotated := makeCert(t, certSpec{cn: "iam.example.com", org: "Example Corp", dns: []string{"iam.example.com"}, key: fixtureKey(t, 3)})
	for _, tc := range []struct {
		name   string
		change func(*fixture)
		// serve starts the server(s) for the home in dir (its tls store decoded) and maps addresses.
		serve      func(t *testing.T, tlsKey keystore.KeyEntry) map[string]string
		addr       string
		fail, warn []string
		message    string // in the first failure or warning
		timeout    time.Duration
	}{
		{name: "good", serve: func(t *testing.T, k keystore.KeyEntry) map[string]string {
			return map[string]string{addr: serveTLS(t, nil, k.Key, k.Chain...)}
		}},
		{name: "wrong certificate", serve: func(t *testing.T, k keystore.KeyEntry) map[string]string {
			other := makeCert(t, certSpec{cn: "iam.example.com", org: "Someone Else", dns: []string{"iam.example.com"}, key: fixtureKey(t, 0)})
			return map[string]string{addr: serveTLS(t, nil, fixtureKey(t, 0), other)}
		}, fail: []string{RuleConnectChain, RuleConnectLeaf}, message: "serves CN=iam.example.com,O=Someone Else"},
		{name: "expired", change: func(fx *fixture) { fx.tls.notAfter = testNow.AddDate(0, 0, -1) },
			serve: func(t *testing.T, k keystore.KeyEntry) map[string]string {
				return map[string]string{addr: serveTLS(t, nil, k.Key, k.Chain...)}
			}, fail: []string{RuleConnectExpiry}, message: "served expired on 2026-11-26"},
		{name: "expires soon", change: func(fx *fixture) { fx.tls.notAfter = testNow.AddDate(0, 0, 10) },
			serve: func(t *testing.T, k keystore.KeyEntry) map[string]string {
				return map[string]string{addr: serveTLS(t, nil, k.Key, k.Chain...)}
			}, warn: []string{RuleConnectExpiry}, message: "expires on 2026-12-07, in 10 days"},
		{name: "expired intermediate beats a leaf expiring soon", change: func(fx *fixture) {
			expired := makeCert(t, certSpec{cn: "Example Expired CA", org: "Example Corp", key: fixtureKey(t, 1), keyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
				notAfter: testNow.AddDate(0, 0, -1), issuer: root, issuerKey: ca.key})
			caSigned(fx)
			fx.tls.issuer, fx.tlsChain, fx.tls.notAfter = expired, []*x509.Certificate{expired, root}, testNow.AddDate(0, 0, 10)
		}, serve: func(t *testing.T, k keystore.KeyEntry) map[string]string {
			return map[string]string{addr: serveTLS(t, nil, k.Key, k.Chain[:2]...)}
		}, fail: []string{RuleConnectExpiry}, message: "CN=Example Expired CA,O=Example Corp served expired on 2026-11-26"},
		{name: "missing intermediate", change: caSigned, serve: func(t *testing.T, k keystore.KeyEntry) map[string]string {
			return map[string]string{addr: serveTLS(t, nil, k.Key, k.Chain[0])}
		}, fail: []string{RuleConnectChain, RuleConnectComplete}, message: "does not validate against the truststore"},
		{name: "whole CA chain", change: caSigned, serve: func(t *testing.T, k keystore.KeyEntry) map[string]string {
			return map[string]string{addr: serveTLS(t, nil, k.Key, k.Chain[:2]...)}
		}},
		{name: "chain out of order", change: caSigned, serve: func(t *testing.T, k keystore.KeyEntry) map[string]string {
			return map[string]string{addr: serveTLS(t, nil, k.Key, k.Chain[0], k.Chain[2], k.Chain[1])}
		}, fail: []string{RuleConnectComplete}, message: "out of order"},
		{name: "TLS 1.1 only", serve: func(t *testing.T, k keystore.KeyEntry) map[string]string {
			cfg := &tls.Config{MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS11}
			return map[string]string{addr: serveTLS(t, cfg, k.Key, k.Chain...)}
		}, fail: []string{RuleConnectProtocol}, message: "negotiated TLS 1.1"},
		{name: "TLS 1.0 only", serve: func(t *testing.T, k keystore.KeyEntry) map[string]string {
			cfg := &tls.Config{MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS10}
			return map[string]string{addr: serveTLS(t, cfg, k.Key, k.Chain...)}
		}, fail: []string{RuleConnectProtocol}, message: "negotiated TLS 1.0"},
		{name: "no answer", serve: func(t *testing.T, _ keystore.KeyEntry) map[string]string {
			return map[string]string{addr: silentServer(t)}
		}, timeout: 300 * time.Millisecond, fail: []string{RuleConnectReachable}, message: "timeout: no TLS handshake within 300ms"},
		{name: "refused", serve: func(t *testing.T, _ keystore.KeyEntry) map[string]string {
			return map[string]string{addr: closedPort(t)}
		}, fail: []string{RuleConnectReachable}, message: "connection refused"},
		{name: "DNS", serve: func(t *testing.T, _ keystore.KeyEntry) map[string]string { return nil },
			fail: []string{RuleConnectReachable}, message: "DNS: cannot resolve iam.example.com (no such host)"},
		{name: "handshake alert", serve: func(t *testing.T, k keystore.KeyEntry) map[string]string {
			cfg := &tls.Config{GetCertificate: func(*tls.ClientHelloInfo) (*tls.Certificate, error) { return nil, errNoCert }}
			return map[string]string{addr: serveTLS(t, cfg, nil)}
		}, fail: []string{RuleConnectReachable}, message: `the TLS alert "tls: internal error"`},
		{name: "SAN", addr: "portal.example.com:9443", serve: func(t *testing.T, k keystore.KeyEntry) map[string]string {
			return map[string]string{"portal.example.com:9443": serveTLS(t, nil, k.Key, k.Chain...)}
		}, fail: []string{RuleConnectSAN}, message: "does not cover portal.example.com"},
		{name: "old certificate after renew", serve: func(t *testing.T, k keystore.KeyEntry) map[string]string {
			old := reissue(t, k.Chain[0], &k, -30*24*time.Hour)
			return map[string]string{addr: serveTLS(t, nil, k.Key, old)}
		}, fail: []string{RuleConnectChain, RuleConnectLeaf}, message: "from before its renewal"},
		{name: "old key after rotate", change: func(fx *fixture) {
			fx.trusted = []keystore.TrustedCert{{Alias: "iam-tls-previous", Cert: rotated}}
		}, serve: func(t *testing.T, k keystore.KeyEntry) map[string]string {
			return map[string]string{addr: serveTLS(t, nil, fixtureKey(t, 3), rotated)}
		}, fail: []string{RuleConnectLeaf}, message: `which the truststore still trusts as "iam-tls-previous"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fx := goodIS()
			if tc.change != nil {
				tc.change(fx)
			}
			dir := fx.build(t).write(t)
			m := tc.serve(t, storeKey(t, dir, "tls.p12"))
			a := tc.addr
			if a == "" {
				a = addr
			}
			r := connectTo(t, dir, m, ConnectOptions{Addresses: []string{a}, Timeout: tc.timeout})
			if got := bad(r, Fail); !slices.Equal(got, tc.fail) {
				t.Errorf("failing rules %v, want %v:\n%+v", got, tc.fail, r.Findings)
			}
			if got := bad(r, Warn); !slices.Equal(got, tc.warn) {
				t.Errorf("warning rules %v, want %v:\n%+v", got, tc.warn, r.Findings)
			}
			for _, f := range r.Findings {
				if f.Address != a || f.Store != "tls" || f.Product != "wso2is-7.1.0" {
					t.Errorf("finding of %s/%s at %s, want wso2is-7.1.0/tls at %s", f.Product, f.Store, f.Address, a)
				}
				if (f.Fix == "") != (f.Severity == Pass) {
					t.Errorf("%s %s: fix %q", f.Severity, f.Rule, f.Fix)
				}
			}
			if tc.message != "" && !slices.ContainsFunc(r.Findings, func(f Finding) bool {
				return f.Severity != Pass && strings.Contains(f.Message, tc.message)
			}) {
				t.Errorf("no failure or warning says %q:\n%+v", tc.message, r.Findings)
			}
			if len(tc.fail) == 0 && len(tc.warn) == 0 && r.Summary.Pass != 7 {
				t.Errorf("%d rules passed, want the 7 connect rules:\n%+v", r.Summary.Pass, r.Findings)
			}
		})
	}
}

var errNoCert = errors.New("no certificate for this name")

// TestConnectVaultHome: --connect opens a home's stores with the passwords plain verify
// uses, so a tls store whose password is a $secret{…} opens with the vault's password
// from password-persist, and the certificate served is compared with it.
func TestConnectVaultHome(t *testing.T) {
	const addr = "iam.example.com:9443"
	h := vaultHome(t, nil)
	h.files["password-persist"] = []byte(testPassword + "\n")
	dir := h.write(t)
	k := storeKey(t, dir, "tls.p12")
	r := connectTo(t, dir, map[string]string{addr: serveTLS(t, nil, k.Key, k.Chain...)}, ConnectOptions{Addresses: []string{addr}})
	if got := bad(r, Fail); len(got) != 0 {
		t.Errorf("failing rules %v, want none:\n%+v", got, r.Findings)
	}
	if !slices.ContainsFunc(r.Findings, func(f Finding) bool {
		return f.Rule == RuleConnectLeaf && f.Severity == Pass && strings.Contains(f.Message, "serves the tls store's certificate")
	}) {
		t.Errorf("connect-leaf does not pass:\n%+v", r.Findings)
	}
}
