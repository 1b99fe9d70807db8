package certs

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"
)

func TestParsePEMCertificates(t *testing.T) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "a"}, NotBefore: time.Now(), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	cert := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
	bad := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte{0x30, 0x00}}))
	other := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte{1}}))
	tests := []struct {
		name, data string
		max        int
		only       bool
		n          int
		want       PEMError // zero: no error
	}{
		{"text around, another block skipped", "subject=a\n" + cert + other + cert, 0, false, 2, PEMError{}},
		{"another block refused", cert + other, 0, true, 0, PEMError{N: 2, Type: "PRIVATE KEY"}},
		{"at the limit", cert + cert, 2, true, 2, PEMError{}},
		{"over the limit", cert + cert + cert, 2, true, 0, PEMError{N: 3, TooMany: true}},
		{"a block that does not parse", cert + bad, 0, false, 0, PEMError{N: 2}},
		{"none", "no PEM here", 0, true, 0, PEMError{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParsePEMCertificates([]byte(tt.data), tt.max, tt.only)
			var pe *PEMError
			if tt.want == (PEMError{}) {
				if err != nil || len(got) != tt.n {
					t.Fatalf("got %d certificates, %v; want %d", len(got), err, tt.n)
				}
				return
			}
			if !errors.As(err, &pe) || pe.N != tt.want.N || pe.Type != tt.want.Type || pe.TooMany != tt.want.TooMany || (pe.Err != nil) != (tt.want.Type == "" && !tt.want.TooMany) {
				t.Fatalf("got %v (%+v), want %+v", err, pe, tt.want)
			}
			if got != nil || strings.Contains(err.Error(), "\n") {
				t.Errorf("certificates returned with the error, or a multi-line error: %v", err)
			}
		})
	}
}
