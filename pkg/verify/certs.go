package verify

import (
	"bytes"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"fmt"
	"slices"
	"strings"

	"github.com/wso2ks/wso2ks/pkg/gen"
	"github.com/wso2ks/wso2ks/pkg/keystore"
)

// minRSABits is the smallest RSA key NIST SP 800-131A allows after 2013.
const minRSABits = 2048

var oidKeyUsage = asn1.ObjectIdentifier{2, 5, 29, 15}

// weakSignatures are digests with practical collisions: a CA signature over them can be forged.
var weakSignatures = []x509.SignatureAlgorithm{x509.MD2WithRSA, x509.MD5WithRSA, x509.SHA1WithRSA, x509.DSAWithSHA1, x509.ECDSAWithSHA1}

// IsWSO2DefaultCert reports whether c is the certificate WSO2 ships in every pack
// (CN=localhost, O=WSO2): its private key is in every pack, so anyone can sign as it.
func IsWSO2DefaultCert(c *x509.Certificate) bool {
	return c.Subject.CommonName == "localhost" && slices.ContainsFunc(c.Subject.Organization, func(o string) bool {
		// WSO2 packs ship "O=WSO2" (older ones "O=WSO2 Inc."); wso2ks's own default is not theirs.
		return strings.EqualFold(o, "WSO2") || strings.HasPrefix(strings.ToUpper(o), "WSO2 INC")
	})
}

// checkChain raises rsa-size, signature-alg, cert-expiry and default-cert over a key's chain.
func (c *checker) checkChain(role string, chain []*x509.Certificate) {
	leaf := chain[0]
	if IsWSO2DefaultCert(leaf) {
		c.add(RuleDefaultCert, Fail, role, "the certificate is WSO2's shipped default (%s)", leaf.Subject)
	} else {
		c.add(RuleDefaultCert, Pass, role, "the certificate is not WSO2's default (%s)", leaf.Subject)
	}
	small, weak := "", ""
	for _, cert := range chain {
		if k, ok := cert.PublicKey.(*rsa.PublicKey); ok && k.N.BitLen() < minRSABits && small == "" {
			small = fmt.Sprintf("%s has a %d-bit RSA key", cert.Subject, k.N.BitLen())
		}
		root := bytes.Equal(cert.RawSubject, cert.RawIssuer) && cert.CheckSignatureFrom(cert) == nil
		if !root && slices.Contains(weakSignatures, cert.SignatureAlgorithm) && weak == "" {
			weak = fmt.Sprintf("%s is signed with %s", cert.Subject, cert.SignatureAlgorithm)
		}
	}
	pass := func(rule, msg string) { c.add(rule, Pass, role, "%s", msg) }
	if small != "" {
		c.add(RuleRSASize, Fail, role, "%s, want at least %d", small, minRSABits)
	} else {
		pass(RuleRSASize, fmt.Sprintf("every RSA key of the chain has at least %d bits", minRSABits))
	}
	if weak != "" {
		c.add(RuleSignatureAlg, Fail, role, "%s", weak)
	} else {
		pass(RuleSignatureAlg, "no certificate below a root is signed with SHA-1 or MD5")
	}
	switch sev, cert, what := expiryOf(chain, c.o.Now, c.o.ExpiryWarn); sev {
	case Pass:
		pass(RuleCertExpiry, what)
	default:
		c.add(RuleCertExpiry, sev, role, "%s %s", cert.Subject, what)
	}
}

// checkCipherKey raises cipher-key: the cipher tool runs Cipher.init(ENCRYPT_MODE, cert), which
// throws "Wrong key usage" for a critical KeyUsage without dataEncipherment, and needs RSA.
func (c *checker) checkCipherKey(role string, cert *x509.Certificate) {
	k, ok := cert.PublicKey.(*rsa.PublicKey)
	switch {
	case !ok:
		c.add(RuleCipherKey, Fail, role, "the key is %s, and the cipher tool needs RSA", cert.PublicKeyAlgorithm)
		return
	case k.N.BitLen() < minRSABits:
		c.add(RuleCipherKey, Fail, role, "the RSA key has %d bits, want at least %d", k.N.BitLen(), minRSABits)
		return
	}
	critical := false
	for _, e := range cert.Extensions {
		if e.Id.Equal(oidKeyUsage) {
			critical = e.Critical
		}
	}
	switch {
	case cert.KeyUsage != 0 && cert.KeyUsage&x509.KeyUsageDataEncipherment == 0 && critical:
		c.add(RuleCipherKey, Fail, role, "the certificate's critical KeyUsage lacks dataEncipherment: Cipher.init fails with \"Wrong key usage\"")
	case cert.KeyUsage != 0 && cert.KeyUsage&x509.KeyUsageDataEncipherment == 0:
		c.add(RuleCipherKey, Warn, role, "the certificate's KeyUsage lacks dataEncipherment (not critical, so Java still encrypts with it)")
	default:
		c.add(RuleCipherKey, Pass, role, "RSA %d with dataEncipherment allowed", k.N.BitLen())
	}
}

// checkSAN raises tls-san for [server] hostname, the names a bundle's manifest plans for
// the certificate, and localhost for APIM ≥ 4.2, whose portals call the server by that
// name. Other products need not have localhost: a public CA does not sign it (import-cert).
func (c *checker) checkSAN(role string, cert *x509.Certificate) {
	var names []string
	if c.cfg.hostname != "" && !strings.Contains(c.cfg.hostname, "$") {
		names = append(names, c.cfg.hostname)
	}
	for _, n := range c.p.Planned {
		if n != "localhost" && !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	if c.p.Kind == gen.APIManager && (!c.p.HasVersion || c.p.Version.AtLeast(4, 2)) && !slices.Contains(names, "localhost") {
		names = append(names, "localhost")
	}
	var missing []string
	for _, n := range names {
		if cert.VerifyHostname(n) != nil {
			missing = append(missing, n)
		}
	}
	switch {
	case len(missing) > 0:
		c.add(RuleTLSSAN, Fail, role, "the tls certificate's SAN (%s) does not cover %s", listOrNone(append(cert.DNSNames, ipStrings(cert)...)), strings.Join(missing, ", "))
	case len(names) == 0:
		c.add(RuleTLSSAN, Pass, role, "no hostname is configured to check")
	default:
		c.add(RuleTLSSAN, Pass, role, "the tls certificate covers %s", strings.Join(names, ", "))
	}
}

func ipStrings(cert *x509.Certificate) []string {
	var out []string
	for _, ip := range cert.IPAddresses {
		out = append(out, ip.String())
	}
	return out
}

// checkTrustExpiry raises truststore-expiry for the entries of a truststore that have expired
// or expire within the warning window: Java keeps loading the store and the handshake with that
// peer fails. The public CAs (aliases public-…, from the Mozilla bundle) are left to their
// owners, and the product's own certificates to cert-expiry, which already reports them.
func (c *checker) checkTrustExpiry(s *storeConf, store *keystore.DecodedStore) {
	warned := false
	for _, t := range store.Trusted {
		if strings.HasPrefix(strings.ToLower(t.Alias), "public-") || c.ownLeaf(t.Cert) {
			continue
		}
		switch left := t.Cert.NotAfter.Sub(c.o.Now); {
		case left <= 0:
			c.add(RuleTrustExpiry, Warn, s.Role, "%s entry %q (%s) expired on %s", c.rel(s.File), t.Alias, t.Cert.Subject, day(t.Cert.NotAfter))
			warned = true
		case left < c.o.ExpiryWarn:
			c.add(RuleTrustExpiry, Warn, s.Role, "%s entry %q (%s) expires on %s, in %d days", c.rel(s.File), t.Alias, t.Cert.Subject, day(t.Cert.NotAfter), int(left.Hours()/24))
			warned = true
		}
	}
	if !warned {
		c.add(RuleTrustExpiry, Pass, s.Role, "no entry of %s but the public CAs and the product's own certificates expires within %d days", c.rel(s.File), int(c.o.ExpiryWarn.Hours()/24))
	}
}

// ownLeaf reports whether cert is the certificate of one of the product's key stores.
func (c *checker) ownLeaf(cert *x509.Certificate) bool {
	for _, leaf := range c.leaves {
		if leaf.Equal(cert) {
			return true
		}
	}
	return false
}
