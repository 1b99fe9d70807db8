package inspect

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"math"
	"sync"
	"time"

	"golang.org/x/crypto/x509roots/fallback/bundle"
)

// Certificate describes one X.509 certificate.
type Certificate struct {
	Subject string   `json:"subject"`
	Issuer  string   `json:"issuer"`
	SANs    []string `json:"sans,omitempty"`
	// Key is the public key's algorithm and size: "RSA 2048", "EC P-256", "Ed25519".
	Key         string   `json:"key"`
	KeyUsage    []string `json:"key_usage,omitempty"`
	ExtKeyUsage []string `json:"ext_key_usage,omitempty"`
	CA          bool     `json:"ca"`
	// Serial is the serial number in lower-case hex, as keytool prints it.
	Serial    string `json:"serial"`
	NotBefore string `json:"not_before"`
	NotAfter  string `json:"not_after"`
	// DaysLeft is whole days from now to NotAfter; negative once expired.
	DaysLeft int `json:"days_left"`
	// SHA256 is the fingerprint of the certificate's DER, lower-case hex as manifest.json's.
	SHA256 string `json:"sha256"`

	notAfter time.Time
}

func describe(c *x509.Certificate, now time.Time) *Certificate {
	sum := sha256.Sum256(c.Raw)
	out := &Certificate{
		Subject: c.Subject.String(), Issuer: c.Issuer.String(), Key: keyName(c.PublicKey),
		KeyUsage: keyUsages(c.KeyUsage), ExtKeyUsage: extKeyUsages(c),
		CA: c.BasicConstraintsValid && c.IsCA, Serial: c.SerialNumber.Text(16),
		NotBefore: c.NotBefore.UTC().Format(time.RFC3339), NotAfter: c.NotAfter.UTC().Format(time.RFC3339),
		DaysLeft: daysLeft(c.NotAfter, now), SHA256: hex.EncodeToString(sum[:]), notAfter: c.NotAfter,
	}
	out.SANs = append(out.SANs, c.DNSNames...)
	for _, ip := range c.IPAddresses {
		out.SANs = append(out.SANs, ip.String())
	}
	out.SANs = append(out.SANs, c.EmailAddresses...)
	for _, u := range c.URIs {
		out.SANs = append(out.SANs, u.String())
	}
	return out
}

// daysLeft is whole days until t, rounded down: 0 on the last day, -1 the day after.
func daysLeft(t, now time.Time) int {
	return int(math.Floor(t.Sub(now).Hours() / 24))
}

func keyName(pub any) string {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		return fmt.Sprintf("RSA %d", k.N.BitLen())
	case *ecdsa.PublicKey:
		return "EC " + k.Curve.Params().Name
	case ed25519.PublicKey:
		return "Ed25519"
	}
	return fmt.Sprintf("%T", pub)
}

// keyUsageNames are RFC 5280's names of the KeyUsage bits, in bit order.
var keyUsageNames = []struct {
	bit  x509.KeyUsage
	name string
}{
	{x509.KeyUsageDigitalSignature, "digitalSignature"}, {x509.KeyUsageContentCommitment, "nonRepudiation"},
	{x509.KeyUsageKeyEncipherment, "keyEncipherment"}, {x509.KeyUsageDataEncipherment, "dataEncipherment"},
	{x509.KeyUsageKeyAgreement, "keyAgreement"}, {x509.KeyUsageCertSign, "keyCertSign"},
	{x509.KeyUsageCRLSign, "cRLSign"}, {x509.KeyUsageEncipherOnly, "encipherOnly"},
	{x509.KeyUsageDecipherOnly, "decipherOnly"},
}

func keyUsages(u x509.KeyUsage) []string {
	var out []string
	for _, k := range keyUsageNames {
		if u&k.bit != 0 {
			out = append(out, k.name)
		}
	}
	return out
}

// extKeyUsageNames are RFC 5280's names of the extended key usages Go knows.
var extKeyUsageNames = map[x509.ExtKeyUsage]string{
	x509.ExtKeyUsageAny: "anyExtendedKeyUsage", x509.ExtKeyUsageServerAuth: "serverAuth",
	x509.ExtKeyUsageClientAuth: "clientAuth", x509.ExtKeyUsageCodeSigning: "codeSigning",
	x509.ExtKeyUsageEmailProtection: "emailProtection", x509.ExtKeyUsageTimeStamping: "timeStamping",
	x509.ExtKeyUsageOCSPSigning: "OCSPSigning", x509.ExtKeyUsageIPSECEndSystem: "ipsecEndSystem",
	x509.ExtKeyUsageIPSECTunnel: "ipsecTunnel", x509.ExtKeyUsageIPSECUser: "ipsecUser",
	x509.ExtKeyUsageMicrosoftServerGatedCrypto: "msSGC", x509.ExtKeyUsageNetscapeServerGatedCrypto: "nsSGC",
	x509.ExtKeyUsageMicrosoftCommercialCodeSigning: "msCodeCom", x509.ExtKeyUsageMicrosoftKernelCodeSigning: "msKernelCodeSigning",
}

func extKeyUsages(c *x509.Certificate) []string {
	var out []string
	for _, u := range c.ExtKeyUsage {
		if name, ok := extKeyUsageNames[u]; ok {
			out = append(out, name)
		} else {
			out = append(out, fmt.Sprintf("eku-%d", u))
		}
	}
	for _, oid := range c.UnknownExtKeyUsage {
		out = append(out, oid.String())
	}
	return out
}

var (
	publicOnce sync.Once
	publicSums map[[32]byte]bool
)

// isPublicCA reports whether c is a root of Mozilla's root program, as
// golang.org/x/crypto/x509roots/fallback carries it: the public CA bundle wso2ks puts into
// truststores, and most of what WSO2's shipped client-truststore holds.
func isPublicCA(c *x509.Certificate) bool {
	publicOnce.Do(func() {
		publicSums = map[[32]byte]bool{}
		for r := range bundle.Roots() {
			publicSums[sha256.Sum256(r.Certificate)] = true
		}
	})
	return publicSums[sha256.Sum256(c.Raw)]
}
