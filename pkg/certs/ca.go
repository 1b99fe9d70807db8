package certs

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"time"
)

// CA issues a self-signed CA certificate for key: basic constraints
// (critical) with a path length of zero, so it signs only leaves;
// keyCertSign and cRLSign; no extended key usage. req.SANs and req.Usage
// are ignored.
func (is Issuer) CA(req Request, key crypto.Signer) (*x509.Certificate, error) {
	tmpl, err := is.template(req.Subject, req.ValidityDays, key, Server)
	if err != nil {
		return nil, err
	}
	tmpl.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageCRLSign
	tmpl.IsCA, tmpl.MaxPathLen, tmpl.MaxPathLenZero = true, 0, true
	tmpl.AuthorityKeyId = tmpl.SubjectKeyId
	tmpl.SignatureAlgorithm = signatureAlgorithm(key)
	cert, err := is.create(tmpl, tmpl, key.Public(), key, "CA certificate")
	if err != nil {
		return nil, err
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
	if !caCert.IsCA || caCert.KeyUsage&x509.KeyUsageCertSign == 0 {
		return nil, errors.New("the issuer certificate is not a CA with keyCertSign")
	}
	if !caCert.PublicKey.(interface{ Equal(crypto.PublicKey) bool }).Equal(caKey.Public()) {
		return nil, errors.New("the CA key does not match the CA certificate")
	}
	tmpl, err := is.leafTemplate(req, key)
	if err != nil {
		return nil, err
	}
	if tmpl.NotAfter.After(caCert.NotAfter) {
		return nil, fmt.Errorf("the certificate would outlive its CA (%s)", caCert.NotAfter.UTC().Format(time.RFC3339))
	}
	tmpl.AuthorityKeyId = caCert.SubjectKeyId
	tmpl.SignatureAlgorithm = signatureAlgorithm(caKey)
	cert, err := is.create(tmpl, caCert, key.Public(), caKey, "certificate")
	if err != nil {
		return nil, err
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
