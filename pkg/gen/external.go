package gen

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"strings"
	"time"

	"github.com/wso2ks/wso2ks/pkg/certs"
	"github.com/wso2ks/wso2ks/pkg/infile"
)

// IssuerExternalCA: a CA the user owns ([tls] ca_cert and ca_key) signs
// every tls and wssec certificate of every environment.
const IssuerExternalCA = "external-ca"

// ExternalCA is the CA of [tls] issuer = "external-ca", read and checked by
// the loader.
type ExternalCA struct {
	// CertFile and KeyFile are as the topology names them.
	CertFile, KeyFile string
	// Key is the signer's private key; Signer is the first certificate of
	// ca_cert whose public key matches it.
	Key    crypto.Signer
	Signer *x509.Certificate
	// Chain runs from Signer up through the intermediates ca_cert holds to
	// the top: a self-signed root, or else the last certificate found.
	Chain []*x509.Certificate
	// Given is every certificate of ca_cert, in file order.
	Given []*x509.Certificate
}

// Root is the certificate truststores hold: the top of the chain.
func (e *ExternalCA) Root() *x509.Certificate { return e.Chain[len(e.Chain)-1] }

// NotAfter is when the first certificate of the chain expires.
func (e *ExternalCA) NotAfter() time.Time {
	t := e.Signer.NotAfter
	for _, c := range e.Chain {
		if c.NotAfter.Before(t) {
			t = c.NotAfter
		}
	}
	return t
}

func (v *validator) externalCA(t *TLSSettings) (*ExternalCA, error) {
	if t.CACert == "" || t.CAKey == "" {
		return nil, v.errAt("tls.issuer", "[tls] issuer = \"external-ca\" needs ca_cert and ca_key; set both to PEM files relative to the topology file")
	}
	ext := &ExternalCA{CertFile: t.CACert, KeyFile: t.CAKey}
	data, err := v.readFile("tls.ca_cert", "ca_cert", t.CACert, infile.Certificates)
	if err != nil {
		return nil, err
	}
	ext.Given, err = certs.ParsePEMCertificates(data, certs.MaxChainLength, false)
	var pe *certs.PEMError
	switch {
	case errors.As(err, &pe) && pe.TooMany:
		return nil, v.errAt("tls.ca_cert", "[tls] ca_cert %q holds more than the %d certificates a chain may have; give the CA certificate and its intermediates", t.CACert, certs.MaxChainLength)
	case errors.As(err, &pe):
		return nil, v.errAt("tls.ca_cert", "[tls] ca_cert %q: certificate %d does not parse (%s); give PEM certificates", t.CACert, pe.N, pe.Reason())
	case err != nil:
		return nil, err
	}
	if err := certs.CheckRepeats(ext.Given); err != nil {
		return nil, v.errAt("tls.ca_cert", "[tls] ca_cert %q: %v", t.CACert, err)
	}
	if len(ext.Given) == 0 {
		return nil, v.errAt("tls.ca_cert", "[tls] ca_cert %q holds no PEM certificate; give the CA certificate, then its intermediates, as -----BEGIN CERTIFICATE----- blocks", t.CACert)
	}
	keyPEM, err := v.readFile("tls.ca_key", "ca_key", t.CAKey, infile.PrivateKey)
	if err != nil {
		return nil, err
	}
	var pass []byte
	if t.CAKeyPassphrase != "" {
		p, err := v.passphrase(t.CAKeyPassphrase)
		if err != nil {
			return nil, err
		}
		pass = []byte(p)
	}
	ext.Key, err = certs.ParseKeyPEM(keyPEM, pass)
	switch {
	case errors.Is(err, certs.ErrPassphraseNeeded):
		return nil, v.errAt("tls.ca_key", "[tls] ca_key %q is encrypted; set ca_key_passphrase = \"env:VARIABLE\" or \"file:PATH\" to where its passphrase is", t.CAKey)
	case errors.Is(err, certs.ErrWrongPassphrase):
		return nil, v.errAt("tls.ca_key_passphrase", "[tls] the passphrase from %s does not decrypt ca_key %q; give the key's passphrase", t.CAKeyPassphrase, t.CAKey)
	case err != nil:
		return nil, v.errAt("tls.ca_key", "[tls] ca_key %q holds no usable private key (%v); give a PKCS#1, PKCS#8 or SEC1 PEM key", t.CAKey, err)
	}
	// The minimums wso2ks holds its own keys to hold for a CA it is given.
	switch k := ext.Key.Public().(type) {
	case *rsa.PublicKey:
		if k.N.BitLen() < certs.MinRSABits {
			return nil, v.errAt("tls.ca_key", "[tls] ca_key %q is an RSA key of %d bits, weaker than the %d-bit minimum; give a CA key of at least %d bits", t.CAKey, k.N.BitLen(), certs.MinRSABits, certs.MinRSABits)
		}
	case *ecdsa.PublicKey:
		if k.Curve.Params().BitSize < 256 {
			return nil, v.errAt("tls.ca_key", "[tls] ca_key %q is an EC key on a %d-bit curve; give a P-256 or larger CA key", t.CAKey, k.Curve.Params().BitSize)
		}
	}
	pub, ok := ext.Key.Public().(interface{ Equal(crypto.PublicKey) bool })
	for _, c := range ext.Given {
		if ok && pub.Equal(c.PublicKey) {
			ext.Signer = c
			break
		}
	}
	if ext.Signer == nil {
		return nil, v.errAt("tls.ca_key", "[tls] ca_key %q matches no certificate in ca_cert %q; give the CA certificate and its own key", t.CAKey, t.CACert)
	}
	// Up from the signer through what ca_cert gives, whatever its order.
	ext.Chain = []*x509.Certificate{ext.Signer}
	for c := ext.Signer; !certs.IsSelfSigned(c) && len(ext.Chain) <= len(ext.Given); {
		var up *x509.Certificate
		for _, p := range ext.Given {
			if p != c && bytes.Equal(p.RawSubject, c.RawIssuer) && c.CheckSignatureFrom(p) == nil {
				up = p
				break
			}
		}
		if up == nil {
			break
		}
		ext.Chain = append(ext.Chain, up)
		c = up
	}
	now := v.now()
	for _, c := range ext.Chain {
		switch {
		case !c.BasicConstraintsValid || !c.IsCA:
			return nil, v.errAt("tls.ca_cert", "[tls] ca_cert %q: %q is not a CA certificate (no basic constraints with CA:true); give a CA certificate", t.CACert, certName(c))
		case c.KeyUsage&x509.KeyUsageCertSign == 0:
			return nil, v.errAt("tls.ca_cert", "[tls] ca_cert %q: %q has no keyCertSign key usage, so it may not sign certificates; give a CA certificate with keyUsage keyCertSign", t.CACert, certName(c))
		case now.After(c.NotAfter):
			return nil, v.errAt("tls.ca_cert", "[tls] ca_cert %q: %q expired on %s; renew the CA or give a current one", t.CACert, certName(c), c.NotAfter.UTC().Format(time.DateOnly))
		case now.Before(c.NotBefore):
			return nil, v.errAt("tls.ca_cert", "[tls] ca_cert %q: %q is not valid before %s; check the clock or give a current CA", t.CACert, certName(c), c.NotBefore.UTC().Format(time.RFC3339))
		}
	}
	roots, mid := x509.NewCertPool(), x509.NewCertPool()
	roots.AddCert(ext.Root())
	for _, c := range ext.Chain[1:] {
		mid.AddCert(c)
	}
	if _, err := ext.Signer.Verify(x509.VerifyOptions{Roots: roots, Intermediates: mid, CurrentTime: now,
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}); err != nil {
		return nil, v.errAt("tls.ca_cert", "[tls] ca_cert %q: the chain from %q to %q does not verify (%v)", t.CACert, certName(ext.Signer), certName(ext.Root()), err)
	}
	return ext, nil
}

// checkCAValidity reports a certificate of validity days, issued now, that
// would outlive the external CA.
func (v *validator) checkCAValidity(ext *ExternalCA, days int, what, key string) error {
	if end := ext.NotAfter(); v.now().AddDate(0, 0, days).After(end) {
		return v.errAt("tls.ca_cert", "[tls] ca_cert %q: the CA chain ends on %s, before a %d-day %s would; set a shorter %s or renew the CA",
			ext.CertFile, end.UTC().Format(time.DateOnly), days, what, key)
	}
	return nil
}

// passphrase resolves ca_key_passphrase: "env:NAME" or "file:PATH", as
// [product.passwords] takes them.
func (v *validator) passphrase(ref string) (string, error) {
	const at = "tls.ca_key_passphrase"
	kind, x, ok := strings.Cut(ref, ":")
	if !ok || (kind != "env" && kind != "file") || x == "" {
		return "", v.errAt(at, "[tls] ca_key_passphrase must be \"env:VARIABLE\" or \"file:PATH\"; the passphrase itself never goes in the topology")
	}
	if kind == "env" {
		if !envVarRe.MatchString(x) {
			return "", v.errAt(at, "[tls] ca_key_passphrase: %q is not an environment variable name", x)
		}
		var pw string
		var set bool
		if v.src.Getenv != nil {
			pw, set = v.src.Getenv(x)
		}
		if !set {
			return "", v.errAt(at, "[tls] ca_key_passphrase: environment variable %s is not set; export it before running wso2ks", x)
		}
		return pw, nil
	}
	data, err := v.readFile(at, "ca_key_passphrase file", x, infile.Password)
	if err != nil {
		return "", err
	}
	return infile.FirstLine(data), nil
}

func (v *validator) now() time.Time {
	if v.src.Now != nil {
		return v.src.Now()
	}
	return time.Now()
}

// certName names a certificate in a message: its CN, else its subject.
func certName(c *x509.Certificate) string {
	if c.Subject.CommonName != "" {
		return c.Subject.CommonName
	}
	return c.Subject.String()
}
