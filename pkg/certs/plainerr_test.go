package certs

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"strings"
	"testing"
)

// TestPlainReason: what Go's parsers say reaches the user without Go's
// words (asn1 dumps, "x509:", advice to call another function).
func TestPlainReason(t *testing.T) {
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ecDER, _ := x509.MarshalECPrivateKey(ec)
	_, asn1Err := x509.ParseCertificate([]byte{0x30, 0x03, 0x02, 0x01, 0x01})
	_, x509Err := x509.ParseCertificate([]byte{0x30, 0x00})
	_, wrongType := ParseKeyPEM(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: ecDER}), nil)
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"asn1", asn1Err, "its DER encoding is malformed"},
		{"x509", x509Err, "its DER encoding is malformed"},
		{"key under another PEM type", wrongType, "the key inside is not of the kind its PEM header names"},
	} {
		if tc.err == nil {
			t.Fatalf("%s: no error to word", tc.name)
		}
		got := tc.err.Error()
		if tc.name != "key under another PEM type" {
			got = PlainReason(tc.err)
		}
		if got != tc.want || strings.Contains(got, "asn1") || strings.Contains(got, "x509") {
			t.Errorf("%s: %q (from %q), want %q", tc.name, got, tc.err, tc.want)
		}
	}
}
