package certs

import (
	"bytes"
	"crypto/x509"
	"crypto/x509/pkix"
	"slices"
	"testing"
	"time"

	"github.com/wso2ks/wso2ks/internal/testca"
)

func testCA(t *testing.T) *x509.Certificate {
	t.Helper()
	testKeys(t)
	is := Issuer{Rand: testca.Rand(1), Now: testNow}
	ca, err := is.CA(Request{Subject: pkix.Name{CommonName: "Example dev CA", Organization: []string{"Example"}}, ValidityDays: 3650}, rsaKey)
	if err != nil {
		t.Fatal(err)
	}
	return ca
}

func TestCA(t *testing.T) {
	ca := testCA(t)
	ski, err := subjectKeyID(rsaKey.Public())
	if err != nil {
		t.Fatal(err)
	}
	notBefore := testNow.Add(-clockSkew)
	switch {
	case !ca.IsCA || !ca.BasicConstraintsValid:
		t.Errorf("IsCA %v, BasicConstraintsValid %v; want both", ca.IsCA, ca.BasicConstraintsValid)
	case ca.MaxPathLen != 0 || !ca.MaxPathLenZero:
		t.Errorf("MaxPathLen %d, MaxPathLenZero %v; want 0, true", ca.MaxPathLen, ca.MaxPathLenZero)
	case ca.KeyUsage != x509.KeyUsageCertSign|x509.KeyUsageCRLSign:
		t.Errorf("KeyUsage %v, want keyCertSign|cRLSign", ca.KeyUsage)
	case len(ca.ExtKeyUsage) != 0:
		t.Errorf("ExtKeyUsage %v, want none", ca.ExtKeyUsage)
	case !bytes.Equal(ca.SubjectKeyId, ski):
		t.Errorf("SubjectKeyId %x, want %x", ca.SubjectKeyId, ski)
	case ca.Subject.String() != "CN=Example dev CA,O=Example":
		t.Errorf("Subject %s", ca.Subject)
	case !ca.NotBefore.Equal(notBefore) || !ca.NotAfter.Equal(notBefore.AddDate(0, 0, 3650)):
		t.Errorf("validity %s to %s", ca.NotBefore, ca.NotAfter)
	case ca.SignatureAlgorithm != x509.SHA256WithRSA:
		t.Errorf("SignatureAlgorithm %v", ca.SignatureAlgorithm)
	}
	for _, oid := range [][]int{{2, 5, 29, 19}, {2, 5, 29, 15}} {
		if !critical(ca, oid) {
			t.Errorf("extension %v is not critical", oid)
		}
	}
}

func TestSigned(t *testing.T) {
	ca := testCA(t)
	is := Issuer{Rand: testca.Rand(2), Now: testNow}
	sans := []string{"iam.example.com", "iam-0.internal", "localhost", "10.0.0.1"}
	leaf, err := is.Signed(Request{Subject: pkix.Name{CommonName: "iam.example.com"}, SANs: sans, ValidityDays: 397, Usage: Server}, ecKey, ca, rsaKey)
	if err != nil {
		t.Fatal(err)
	}
	switch {
	case leaf.IsCA:
		t.Error("leaf is a CA")
	case !bytes.Equal(leaf.AuthorityKeyId, ca.SubjectKeyId):
		t.Errorf("AuthorityKeyId %x, want the CA's SubjectKeyId %x", leaf.AuthorityKeyId, ca.SubjectKeyId)
	case leaf.Issuer.String() != ca.Subject.String():
		t.Errorf("Issuer %s, want %s", leaf.Issuer, ca.Subject)
	case leaf.SignatureAlgorithm != x509.SHA256WithRSA:
		t.Errorf("SignatureAlgorithm %v, want the CA key's SHA256-RSA", leaf.SignatureAlgorithm)
	case leaf.KeyUsage != x509.KeyUsageDigitalSignature:
		t.Errorf("KeyUsage %v", leaf.KeyUsage)
	case !slices.Equal(leaf.ExtKeyUsage, []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth}):
		t.Errorf("ExtKeyUsage %v", leaf.ExtKeyUsage)
	case !slices.Equal(leaf.DNSNames, sans[:3]) || len(leaf.IPAddresses) != 1:
		t.Errorf("SANs %v %v", leaf.DNSNames, leaf.IPAddresses)
	}
	roots := x509.NewCertPool()
	roots.AddCert(ca)
	for _, name := range sans {
		if _, err := leaf.Verify(x509.VerifyOptions{Roots: roots, DNSName: name, CurrentTime: testNow}); err != nil {
			t.Errorf("verify for %s: %v", name, err)
		}
	}
	// The leaf alone is not trusted: only the CA is a root.
	self := x509.NewCertPool()
	self.AddCert(leaf)
	if _, err := ca.Verify(x509.VerifyOptions{Roots: self, CurrentTime: testNow}); err == nil {
		t.Error("the CA verifies with the leaf as root")
	}
}

func TestSignedRefuses(t *testing.T) {
	ca := testCA(t)
	leaf, err := Issuer{Rand: testca.Rand(3), Now: testNow}.SelfSigned(Request{Subject: pkix.Name{CommonName: "x"}, ValidityDays: 1, Usage: Server}, ecKey)
	if err != nil {
		t.Fatal(err)
	}
	is := Issuer{Rand: testca.Rand(4), Now: testNow}
	req := Request{Subject: pkix.Name{CommonName: "a.example.com"}, SANs: []string{"a.example.com"}, ValidityDays: 397, Usage: Server}
	tests := []struct {
		name string
		do   func() error
		want string
	}{
		{"not a CA", func() error { _, err := is.Signed(req, ecKey, leaf, ecKey); return err },
			"the issuer certificate is not a CA with keyCertSign"},
		{"wrong CA key", func() error { _, err := is.Signed(req, ecKey, ca, ec384Key); return err },
			"the CA key does not match the CA certificate"},
		{"outlives the CA", func() error {
			_, err := Issuer{Rand: testca.Rand(5), Now: testNow.Add(3649 * 24 * time.Hour)}.Signed(req, ecKey, ca, rsaKey)
			return err
		}, "the certificate would outlive its CA (2035-12-31T02:59:05Z)"},
		{"weak leaf key", func() error { _, err := is.Signed(req, weakKey, ca, rsaKey); return err },
			"RSA key of 1024 bits is weaker than the 2048-bit minimum"},
		{"zero validity", func() error { _, err := is.Signed(Request{Subject: req.Subject}, ecKey, ca, rsaKey); return err },
			"validity must be at least one day"},
		{"weak CA key", func() error { _, err := is.CA(Request{Subject: req.Subject, ValidityDays: 1}, weakKey); return err },
			"RSA key of 1024 bits is weaker than the 2048-bit minimum"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.do()
			if err == nil || err.Error() != tt.want {
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
}
