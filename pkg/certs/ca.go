package certs

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"time"
)

// CA issues a self-signed CA certificate for key: basic constraints
// (critical) with a path length of zero, so it signs only leaves;
// keyCertSign and cRLSign; no extended key usage. req.SANs and req.Usage
// are ignored.
func (is Issuer) CA(req Request, key crypto.Signer) (*x509.Certificate, error) {
	if req.ValidityDays < 1 {
		return nil, errors.New("validity must be at least one day")
	}
	if err := checkKey(key, Server); err != nil {
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
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               req.Subject,
		NotBefore:             notBefore,
		NotAfter:              notBefore.AddDate(0, 0, req.ValidityDays),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLen:            0,
		MaxPathLenZero:        true,
		SubjectKeyId:          ski,
		AuthorityKeyId:        ski,
		SignatureAlgorithm:    signatureAlgorithm(key),
	}
	der, err := x509.CreateCertificate(is.Rand, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("parse the new CA certificate: %w", err)
	}
	if err := checkFields(cert, tmpl, key); err != nil {
		return nil, fmt.Errorf("check the new CA certificate: %w", err)
	}
	switch {
	case cert.MaxPathLen != 0 || !cert.MaxPathLenZero:
		return nil, fmt.Errorf("check the new CA certificate: path length is %d, want 0", cert.MaxPathLen)
	case !critical(cert, oidBasicConstraints):
		return nil, errors.New("check the new CA certificate: basic constraints are not critical")
	}
	if err := cert.CheckSignatureFrom(cert); err != nil {
		return nil, fmt.Errorf("check the new CA certificate: %w", err)
	}
	return cert, nil
}

// Signed issues a certificate for key signed by the CA (caCert, caKey),
// parses it back, checks it against the request and verifies it for each
// DNS name with the CA as the only root.
func (is Issuer) Signed(req Request, key crypto.Signer, caCert *x509.Certificate, caKey crypto.Signer) (*x509.Certificate, error) {
	if req.ValidityDays < 1 {
		return nil, errors.New("validity must be at least one day")
	}
	if err := checkKey(key, req.Usage); err != nil {
		return nil, err
	}
	if !caCert.IsCA || caCert.KeyUsage&x509.KeyUsageCertSign == 0 {
		return nil, errors.New("the issuer certificate is not a CA with keyCertSign")
	}
	if !caCert.PublicKey.(interface{ Equal(crypto.PublicKey) bool }).Equal(caKey.Public()) {
		return nil, errors.New("the CA key does not match the CA certificate")
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
	notAfter := notBefore.AddDate(0, 0, req.ValidityDays)
	if notAfter.After(caCert.NotAfter) {
		return nil, fmt.Errorf("the certificate would outlive its CA (%s)", caCert.NotAfter.UTC().Format(time.RFC3339))
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               req.Subject,
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		KeyUsage:              keyUsage(req.Usage, key),
		ExtKeyUsage:           extKeyUsage(req.Usage),
		BasicConstraintsValid: true,
		SubjectKeyId:          ski,
		AuthorityKeyId:        caCert.SubjectKeyId,
		SignatureAlgorithm:    signatureAlgorithm(caKey),
	}
	for _, san := range req.SANs {
		if ip := net.ParseIP(san); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, san)
		}
	}
	der, err := x509.CreateCertificate(is.Rand, tmpl, caCert, key.Public(), caKey)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("parse the new certificate: %w", err)
	}
	if err := checkFields(cert, tmpl, key); err != nil {
		return nil, fmt.Errorf("check the new certificate: %w", err)
	}
	if !bytes.Equal(cert.RawIssuer, caCert.RawSubject) {
		return nil, errors.New("check the new certificate: issuer is not the CA's subject")
	}
	if err := cert.CheckSignatureFrom(caCert); err != nil {
		return nil, fmt.Errorf("check the new certificate: %w", err)
	}
	roots := x509.NewCertPool()
	roots.AddCert(caCert)
	if _, err := cert.Verify(x509.VerifyOptions{Roots: roots, CurrentTime: cert.NotBefore.Add(clockSkew),
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}); err != nil {
		return nil, fmt.Errorf("check the new certificate: %w", err)
	}
	if err := verifyNames(cert, caCert); err != nil {
		return nil, fmt.Errorf("check the new certificate: %w", err)
	}
	return cert, nil
}

// oidBasicConstraints is RFC 5280 §4.2.1.9.
var oidBasicConstraints = []int{2, 5, 29, 19}

func critical(c *x509.Certificate, oid []int) bool {
	for _, e := range c.Extensions {
		if e.Id.Equal(oid) {
			return e.Critical
		}
	}
	return false
}
