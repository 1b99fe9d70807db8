package verify

import (
	"crypto/x509"
	"time"

	"github.com/wso2ks/wso2ks/pkg/certs"
	"github.com/wso2ks/wso2ks/pkg/keystore"
)

// The chain a server sends: connect-chain (does the truststore validate it) and
// connect-complete (is every link there, in order).

// checkChain raises connect-chain: the chain served validates against the truststore with
// the intermediates the server sent, as a client holding that truststore validates it. The
// time is one at which every certificate served had started: expiry is connect-expiry's.
func (c *connectCheck) checkChain(chain []*x509.Certificate, trust EffectiveStore) {
	if trust.Store == nil {
		c.add(RuleConnectChain, Fail, "the truststore to validate with does not open; run verify without --connect")
		return
	}
	roots, inter := x509.NewCertPool(), x509.NewCertPool()
	for _, t := range trust.Store.Trusted {
		roots.AddCert(t.Cert)
	}
	at := chain[0].NotBefore
	for _, cert := range chain[1:] {
		inter.AddCert(cert)
		if cert.NotBefore.After(at) {
			at = cert.NotBefore
		}
	}
	chains, err := chain[0].Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, CurrentTime: at.Add(time.Second),
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}})
	if err != nil {
		c.add(RuleConnectChain, Fail, "the chain served does not validate against the truststore: %v", err)
		return
	}
	anchor := chains[0][len(chains[0])-1]
	c.add(RuleConnectChain, Pass, "the chain served validates against the truststore through %q", trustedAs(trust.Store, anchor))
}

// checkComplete raises connect-complete: each certificate served is followed by its issuer,
// and the last one is a root or was signed by a root the client has (the truststore's or the
// tls store's own). An issuer wso2ks knows as an intermediate but the server does not send is
// the missing link.
func (c *connectCheck) checkComplete(chain []*x509.Certificate, store EffectiveStore, trust *keystore.DecodedStore) {
	for i := 0; i+1 < len(chain); i++ {
		if chain[i].CheckSignatureFrom(chain[i+1]) != nil {
			c.add(RuleConnectComplete, Fail, "the chain served is out of order: %s is not signed by the next certificate, %s", chain[i].Subject, chain[i+1].Subject)
			return
		}
	}
	last := chain[len(chain)-1]
	switch {
	case certs.IsSelfSigned(last) && len(chain) == 1:
		c.add(RuleConnectComplete, Pass, "the certificate served is self-signed: there is no intermediate to send")
		return
	case certs.IsSelfSigned(last):
		c.add(RuleConnectComplete, Pass, "the chain served (%d certificates) ends at the root %s", len(chain), last.Subject)
		return
	}
	var known []*x509.Certificate
	if store.Key != nil {
		known = append(known, store.Key.Chain...)
	}
	if trust != nil {
		for _, t := range trust.Trusted {
			known = append(known, t.Cert)
		}
	}
	var intermediate *x509.Certificate
	for _, k := range known {
		if last.CheckSignatureFrom(k) != nil {
			continue
		}
		if certs.IsSelfSigned(k) {
			c.add(RuleConnectComplete, Pass, "the chain served (%d certificates) reaches %s, whose issuer is the root %s", len(chain), last.Subject, k.Subject)
			return
		}
		intermediate = k
	}
	if intermediate != nil {
		c.add(RuleConnectComplete, Fail, "the server does not send the intermediate %s, which issued %s", intermediate.Subject, last.Subject)
		return
	}
	c.add(RuleConnectComplete, Warn, "the chain served ends at %s, whose issuer %s is neither sent nor a certificate of the truststore or the store: an intermediate may be missing", last.Subject, last.Issuer)
}

// trustedAs is the alias under which the truststore holds cert, or "".
func trustedAs(trust *keystore.DecodedStore, cert *x509.Certificate) string {
	if trust == nil {
		return ""
	}
	for _, t := range trust.Trusted {
		if t.Cert.Equal(cert) {
			return t.Alias
		}
	}
	return ""
}
