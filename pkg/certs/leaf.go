package certs

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"slices"
	"time"
)

// Usage says what a certificate is for, which sets its key usages.
type Usage int

const (
	// Encipherment is for primary and internal certificates: WSO2 signs
	// tokens with them and its cipher tool encrypts secrets with them, and
	// Java's Cipher.init(ENCRYPT_MODE, cert) refuses a certificate whose
	// critical KeyUsage lacks dataEncipherment. The usages match WSO2's own
	// default certificate.
	Encipherment Usage = iota
	// Server is for tls certificates: keyEncipherment only for RSA keys
	// (RFC 5280 §4.2.1.3; TLS 1.2 RSA key exchange).
	Server
	// Message is for WS-Security certificates: signing and, for RSA,
	// encrypting message keys.
	Message
)

// clockSkew backdates NotBefore so that a node whose clock runs a little
// behind still accepts a certificate made a moment ago.
const clockSkew = 5 * time.Minute

// serialBits is the size of random serial numbers (CA/Browser Forum
// baseline requirements ask for 64 bits of entropy; we use 128).
const serialBits = 128

// Request describes a certificate to issue.
type Request struct {
	Subject      pkix.Name
	SANs         []string // DNS names or IP addresses
	ValidityDays int
	Usage        Usage
}

// Issuer makes certificates from an injected random source and clock.
type Issuer struct {
	Rand io.Reader
	Now  time.Time
}

// SelfSigned issues a self-signed certificate for key, parses it back and
// checks it against the request.
func (is Issuer) SelfSigned(req Request, key crypto.Signer) (*x509.Certificate, error) {
	tmpl, err := is.leafTemplate(req, key)
	if err != nil {
		return nil, err
	}
	tmpl.AuthorityKeyId = tmpl.SubjectKeyId
	tmpl.SignatureAlgorithm = signatureAlgorithm(key)
	cert, err := is.create(tmpl, tmpl, key.Public(), key, "certificate")
	if err != nil {
		return nil, err
	}
	if err := check(cert, tmpl, key); err != nil {
		return nil, fmt.Errorf("check the new certificate: %w", err)
	}
	return cert, nil
}

// template checks the validity and the key, and fills what every
// certificate wso2ks issues shares: a random serial, the subject, the
// validity from the injected clock and the subject key identifier.
func (is Issuer) template(subject pkix.Name, days int, key crypto.Signer, u Usage) (*x509.Certificate, error) {
	if days < 1 {
		return nil, errors.New("validity must be at least one day")
	}
	if err := checkKey(key, u); err != nil {
		return nil, err
	}
	serial, err := randomSerial(is.Rand)
	if err != nil {
		return nil, err
	}
	ski, err := subjectKeyID(key.Public())
	if err != nil {
		return nil, err
	}
	notBefore := is.Now.UTC().Truncate(time.Second).Add(-clockSkew)
	return &x509.Certificate{
		SerialNumber:          serial,
		Subject:               subject,
		NotBefore:             notBefore,
		NotAfter:              notBefore.AddDate(0, 0, days),
		BasicConstraintsValid: true,
		SubjectKeyId:          ski,
	}, nil
}

// leafTemplate is template with a leaf's key usages and SANs; the caller
// sets the authority key identifier and the signature algorithm.
func (is Issuer) leafTemplate(req Request, key crypto.Signer) (*x509.Certificate, error) {
	tmpl, err := is.template(req.Subject, req.ValidityDays, key, req.Usage)
	if err != nil {
		return nil, err
	}
	tmpl.KeyUsage = keyUsage(req.Usage, key.Public())
	tmpl.ExtKeyUsage = extKeyUsage(req.Usage)
	for _, san := range req.SANs {
		if ip := net.ParseIP(san); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, san)
		}
	}
	return tmpl, nil
}

// create signs tmpl with signer as parent and parses the result back.
func (is Issuer) create(tmpl, parent *x509.Certificate, pub crypto.PublicKey, signer crypto.Signer, what string) (*x509.Certificate, error) {
	der, err := x509.CreateCertificate(is.Rand, tmpl, parent, pub, signer)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("parse the new %s: %w", what, err)
	}
	return cert, nil
}

func checkKey(key crypto.Signer, u Usage) error {
	switch k := key.Public().(type) {
	case *rsa.PublicKey:
		if k.N.BitLen() < MinRSABits {
			return fmt.Errorf("RSA key of %d bits is weaker than the %d-bit minimum", k.N.BitLen(), MinRSABits)
		}
	case *ecdsa.PublicKey:
		if u == Encipherment {
			return errors.New("primary and internal keys must be RSA: WSO2's cipher tool cannot encrypt with an EC key")
		}
	default:
		return fmt.Errorf("unsupported key type %T", k)
	}
	return nil
}

func keyUsage(u Usage, pub crypto.PublicKey) x509.KeyUsage {
	_, isRSA := pub.(*rsa.PublicKey)
	switch {
	case u == Encipherment, u == Message && isRSA:
		return x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment |
			x509.KeyUsageKeyEncipherment | x509.KeyUsageDataEncipherment
	case u == Message:
		return x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment
	case isRSA:
		return x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment
	default:
		return x509.KeyUsageDigitalSignature
	}
}

// Fits reports whether c carries exactly the key usages and extended key
// usages wso2ks gives a certificate of usage u for c's key, so that a
// certificate made for another purpose is not kept as this one.
func (u Usage) Fits(c *x509.Certificate) bool {
	return c.KeyUsage == keyUsage(u, c.PublicKey) && slices.Equal(c.ExtKeyUsage, extKeyUsage(u))
}

func extKeyUsage(u Usage) []x509.ExtKeyUsage {
	if u == Message {
		return nil
	}
	return []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth}
}

// signatureAlgorithm picks SHA-256 or, for P-384, SHA-384: never SHA-1.
func signatureAlgorithm(key crypto.Signer) x509.SignatureAlgorithm {
	if k, ok := key.Public().(*ecdsa.PublicKey); ok {
		if k.Curve.Params().BitSize > 256 {
			return x509.ECDSAWithSHA384
		}
		return x509.ECDSAWithSHA256
	}
	return x509.SHA256WithRSA
}

func randomSerial(r io.Reader) (*big.Int, error) {
	b := make([]byte, serialBits/8)
	if _, err := io.ReadFull(r, b); err != nil {
		return nil, fmt.Errorf("read serial number: %w", err)
	}
	n := new(big.Int).SetBytes(b) // unsigned: always positive
	if n.Sign() == 0 {
		return nil, errors.New("random source gave a zero serial number")
	}
	return n, nil
}

// subjectKeyID is RFC 5280 §4.2.1.2 method (1): the SHA-1 of the subject
// public key bits. SHA-1 here is an identifier, not a signature.
func subjectKeyID(pub crypto.PublicKey) ([]byte, error) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, err
	}
	var spki struct {
		Algorithm pkix.AlgorithmIdentifier
		PublicKey asn1.BitString
	}
	if _, err := asn1.Unmarshal(der, &spki); err != nil {
		return nil, err
	}
	sum := sha1.Sum(spki.PublicKey.Bytes)
	return sum[:], nil
}

// check compares a parsed self-signed certificate with what was asked for
// and verifies it as its own root.
func check(c, tmpl *x509.Certificate, key crypto.Signer) error {
	if err := checkFields(c, tmpl, key); err != nil {
		return err
	}
	// CheckSignatureFrom would insist on a CA parent; a self-signed leaf
	// signs only itself.
	if err := c.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature); err != nil {
		return fmt.Errorf("signature does not verify: %w", err)
	}
	return verifyNames(c, c)
}

// verifyNames verifies c for each of its DNS names with root as the only
// trust anchor.
func verifyNames(c, root *x509.Certificate) error {
	roots := x509.NewCertPool()
	roots.AddCert(root)
	for _, name := range c.DNSNames {
		if _, err := c.Verify(x509.VerifyOptions{DNSName: name, Roots: roots, CurrentTime: c.NotBefore.Add(clockSkew),
			KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}); err != nil {
			return fmt.Errorf("does not verify for %s: %w", name, err)
		}
	}
	return nil
}

// checkFields compares a parsed certificate's fields with its template.
func checkFields(c, tmpl *x509.Certificate, key crypto.Signer) error {
	switch {
	case !c.PublicKey.(interface{ Equal(crypto.PublicKey) bool }).Equal(key.Public()):
		return errors.New("public key differs from the key")
	case c.KeyUsage != tmpl.KeyUsage:
		return fmt.Errorf("key usage is %v, want %v", c.KeyUsage, tmpl.KeyUsage)
	case !slices.Equal(c.ExtKeyUsage, tmpl.ExtKeyUsage):
		return errors.New("extended key usage differs")
	case !bytes.Equal(c.SubjectKeyId, tmpl.SubjectKeyId) || !bytes.Equal(c.AuthorityKeyId, tmpl.AuthorityKeyId):
		return errors.New("key identifiers differ")
	case c.SignatureAlgorithm != tmpl.SignatureAlgorithm:
		return fmt.Errorf("signature algorithm is %v", c.SignatureAlgorithm)
	case len(c.DNSNames)+len(c.IPAddresses) != len(tmpl.DNSNames)+len(tmpl.IPAddresses):
		return errors.New("subject alternative names differ")
	case c.IsCA != tmpl.IsCA:
		return fmt.Errorf("IsCA is %v, want %v", c.IsCA, tmpl.IsCA)
	}
	return nil
}
