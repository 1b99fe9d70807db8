// Package testca makes the certificate authorities tests sign with: in Go,
// a root and an issuing intermediate and leaves for a given public key,
// each open to changes (expired, not a CA, no serverAuth) so that the tests
// of 'wso2ks csr' and 'wso2ks import-cert' can make every bad chain; and
// with openssl (BYO), the CA a user brings to issuer = "external-ca".
// Only tests import it.
package testca

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"testing"
	"time"
)

// CA is a root and the intermediate it signed, with their keys.
type CA struct {
	Root, Int       *x509.Certificate
	RootKey, IntKey crypto.Signer
}

// Mod changes a template before it is signed.
type Mod func(*x509.Certificate)

var serial int64

// New makes a root (valid from a day before now for ten years) and an
// intermediate (five years, path length 0), both EC P-256; mods change the
// intermediate.
func New(t testing.TB, now time.Time, name string, mods ...Mod) *CA {
	t.Helper()
	ca := &CA{RootKey: key(t), IntKey: key(t)}
	root := caTemplate(now, name+" Root CA", 10)
	ca.Root = Sign(t, root, root, ca.RootKey.Public(), ca.RootKey)
	mid := caTemplate(now, name+" Issuing CA", 5)
	mid.MaxPathLen, mid.MaxPathLenZero = 0, true
	for _, m := range mods {
		m(mid)
	}
	ca.Int = Sign(t, mid, ca.Root, ca.IntKey.Public(), ca.RootKey)
	return ca
}

func caTemplate(now time.Time, cn string, years int) *x509.Certificate {
	return &x509.Certificate{
		Subject:   pkix.Name{Organization: []string{"Test CA"}, CommonName: cn},
		NotBefore: now.AddDate(0, 0, -1), NotAfter: now.AddDate(years, 0, 0),
		IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
}

// Leaf makes a TLS server certificate for pub signed by the intermediate:
// valid from an hour before now for 90 days, the SANs given (DNS names or
// IP addresses), digitalSignature and serverAuth; mods change it.
func (ca *CA) Leaf(t testing.TB, pub crypto.PublicKey, subject pkix.Name, sans []string, now time.Time, mods ...Mod) *x509.Certificate {
	t.Helper()
	tmpl := &x509.Certificate{
		Subject:   subject,
		NotBefore: now.Add(-time.Hour), NotAfter: now.AddDate(0, 0, 90),
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
	}
	for _, s := range sans {
		if ip := net.ParseIP(s); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, s)
		}
	}
	for _, m := range mods {
		m(tmpl)
	}
	return Sign(t, tmpl, ca.Int, pub, ca.IntKey)
}

// Sign signs tmpl for pub with parent and its key, giving it a serial.
func Sign(t testing.TB, tmpl, parent *x509.Certificate, pub crypto.PublicKey, signer crypto.Signer) *x509.Certificate {
	t.Helper()
	serial++
	tmpl.SerialNumber = big.NewInt(1000 + serial)
	return create(t, tmpl, parent, pub, signer)
}

// Cert makes a certificate named cn for key, valid through 2026, with the
// serial given: a CA (certSign) when ca, signed by signer as parent, or
// self-signed when parent is nil. The store codecs' tests keep such
// certificates in key and trust stores.
func Cert(t testing.TB, cn string, serial int64, ca bool, key crypto.Signer, parent *x509.Certificate, signer crypto.Signer) *x509.Certificate {
	t.Helper()
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(serial),
		Subject:               pkix.Name{CommonName: cn, Organization: []string{"wso2ks tests"}},
		NotBefore:             time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:              time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  ca,
	}
	if ca {
		tmpl.KeyUsage |= x509.KeyUsageCertSign
	}
	if parent == nil {
		parent = tmpl
	}
	return create(t, tmpl, parent, key.Public(), signer)
}

func create(t testing.TB, tmpl, parent *x509.Certificate, pub crypto.PublicKey, signer crypto.Signer) *x509.Certificate {
	t.Helper()
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, signer)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func key(t testing.TB) crypto.Signer {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// Key is a fresh EC P-256 key: "another key" in tests.
func Key(t testing.TB) crypto.Signer { return key(t) }

// PEM encodes certificates as a PEM chain, in the order given.
func PEM(certs ...*x509.Certificate) []byte {
	var out []byte
	for _, c := range certs {
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	return out
}

// ReadCSR reads and parses the PEM request in file, checking its signature.
func ReadCSR(t testing.TB, file string) *x509.CertificateRequest {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	block, rest := pem.Decode(data)
	if block == nil || block.Type != "CERTIFICATE REQUEST" || len(rest) != 0 {
		t.Fatalf("%s: not one PEM CERTIFICATE REQUEST", file)
	}
	req, err := x509.ParseCertificateRequest(block.Bytes)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	if err := req.CheckSignature(); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return req
}
