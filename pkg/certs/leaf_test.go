package certs

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"crypto/x509/pkix"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wso2ks/wso2ks/internal/testca"
)

var (
	keysOnce          sync.Once
	rsaKey, ecKey     crypto.Signer
	ec384Key, weakKey crypto.Signer
)

// testKeys makes the keys once per test binary: RSA generation is slow.
func testKeys(t *testing.T) {
	t.Helper()
	keysOnce.Do(func() {
		var err error
		if rsaKey, err = GenerateKey("rsa-2048"); err != nil {
			panic(err)
		}
		if ecKey, err = GenerateKey("ecdsa-p256"); err != nil {
			panic(err)
		}
		if ec384Key, err = GenerateKey("ecdsa-p384"); err != nil {
			panic(err)
		}
		if weakKey, err = rsa.GenerateKey(testca.Rand(9), 1024); err != nil {
			panic(err)
		}
	})
}

var testNow = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func TestSelfSignedUsages(t *testing.T) {
	testKeys(t)
	all := x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment | x509.KeyUsageKeyEncipherment | x509.KeyUsageDataEncipherment
	both := []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth}
	tests := []struct {
		name    string
		usage   Usage
		key     crypto.Signer
		sans    []string
		wantKU  x509.KeyUsage
		wantEKU []x509.ExtKeyUsage
		wantSig x509.SignatureAlgorithm
	}{
		{"primary RSA", Encipherment, rsaKey, nil, all, both, x509.SHA256WithRSA},
		{"tls RSA", Server, rsaKey, []string{"iam.example.com", "localhost", "10.0.0.7"}, x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment, both, x509.SHA256WithRSA},
		{"tls ECDSA P-256", Server, ecKey, []string{"api.example.com"}, x509.KeyUsageDigitalSignature, both, x509.ECDSAWithSHA256},
		{"tls ECDSA P-384", Server, ec384Key, []string{"api.example.com"}, x509.KeyUsageDigitalSignature, both, x509.ECDSAWithSHA384},
		{"wssec RSA", Message, rsaKey, nil, all, nil, x509.SHA256WithRSA},
		{"wssec ECDSA", Message, ecKey, nil, x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment, nil, x509.ECDSAWithSHA256},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			subject := pkix.Name{CommonName: "iam.example.com", Organization: []string{"Example Corp"}, Country: []string{"LK"}}
			is := Issuer{Rand: testca.Rand(1), Now: testNow}
			c, err := is.SelfSigned(Request{Subject: subject, SANs: tt.sans, ValidityDays: 397, Usage: tt.usage}, tt.key)
			if err != nil {
				t.Fatal(err)
			}
			if c.KeyUsage != tt.wantKU {
				t.Errorf("KeyUsage = %b, want %b", c.KeyUsage, tt.wantKU)
			}
			if len(c.ExtKeyUsage) != len(tt.wantEKU) {
				t.Errorf("ExtKeyUsage = %v, want %v", c.ExtKeyUsage, tt.wantEKU)
			}
			if c.SignatureAlgorithm != tt.wantSig {
				t.Errorf("SignatureAlgorithm = %v, want %v", c.SignatureAlgorithm, tt.wantSig)
			}
			if got := c.Subject.String(); got != "CN=iam.example.com,O=Example Corp,C=LK" {
				t.Errorf("Subject = %q", got)
			}
			if !c.NotBefore.Equal(testNow.Add(-clockSkew)) || !c.NotAfter.Equal(testNow.Add(-clockSkew).AddDate(0, 0, 397)) {
				t.Errorf("validity %v – %v", c.NotBefore, c.NotAfter)
			}
			if c.SerialNumber.BitLen() < 120 || c.SerialNumber.BitLen() > serialBits {
				t.Errorf("serial has %d bits, want about %d", c.SerialNumber.BitLen(), serialBits)
			}
			if len(c.SubjectKeyId) != sha1.Size || !bytes.Equal(c.SubjectKeyId, c.AuthorityKeyId) {
				t.Errorf("SubjectKeyId %x, AuthorityKeyId %x: want equal 20-byte identifiers", c.SubjectKeyId, c.AuthorityKeyId)
			}
			if c.IsCA || !c.BasicConstraintsValid {
				t.Errorf("want an end-entity certificate with basic constraints CA:false")
			}
			var sans []string
			sans = append(sans, c.DNSNames...)
			for _, ip := range c.IPAddresses {
				sans = append(sans, ip.String())
			}
			if strings.Join(sans, ",") != strings.Join(tt.sans, ",") {
				t.Errorf("SANs = %v, want %v", sans, tt.sans)
			}
			// KeyUsage is critical: Java's Cipher.init depends on it.
			for _, ext := range c.Extensions {
				if ext.Id.String() == "2.5.29.15" && !ext.Critical {
					t.Error("KeyUsage extension is not critical")
				}
			}
		})
	}
}

func TestSelfSignedSerialsDiffer(t *testing.T) {
	testKeys(t)
	is := Issuer{Rand: testca.Rand(2), Now: testNow}
	req := Request{Subject: pkix.Name{CommonName: "a"}, ValidityDays: 1, Usage: Encipherment}
	a, err := is.SelfSigned(req, rsaKey)
	if err != nil {
		t.Fatal(err)
	}
	b, err := is.SelfSigned(req, rsaKey)
	if err != nil {
		t.Fatal(err)
	}
	if a.SerialNumber.Cmp(b.SerialNumber) == 0 {
		t.Error("two certificates got the same serial number")
	}
}

func TestSelfSignedRefuses(t *testing.T) {
	testKeys(t)
	is := Issuer{Rand: testca.Rand(3), Now: testNow}
	tests := []struct {
		name string
		req  Request
		key  crypto.Signer
		want string
	}{
		{"EC primary", Request{ValidityDays: 1, Usage: Encipherment}, ecKey,
			"primary and internal keys must be RSA: WSO2's cipher tool cannot encrypt with an EC key"},
		{"weak RSA", Request{ValidityDays: 1, Usage: Server}, weakKey,
			"RSA key of 1024 bits is weaker than the 2048-bit minimum"},
		{"no validity", Request{ValidityDays: 0, Usage: Server}, rsaKey,
			"validity must be at least one day"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := is.SelfSigned(tt.req, tt.key)
			if err == nil || err.Error() != tt.want {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestGenerateKeys(t *testing.T) {
	types := []string{"ecdsa-p256", "ecdsa-p384", "ecdsa-p256", "rsa-2048"}
	done := 0
	keys, err := GenerateKeys(types, 2, func() { done++ })
	if err != nil {
		t.Fatal(err)
	}
	if done != len(types) {
		t.Errorf("progress called %d times, want %d", done, len(types))
	}
	for i, k := range keys {
		switch pub := k.Public().(type) {
		case *ecdsa.PublicKey:
			want := map[string]int{"ecdsa-p256": 256, "ecdsa-p384": 384}[types[i]]
			if pub.Curve.Params().BitSize != want {
				t.Errorf("key %d: curve of %d bits, want %d", i, pub.Curve.Params().BitSize, want)
			}
		case *rsa.PublicKey:
			if types[i] != "rsa-2048" || pub.N.BitLen() != 2048 {
				t.Errorf("key %d: RSA %d bits for %s", i, pub.N.BitLen(), types[i])
			}
		}
	}
	if keys[0].Public().(*ecdsa.PublicKey).Equal(keys[2].Public()) {
		t.Error("two keys are equal")
	}
	if _, err := GenerateKeys([]string{"rsa-1024"}, 1, nil); err == nil || err.Error() != `generate rsa-1024 key: unknown key type "rsa-1024"` {
		t.Errorf("err = %v", err)
	}
}

// TestCheckCatchesMismatch proves the parse-back check can fail.
func TestCheckCatchesMismatch(t *testing.T) {
	testKeys(t)
	is := Issuer{Rand: testca.Rand(4), Now: testNow}
	c, err := is.SelfSigned(Request{Subject: pkix.Name{CommonName: "a"}, SANs: []string{"a"}, ValidityDays: 1, Usage: Server}, rsaKey)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := *c
	tests := []struct {
		name   string
		mutate func(*x509.Certificate)
		key    crypto.Signer
		want   string
	}{
		{"other key", func(*x509.Certificate) {}, ecKey, "public key differs from the key"},
		{"key usage", func(c *x509.Certificate) { c.KeyUsage |= x509.KeyUsageDataEncipherment }, rsaKey, "key usage is KeyUsage(5), want KeyUsage(13)"},
		{"ski", func(c *x509.Certificate) { c.SubjectKeyId = []byte{1} }, rsaKey, "key identifiers differ"},
		{"sans", func(c *x509.Certificate) { c.DNSNames = append(c.DNSNames, "b") }, rsaKey, "subject alternative names differ"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := tmpl
			tt.mutate(&want)
			if err := check(c, &want, tt.key); err == nil || err.Error() != tt.want {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
	if err := check(c, &tmpl, rsaKey); err != nil {
		t.Errorf("unchanged certificate: %v", err)
	}
}
