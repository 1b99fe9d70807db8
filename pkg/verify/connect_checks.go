package verify

import (
	"bytes"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/wso2ks/wso2ks/pkg/gen"
	"github.com/wso2ks/wso2ks/pkg/keystore"
)

// connectCheck collects the findings of one address.
type connectCheck struct {
	t        target
	o        Options
	findings []Finding
}

func (c *connectCheck) add(rule string, sev Severity, format string, args ...any) {
	f := Finding{Rule: rule, Severity: sev, Target: c.t.s.p.Target, Product: c.t.s.p.label(), Store: c.t.l.Role,
		Address: c.t.address(), Message: fmt.Sprintf(format, args...)}
	if sev != Pass {
		f.Fix = ruleByID(rule).Fix
	}
	c.findings = append(c.findings, f)
}

// checkServed raises the connect-* rules on what the server at c.t presented.
func (c *connectCheck) checkServed(h *handshake) {
	c.add(RuleConnectReachable, Pass, "answers TLS on the %s", c.t.l)
	if h.version >= tls.VersionTLS12 {
		c.add(RuleConnectProtocol, Pass, "negotiated %s", tls.VersionName(h.version))
	} else {
		c.add(RuleConnectProtocol, Fail, "negotiated %s: the listener still accepts a protocol older than TLS 1.2", tls.VersionName(h.version))
	}
	if len(h.chain) == 0 {
		c.add(RuleConnectLeaf, Fail, "the server sent no certificate")
		return
	}
	leaf := h.chain[0]
	store := c.t.s.stores[c.t.l.Role]
	trust := c.t.s.stores[gen.RoleTruststore]
	c.checkLeaf(leaf, store, trust.Store)
	c.checkChain(h.chain, trust)
	c.checkComplete(h.chain, store, trust.Store)
	if err := leaf.VerifyHostname(c.t.host); err != nil {
		c.add(RuleConnectSAN, Fail, "the certificate served (SAN %s) does not cover %s", listOrNone(append(leaf.DNSNames, ipStrings(leaf)...)), c.t.host)
	} else {
		c.add(RuleConnectSAN, Pass, "the certificate served covers %s", c.t.host)
	}
	c.checkExpiry(h.chain)
}

// checkLeaf raises connect-leaf: the leaf served is the configured store's, or it tells a
// renewal (same key, older certificate) or a rotation (a certificate the truststore still
// trusts) the server has not loaded yet from a certificate of unknown origin.
func (c *connectCheck) checkLeaf(leaf *x509.Certificate, store EffectiveStore, trust *keystore.DecodedStore) {
	if store.Key == nil || len(store.Key.Chain) == 0 {
		why := "does not open"
		switch {
		case store.Unresolved != nil:
			why = fmt.Sprintf("does not resolve (%v)", store.Unresolved)
		case store.Missing:
			why = "is missing"
		case store.OpenErr != nil:
			why = fmt.Sprintf("does not open (%v)", store.OpenErr)
		}
		c.add(RuleConnectLeaf, Fail, "served %s (SHA-256 %s), and the %s store to compare it with %s; run verify without --connect",
			leaf.Subject, fingerprint(leaf), c.t.l.Role, why)
		return
	}
	want := store.Key.Chain[0]
	switch {
	case leaf.Equal(want):
		c.add(RuleConnectLeaf, Pass, "serves the %s store's certificate (SHA-256 %s)", c.t.l.Role, fingerprint(leaf))
	case bytes.Equal(leaf.RawSubjectPublicKeyInfo, want.RawSubjectPublicKeyInfo) && leaf.NotBefore.Before(want.NotBefore):
		c.add(RuleConnectLeaf, Fail, "serves the certificate of the %s store's key from before its renewal (SHA-256 %s, valid until %s), not the renewed one (SHA-256 %s, valid until %s): a restart is due",
			c.t.l.Role, fingerprint(leaf), day(leaf.NotAfter), fingerprint(want), day(want.NotAfter))
	case bytes.Equal(leaf.RawSubjectPublicKeyInfo, want.RawSubjectPublicKeyInfo):
		c.add(RuleConnectLeaf, Fail, "serves another certificate for the %s store's key (SHA-256 %s, valid from %s) than the store holds (SHA-256 %s, valid from %s): the node's store is not this one",
			c.t.l.Role, fingerprint(leaf), day(leaf.NotBefore), fingerprint(want), day(want.NotBefore))
	case trustedAs(trust, leaf) != "":
		alias := trustedAs(trust, leaf)
		if strings.HasSuffix(strings.ToLower(alias), "-previous") {
			c.add(RuleConnectLeaf, Fail, "serves the certificate of the key rotated out (SHA-256 %s), which the truststore still trusts as %q, not the %s store's new one (SHA-256 %s): a restart is due before 'wso2ks rotate --finish'",
				fingerprint(leaf), alias, c.t.l.Role, fingerprint(want))
		} else {
			c.add(RuleConnectLeaf, Fail, "serves the certificate the truststore holds as %q (SHA-256 %s), not the %s store's (SHA-256 %s)",
				alias, fingerprint(leaf), c.t.l.Role, fingerprint(want))
		}
	default:
		c.add(RuleConnectLeaf, Fail, "serves %s (SHA-256 %s), not the %s store's certificate %s (SHA-256 %s)",
			leaf.Subject, fingerprint(leaf), c.t.l.Role, want.Subject, fingerprint(want))
	}
}

// checkExpiry raises connect-expiry over every certificate served.
func (c *connectCheck) checkExpiry(chain []*x509.Certificate) {
	switch sev, cert, what := expiryOf(chain, c.o.Now, c.o.ExpiryWarn); sev {
	case Pass:
		c.add(RuleConnectExpiry, Pass, "the certificate served is %s", what)
	default:
		c.add(RuleConnectExpiry, sev, "%s served %s", cert.Subject, what)
	}
}

// expiryOf judges a chain's dates at now: Fail if any certificate has expired, else Warn
// if any expires within warn, else Pass. cert is the first certificate of that worst kind
// (the leaf for Pass) and what says why: "expired on D", "expires on D, in N days" or
// "valid until D". cert-expiry and connect-expiry word the finding around it.
func expiryOf(chain []*x509.Certificate, now time.Time, warn time.Duration) (sev Severity, cert *x509.Certificate, what string) {
	var expired, soon *x509.Certificate
	for _, c := range chain {
		switch left := c.NotAfter.Sub(now); {
		case left <= 0 && expired == nil:
			expired = c
		case left > 0 && left < warn && soon == nil:
			soon = c
		}
	}
	switch {
	case expired != nil:
		return Fail, expired, "expired on " + day(expired.NotAfter)
	case soon != nil:
		return Warn, soon, fmt.Sprintf("expires on %s, in %d days", day(soon.NotAfter), int(soon.NotAfter.Sub(now).Hours()/24))
	}
	return Pass, chain[0], "valid until " + day(chain[0].NotAfter)
}

// fingerprint is the first 16 hex digits of the certificate's SHA-256, as in instances-identical.
func fingerprint(c *x509.Certificate) string {
	sum := sha256.Sum256(c.Raw)
	return hex.EncodeToString(sum[:8])
}

func day(t time.Time) string { return t.UTC().Format("2006-01-02") }
