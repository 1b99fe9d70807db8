package certs

import (
	"crypto"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wso2ks/wso2ks/internal/testca"
)

// TestCSR: the request carries the subject byte for byte, the names and
// the key, and verifies; a weak key is refused.
func TestCSR(t *testing.T) {
	testKeys(t)
	raw, err := asn1.Marshal(pkix.Name{Organization: []string{"Example Corp"}, CommonName: "iam.example.com"}.ToRDNSequence())
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []crypto.Signer{rsaKey, ecKey, ec384Key} {
		data, err := CSR(testca.Rand(1), raw, []string{"iam.example.com", "10.0.0.1", "localhost"}, key)
		if err != nil {
			t.Fatalf("%T: %v", key.Public(), err)
		}
		block, rest := pem.Decode(data)
		if block == nil || block.Type != "CERTIFICATE REQUEST" || len(rest) != 0 {
			t.Fatalf("%T: not one PEM request", key.Public())
		}
		req, err := x509.ParseCertificateRequest(block.Bytes)
		if err != nil {
			t.Fatal(err)
		}
		if err := req.CheckSignature(); err != nil || string(req.RawSubject) != string(raw) ||
			!slices.Equal(req.DNSNames, []string{"iam.example.com", "localhost"}) || len(req.IPAddresses) != 1 ||
			!req.IPAddresses[0].Equal(net.ParseIP("10.0.0.1")) || !SamePublicKey(req.PublicKey, key.Public()) {
			t.Errorf("%T: signature %v, subject %s, names %v %v", key.Public(), err, req.Subject, req.DNSNames, req.IPAddresses)
		}
	}
	if _, err := CSR(testca.Rand(1), raw, nil, weakKey); err == nil || err.Error() != "RSA key of 1024 bits is weaker than the 2048-bit minimum" {
		t.Errorf("weak key: %v", err)
	}
}

// TestCheckChain checks good chains (with and without the root, which the
// anchors then give) and every refusal's exact text.
func TestCheckChain(t *testing.T) {
	testKeys(t)
	now := testNow
	ca := testca.New(t, now, "Corp")
	subject := pkix.Name{CommonName: "iam.example.com"}
	sans := []string{"iam.example.com"}
	leaf := func(mods ...testca.Mod) *x509.Certificate {
		return ca.Leaf(t, ecKey.Public(), subject, sans, now, mods...)
	}
	good := leaf()
	full, err := CheckChain([]*x509.Certificate{good, ca.Int, ca.Root}, nil, now)
	if err != nil || len(full) != 3 {
		t.Fatalf("full chain: %d certificates, %v", len(full), err)
	}
	full, err = CheckChain([]*x509.Certificate{good, ca.Int}, []*x509.Certificate{good, ca.Root}, now)
	if err != nil || len(full) != 3 || !full[2].Equal(ca.Root) {
		t.Fatalf("root from the anchors: %d certificates, %v", len(full), err)
	}

	expiredCA := testca.New(t, now, "Old", func(c *x509.Certificate) { c.NotAfter = now.Add(-time.Hour) })
	notCA := testca.New(t, now, "Leafy", func(c *x509.Certificate) {
		c.IsCA, c.MaxPathLen, c.MaxPathLenZero = false, -1, false
		c.KeyUsage = x509.KeyUsageDigitalSignature
	})
	weakCA := testca.New(t, now, "Weak")
	weakInt := testca.Sign(t, &x509.Certificate{Subject: pkix.Name{CommonName: "Weak Issuing CA"}, NotBefore: now.Add(-time.Hour), NotAfter: now.AddDate(1, 0, 0),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}, weakCA.Root, weakKey.Public(), weakCA.RootKey)
	weakLeaf := testca.Sign(t, &x509.Certificate{Subject: subject, DNSNames: sans, NotBefore: now.Add(-time.Hour), NotAfter: now.AddDate(0, 1, 0),
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}, weakInt, ecKey.Public(), weakKey.(*rsa.PrivateKey))
	for _, tc := range []struct {
		name  string
		chain []*x509.Certificate
		want  string
	}{
		{"intermediate missing", []*x509.Certificate{good, ca.Root},
			`certificate 1 (CN=iam.example.com) is issued by "CN=Corp Issuing CA,O=Test CA", which is not the next certificate in the chain; add that issuer's certificate right after it (leaf first, then each issuer up to the root)`},
		{"root missing", []*x509.Certificate{good, ca.Int},
			`certificate 2 (CN=Corp Issuing CA,O=Test CA) is issued by "CN=Corp Root CA,O=Test CA", which neither the chain nor the truststore holds; append that issuer's certificate (and its issuers up to the root) to the file`},
		{"reversed", []*x509.Certificate{ca.Root, ca.Int, good},
			`certificate 3 (CN=iam.example.com) is issued by "CN=Corp Issuing CA,O=Test CA", which neither the chain nor the truststore holds; append that issuer's certificate (and its issuers up to the root) to the file`},
		{"expired leaf", []*x509.Certificate{leaf(func(c *x509.Certificate) { c.NotAfter = now.Add(-time.Minute) }), ca.Int, ca.Root},
			"certificate 1 (CN=iam.example.com) expired on " + now.Add(-time.Minute).Format(time.RFC3339) + "; get a current certificate from the CA"},
		{"future leaf", []*x509.Certificate{leaf(func(c *x509.Certificate) { c.NotBefore = now.Add(time.Hour) }), ca.Int, ca.Root},
			"certificate 1 (CN=iam.example.com) is not valid before " + now.Add(time.Hour).Format(time.RFC3339) + "; check the clock, or import it once it is valid"},
		{"expired CA", []*x509.Certificate{expiredCA.Leaf(t, ecKey.Public(), subject, sans, now), expiredCA.Int, expiredCA.Root},
			"certificate 2 (CN=Old Issuing CA,O=Test CA) expired on " + now.Add(-time.Hour).Format(time.RFC3339) + "; get a current certificate from the CA"},
		{"not a CA", []*x509.Certificate{notCA.Leaf(t, ecKey.Public(), subject, sans, now), notCA.Int, notCA.Root},
			"certificate 2 (CN=Leafy Issuing CA,O=Test CA) is not a CA certificate (basicConstraints CA:TRUE with keyCertSign), so it cannot sign certificate 1 (CN=iam.example.com); give the chain exactly as the CA returned it"},
		{"weak CA key", []*x509.Certificate{weakLeaf, weakInt, weakCA.Root},
			"certificate 2 (CN=Weak Issuing CA) has an RSA key of 1024 bits, weaker than the 2048-bit minimum; have the CA issue it with an RSA key of at least 2048 bits or an EC key on P-256 or larger"},
		{"self-signed leaf", []*x509.Certificate{testca.Sign(t, &x509.Certificate{Subject: subject, DNSNames: sans, NotBefore: now.Add(-time.Hour), NotAfter: now.AddDate(0, 1, 0)}, &x509.Certificate{Subject: subject}, ecKey.Public(), ecKey)},
			"certificate 1 (CN=iam.example.com) is self-signed but not a CA certificate; the chain must end in the CA's root"},
		{"no serverAuth", []*x509.Certificate{leaf(func(c *x509.Certificate) { c.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageCodeSigning} }), ca.Int, ca.Root},
			"certificate 1 (CN=iam.example.com) is not for TLS server authentication; have the CA issue it with extendedKeyUsage serverAuth"},
		{"SHA-1", []*x509.Certificate{leaf(func(c *x509.Certificate) { c.SignatureAlgorithm = x509.ECDSAWithSHA1 }), ca.Int, ca.Root},
			"certificate 1 (CN=iam.example.com) is signed with ECDSA-SHA1, which Java and wso2ks refuse; have the CA issue it with SHA-256 or better"},
		{"empty", nil, "holds no certificate; give the PEM chain your CA returned"},
		{"root twice", []*x509.Certificate{good, ca.Int, ca.Root, ca.Root},
			"certificate 4 repeats certificate 3 (CN=Corp Root CA,O=Test CA); remove the duplicate"},
		{"leaf twice", []*x509.Certificate{good, good, ca.Int, ca.Root},
			"certificate 2 repeats certificate 1 (CN=iam.example.com); remove the duplicate"},
		{"11 certificates", slices.Repeat([]*x509.Certificate{good}, 11),
			"holds 11 certificates, more than the 10 a chain may have (Java refuses longer ones); give the leaf, its intermediates and the root"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := CheckChain(tc.chain, nil, now)
			if err == nil || err.Error() != tc.want {
				t.Errorf("err %v\nwant %s", err, tc.want)
			}
			if err != nil && strings.Contains(err.Error(), "\n") {
				t.Error("more than one line")
			}
		})
	}
}
