package verify

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/wso2ks/wso2ks/pkg/keystore"
)

var testNow = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

// testPassword is the fixtures' store password (not WSO2's default).
const testPassword = "Fixture-pass-1"

var (
	keyOnce sync.Once
	keys    [4]*rsa.PrivateKey
)

// fixtureKey returns one of four RSA 2048 keys made once per test binary.
func fixtureKey(t testing.TB, i int) *rsa.PrivateKey {
	t.Helper()
	keyOnce.Do(func() {
		var wg sync.WaitGroup
		for i := range keys {
			wg.Go(func() { keys[i], _ = rsa.GenerateKey(rand.Reader, 2048) })
		}
		wg.Wait()
	})
	return keys[i]
}

// certSpec is one certificate of a fixture.
type certSpec struct {
	cn, org   string
	dns       []string
	notAfter  time.Time
	keyUsage  x509.KeyUsage
	key       *rsa.PrivateKey
	issuer    *x509.Certificate // nil: self-signed
	issuerKey *rsa.PrivateKey
	sigAlg    x509.SignatureAlgorithm
}

func makeCert(t testing.TB, s certSpec) *x509.Certificate {
	t.Helper()
	if s.notAfter.IsZero() {
		s.notAfter = testNow.AddDate(1, 0, 0)
	}
	if s.keyUsage == 0 {
		s.keyUsage = x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment | x509.KeyUsageDataEncipherment
	}
	tmpl := &x509.Certificate{
		SerialNumber:       big.NewInt(testNow.UnixNano()),
		Subject:            pkix.Name{CommonName: s.cn, Organization: []string{s.org}},
		DNSNames:           s.dns,
		NotBefore:          testNow.AddDate(0, -1, 0),
		NotAfter:           s.notAfter,
		KeyUsage:           s.keyUsage,
		ExtKeyUsage:        []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
		SignatureAlgorithm: s.sigAlg,
	}
	if s.keyUsage&x509.KeyUsageCertSign != 0 {
		tmpl.IsCA, tmpl.BasicConstraintsValid = true, true
	}
	parent, signer := tmpl, s.key
	if s.issuer != nil {
		parent, signer = s.issuer, s.issuerKey
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &s.key.PublicKey, signer)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return cert
}

var enc = keystore.Encoder{Rand: rand.Reader, Created: testNow}

func keyStore(t testing.TB, f keystore.Format, alias, password string, key *rsa.PrivateKey, chain ...*x509.Certificate) []byte {
	t.Helper()
	data, err := enc.EncodeKeyStore(f, keystore.Modern, keystore.KeyEntry{Alias: alias, Key: key, Chain: chain}, password)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func trustStore(t testing.TB, f keystore.Format, password string, entries ...keystore.TrustedCert) []byte {
	t.Helper()
	data, err := enc.EncodeTrustStore(f, keystore.Modern, entries, password)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// home is a WSO2 home under construction: files by path relative to it.
type home struct {
	name  string // directory name, e.g. wso2is-7.1.0
	files map[string][]byte
	modes map[string]os.FileMode
}

func (h *home) write(t testing.TB) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), h.name)
	h.writeInto(t, dir)
	return dir
}

// writeInto writes the home's files into dir.
func (h *home) writeInto(t testing.TB, dir string) {
	t.Helper()
	for rel, data := range h.files {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		mode := os.FileMode(0o600)
		if m, ok := h.modes[rel]; ok {
			mode = m
		}
		if err := os.WriteFile(p, data, mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
	}
}

const isSecurity = "repository/resources/security/"

// isDeployment is a good IS 7.1 deployment.toml for the fixture stores.
const isDeployment = `[server]
hostname = "iam.example.com"

[keystore.primary]
file_name = "primary.p12"
type = "PKCS12"
password = "Fixture-pass-1"
alias = "primary"
key_password = "Fixture-pass-1"

[keystore.internal]
file_name = "internal.p12"
type = "PKCS12"
password = "Fixture-pass-1"
alias = "internal"
key_password = "Fixture-pass-1"

[keystore.tls]
file_name = "tls.p12"
type = "PKCS12"
password = "Fixture-pass-1"
alias = "tls"
key_password = "Fixture-pass-1"

[truststore]
file_name = "client-truststore.p12"
type = "PKCS12"
password = "Fixture-pass-1"

[encryption]
key = "` + fixtureKeyHex + `"
`

// fixtureKeyHex is the fixtures' [encryption] key: the product's own, 64 hex digits.
const fixtureKeyHex = "5f2b8c0e9d4a7163b2e8f0c1d9a6457e3b1c0f8e2d7a6954c3b2a1f0e9d8c7b6"

// fixture is what a good home's stores are made from; cases change it before build.
type fixture struct {
	name                   string
	deployment             string
	primary, internal, tls certSpec
	tlsChain               []*x509.Certificate // extra chain certificates after the tls leaf
	trustTLS, gateway      bool
	trusted                []keystore.TrustedCert // more truststore entries
}

func goodIS() *fixture {
	return &fixture{
		name: "wso2is-7.1.0", deployment: isDeployment,
		primary:  certSpec{cn: "iam.example.com", org: "Example Corp"},
		internal: certSpec{cn: "iam.example.com", org: "Example Corp"},
		tls:      certSpec{cn: "iam.example.com", org: "Example Corp", dns: []string{"iam.example.com", "localhost"}, keyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment},
		trustTLS: true,
	}
}

func (fx *fixture) build(t testing.TB) *home {
	t.Helper()
	if fx.primary.key == nil {
		fx.primary.key = fixtureKey(t, 0)
	}
	if fx.internal.key == nil {
		fx.internal.key = fixtureKey(t, 1)
	}
	if fx.tls.key == nil {
		fx.tls.key = fixtureKey(t, 2)
	}
	primary, internal, tls := makeCert(t, fx.primary), makeCert(t, fx.internal), makeCert(t, fx.tls)
	conf, script := "repository/conf/deployment.toml", "bin/wso2server.sh"
	switch fx.name[:6] {
	case "wso2am":
		script = "bin/api-manager.sh"
	case "wso2mi":
		conf, script = "conf/deployment.toml", "bin/micro-integrator.sh"
	}
	h := &home{name: fx.name, files: map[string][]byte{conf: []byte(fx.deployment), script: []byte("#!/bin/sh\n")},
		modes: map[string]os.FileMode{script: 0o755, conf: 0o644}}
	h.files[isSecurity+"primary.p12"] = keyStore(t, keystore.PKCS12, "primary", testPassword, fx.primary.key, primary)
	h.files[isSecurity+"internal.p12"] = keyStore(t, keystore.PKCS12, "internal", testPassword, fx.internal.key, internal)
	h.files[isSecurity+"tls.p12"] = keyStore(t, keystore.PKCS12, "tls", testPassword, fx.tls.key, append([]*x509.Certificate{tls}, fx.tlsChain...)...)
	var trusted []keystore.TrustedCert
	trusted = append(trusted, keystore.TrustedCert{Alias: "iam-primary", Cert: primary})
	if fx.trustTLS {
		trusted = append(trusted, keystore.TrustedCert{Alias: "iam-tls", Cert: tls})
	}
	if fx.gateway {
		trusted = append(trusted, keystore.TrustedCert{Alias: "gateway_certificate_alias", Cert: primary})
	}
	trusted = append(trusted, fx.trusted...)
	h.files[isSecurity+"client-truststore.p12"] = trustStore(t, keystore.PKCS12, testPassword, trusted...)
	return h
}

func goodAPIM() *fixture {
	fx := goodIS()
	fx.name, fx.gateway = "wso2am-4.5.0", true
	return fx
}

// miDeployment is a good MI 4.4 deployment.toml for the fixture stores: paths relative to
// MI_HOME, and the HTTPS listener's own table for tls.
const miDeployment = `[server]
hostname = "iam.example.com"

[keystore.primary]
file_name = "repository/resources/security/primary.p12"
type = "PKCS12"
password = "Fixture-pass-1"
alias = "primary"
key_password = "Fixture-pass-1"

[keystore.internal]
file_name = "repository/resources/security/internal.p12"
type = "PKCS12"
password = "Fixture-pass-1"
alias = "internal"
key_password = "Fixture-pass-1"

[truststore]
file_name = "repository/resources/security/client-truststore.p12"
type = "PKCS12"
password = "Fixture-pass-1"

[transport.http.listener.keystore]
location = "repository/resources/security/tls.p12"
type = "PKCS12"
password = "Fixture-pass-1"
key_password = "Fixture-pass-1"
key_alias = "tls"
`

func goodMI() *fixture {
	fx := goodIS()
	fx.name, fx.deployment = "wso2mi-4.4.0", miDeployment
	return fx
}

func pemCert(c *x509.Certificate) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
}
