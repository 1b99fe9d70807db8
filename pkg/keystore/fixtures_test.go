package keystore

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"sync"
	"testing"
	"time"

	"github.com/wso2ks/wso2ks/internal/testca"
)

// The keys, certificates and encoders the codec tests share.

const testPassword = "Test-store-pass 1!"

// testCreated is the injected creation time; noon UTC keeps the date the same in any time zone
// keytool might print it in.
var testCreated = time.Date(2026, 1, 2, 12, 0, 0, 0, time.UTC)

// fixtures holds keys and certificates made once per test binary: 2048-bit RSA generation is
// slow, and since Go 1.26 it cannot be seeded anyway.
var fixtures struct {
	once     sync.Once
	rsaKey   *rsa.PrivateKey
	rsaCert  *x509.Certificate // self-signed
	ecKey    crypto.Signer
	ecCert   *x509.Certificate // issued by caCert
	caKey    crypto.Signer
	caCert   *x509.Certificate
	rootCert *x509.Certificate // a second self-signed CA, for trust stores
}

func loadFixtures(t testing.TB) {
	t.Helper()
	fixtures.once.Do(func() {
		f := &fixtures
		var err error
		if f.rsaKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
		f.ecKey = testca.Key(t)
		f.caKey = testca.Key(t)
		rootKey := testca.Key(t)
		f.caCert = testca.Cert(t, "wso2ks test ca", 1, true, f.caKey, nil, f.caKey)
		f.rootCert = testca.Cert(t, "wso2ks test root", 2, true, rootKey, nil, rootKey)
		f.rsaCert = testca.Cert(t, "primary.example.com", 3, false, f.rsaKey, nil, f.rsaKey)
		f.ecCert = testca.Cert(t, "tls.example.com", 4, false, f.ecKey, f.caCert, f.caKey)
	})
}

func testEncoder(seed byte) Encoder {
	return Encoder{Rand: testca.Rand(seed), Created: testCreated}
}

func rsaEntry() KeyEntry {
	return KeyEntry{Alias: "primary", Key: fixtures.rsaKey, Chain: []*x509.Certificate{fixtures.rsaCert}}
}

func ecEntry() KeyEntry {
	return KeyEntry{Alias: "iam-tls", Key: fixtures.ecKey, Chain: []*x509.Certificate{fixtures.ecCert, fixtures.caCert}}
}

// trustEntries are deliberately not in alphabetical order.
func trustEntries() []TrustedCert {
	return []TrustedCert{
		{Alias: "tls", Cert: fixtures.ecCert},
		{Alias: "iam-tls", Cert: fixtures.caCert},
		{Alias: "public-amazon-root-ca-1", Cert: fixtures.rootCert},
	}
}

// storeKinds are the three encodings wso2ks writes.
var storeKinds = []struct {
	name    string
	format  Format
	profile Profile
}{
	{"jks", JKS, ""},
	{"pkcs12-modern", PKCS12, Modern},
	{"pkcs12-legacy", PKCS12, Legacy},
}
