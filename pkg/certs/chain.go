package certs

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"fmt"
	"time"
)

// MaxChainLength is the most certificates a chain wso2ks takes may hold,
// leaf and root included. Java's TLS client refuses a server chain of more
// (jdk.tls.client.maxInboundCertificateChainLength, default 10: openjdk/jdk
// src/java.base/share/classes/sun/security/ssl/SSLConfiguration.java), and
// real chains hold two to four.
const MaxChainLength = 10

// minECBits is the smallest elliptic curve accepted in a chain: P-256 (128-bit
// security); Go still parses P-224, which is below wso2ks's RSA minimum.
const minECBits = 256

// CheckChain checks a chain a CA returned for a TLS server certificate,
// leaf first: every certificate within its validity at now with a key of
// at least the minimum strength, each signed by the next, which is a CA;
// the last one self-signed, or issued by one of anchors (the certificates a
// truststore already trusts), which is then appended. The leaf must be
// usable for TLS server authentication. It returns the whole chain, leaf to
// root. Errors say which certificate is wrong and what to do; the caller
// adds the file.
func CheckChain(chain, anchors []*x509.Certificate, now time.Time) ([]*x509.Certificate, error) {
	if len(chain) == 0 {
		return nil, errors.New("holds no certificate; give the PEM chain your CA returned")
	}
	if len(chain) > MaxChainLength {
		return nil, fmt.Errorf("holds %d certificates, more than the %d a chain may have (Java refuses longer ones); give the leaf, its intermediates and the root", len(chain), MaxChainLength)
	}
	if err := CheckRepeats(chain); err != nil {
		return nil, err
	}
	full := append([]*x509.Certificate(nil), chain...)
	last := full[len(full)-1]
	if !IsSelfSigned(last) {
		anchor := findIssuer(last, anchors)
		if anchor == nil {
			return nil, fmt.Errorf("%s is issued by %q, which neither the chain nor the truststore holds; append that issuer's certificate (and its issuers up to the root) to the file",
				name(len(full)-1, last), last.Issuer.String())
		}
		full = append(full, anchor)
	}
	for i, c := range full {
		if err := checkChainCert(i, c, now); err != nil {
			return nil, err
		}
	}
	for i := 0; i+1 < len(full); i++ {
		c, next := full[i], full[i+1]
		if !bytes.Equal(c.RawIssuer, next.RawSubject) {
			return nil, fmt.Errorf("%s is issued by %q, which is not the next certificate in the chain; add that issuer's certificate right after it (leaf first, then each issuer up to the root)",
				name(i, c), c.Issuer.String())
		}
		if !isCA(next) {
			return nil, fmt.Errorf("%s is not a CA certificate (basicConstraints CA:TRUE with keyCertSign), so it cannot sign %s; give the chain exactly as the CA returned it",
				name(i+1, next), name(i, c))
		}
		if weakSignature(c.SignatureAlgorithm) {
			return nil, fmt.Errorf("%s is signed with %v, which Java and wso2ks refuse; have the CA issue it with SHA-256 or better", name(i, c), c.SignatureAlgorithm)
		}
		if err := c.CheckSignatureFrom(next); err != nil {
			return nil, fmt.Errorf("%s does not verify with the key of %s (%v); give the chain exactly as the CA returned it", name(i, c), name(i+1, next), err)
		}
	}
	if root := full[len(full)-1]; IsSelfSigned(root) && !isCA(root) {
		return nil, fmt.Errorf("%s is self-signed but not a CA certificate; the chain must end in the CA's root", name(len(full)-1, root))
	}
	leaf := full[0]
	if leaf.KeyUsage != 0 && leaf.KeyUsage&x509.KeyUsageDigitalSignature == 0 {
		return nil, fmt.Errorf("%s has a key usage without digitalSignature, which TLS needs; have the CA issue it with keyUsage digitalSignature", name(0, leaf))
	}
	roots, middle := x509.NewCertPool(), x509.NewCertPool()
	roots.AddCert(full[len(full)-1])
	for _, c := range full[1 : len(full)-1] {
		middle.AddCert(c)
	}
	_, err := leaf.Verify(x509.VerifyOptions{Roots: roots, Intermediates: middle, CurrentTime: now,
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}})
	var inv x509.CertificateInvalidError
	switch {
	case errors.As(err, &inv) && inv.Reason == x509.IncompatibleUsage:
		return nil, fmt.Errorf("%s is not for TLS server authentication; have the CA issue it with extendedKeyUsage serverAuth", name(0, leaf))
	case err != nil:
		return nil, fmt.Errorf("%s does not verify up to %s: %v", name(0, leaf), name(len(full)-1, full[len(full)-1]), err)
	}
	return full, nil
}

// checkChainCert checks certificate i's validity at now and its key.
func checkChainCert(i int, c *x509.Certificate, now time.Time) error {
	switch {
	case now.Before(c.NotBefore):
		return fmt.Errorf("%s is not valid before %s; check the clock, or import it once it is valid", name(i, c), c.NotBefore.UTC().Format(time.RFC3339))
	case now.After(c.NotAfter):
		return fmt.Errorf("%s expired on %s; get a current certificate from the CA", name(i, c), c.NotAfter.UTC().Format(time.RFC3339))
	}
	weak := func(what string) error {
		return fmt.Errorf("%s has %s; have the CA issue it with an RSA key of at least %d bits or an EC key on P-256 or larger", name(i, c), what, MinRSABits)
	}
	switch k := c.PublicKey.(type) {
	case *rsa.PublicKey:
		if k.N.BitLen() < MinRSABits {
			return weak(fmt.Sprintf("an RSA key of %d bits, weaker than the %d-bit minimum", k.N.BitLen(), MinRSABits))
		}
	case *ecdsa.PublicKey:
		if k.Curve.Params().BitSize < minECBits {
			return weak(fmt.Sprintf("an EC key on %s, weaker than P-256", k.Curve.Params().Name))
		}
	case ed25519.PublicKey:
	default:
		return weak(fmt.Sprintf("an unsupported %T key", k))
	}
	return nil
}

// weakSignature reports a signature made with MD2, MD5 or SHA-1, or one Go
// does not know. A root's own signature is never checked, so it may be old.
func weakSignature(alg x509.SignatureAlgorithm) bool {
	switch alg {
	case x509.UnknownSignatureAlgorithm, x509.MD2WithRSA, x509.MD5WithRSA, x509.SHA1WithRSA, x509.DSAWithSHA1, x509.ECDSAWithSHA1:
		return true
	}
	return false
}

// findIssuer returns the anchor that signed c, or nil.
func findIssuer(c *x509.Certificate, anchors []*x509.Certificate) *x509.Certificate {
	for _, a := range anchors {
		if bytes.Equal(c.RawIssuer, a.RawSubject) && isCA(a) && c.CheckSignatureFrom(a) == nil {
			return a
		}
	}
	return nil
}

// IsSelfSigned reports whether c names itself as issuer and its signature
// verifies with its own key. Unlike c.CheckSignatureFrom(c) it does not ask
// c to be a CA, since a self-signed tls certificate is not one.
func IsSelfSigned(c *x509.Certificate) bool {
	return bytes.Equal(c.RawIssuer, c.RawSubject) && c.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature) == nil
}

// isCA reports whether c may sign certificates: CA:TRUE, and keyCertSign
// when it has a key usage at all.
func isCA(c *x509.Certificate) bool {
	return c.BasicConstraintsValid && c.IsCA && (c.KeyUsage == 0 || c.KeyUsage&x509.KeyUsageCertSign != 0)
}

// name is how an error names certificate i of a chain: its 1-based place
// and its subject.
// CheckRepeats refuses a list of certificates that holds one twice (a
// root pasted twice is a common mistake): a store written from it would not
// read back as written.
func CheckRepeats(list []*x509.Certificate) error {
	for i, c := range list {
		for j := range i {
			if c.Equal(list[j]) {
				return fmt.Errorf("certificate %d repeats certificate %d (%s); remove the duplicate", i+1, j+1, c.Subject.String())
			}
		}
	}
	return nil
}

func name(i int, c *x509.Certificate) string {
	return fmt.Sprintf("certificate %d (%s)", i+1, c.Subject.String())
}
