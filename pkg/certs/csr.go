package certs

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
)

// CSRPEMType is the PEM type of a PKCS#10 request (RFC 7468 §7), what every
// CA's upload form and `openssl req` expect.
const CSRPEMType = "CERTIFICATE REQUEST"

// CSR makes a PKCS#10 request signed by key for the DER subject rawSubject
// (kept byte for byte, so that the CA sees the subject the certificate has)
// and the SANs (DNS names or IP addresses), in a subjectAltName extension
// request. It parses the request back, checks its signature, subject, names
// and key, and returns it as PEM. Only the signature of an ECDSA key makes
// two requests for the same input differ.
func CSR(rand io.Reader, rawSubject []byte, sans []string, key crypto.Signer) ([]byte, error) {
	if err := checkKey(key, Server); err != nil {
		return nil, err
	}
	tmpl := &x509.CertificateRequest{RawSubject: rawSubject, SignatureAlgorithm: signatureAlgorithm(key)}
	for _, san := range sans {
		if ip := net.ParseIP(san); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, san)
		}
	}
	der, err := x509.CreateCertificateRequest(rand, tmpl, key)
	if err != nil {
		return nil, err
	}
	req, err := x509.ParseCertificateRequest(der)
	if err != nil {
		return nil, fmt.Errorf("parse the new request: %w", err)
	}
	if err := req.CheckSignature(); err != nil {
		return nil, fmt.Errorf("check the new request: %w", err)
	}
	switch {
	case !bytes.Equal(req.RawSubject, rawSubject):
		return nil, errors.New("check the new request: subject differs")
	case !slices.Equal(req.DNSNames, tmpl.DNSNames) || !slices.EqualFunc(req.IPAddresses, tmpl.IPAddresses, net.IP.Equal):
		return nil, errors.New("check the new request: subject alternative names differ")
	case !SamePublicKey(req.PublicKey, key.Public()):
		return nil, errors.New("check the new request: public key differs from the key")
	}
	return pem.EncodeToMemory(&pem.Block{Type: CSRPEMType, Bytes: der}), nil
}
