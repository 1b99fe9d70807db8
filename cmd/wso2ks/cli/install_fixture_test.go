package cli

import (
	"crypto"
	"crypto/x509"
	"crypto/x509/pkix"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/wso2ks/wso2ks/internal/testca"
	"github.com/wso2ks/wso2ks/pkg/keystore"
)

// fakeHome lays out a directory like a fresh pack of kind: its start
// script, its deployment.toml (a test fixture shaped like the shipped one)
// and the stores it ships: wso2carbon (WSO2's published certificate) and a
// client truststore that trusts it, both with the password wso2carbon, in
// the format the fixture's version ships (PKCS#12 for IS 7.1).
func fakeHome(t *testing.T, parent, name, kind string) string {
	t.Helper()
	home := filepath.Join(parent, name)
	fixture := map[string]string{"wso2is": "is71.toml", "wso2am": "apim45.toml", "wso2mi": "mi44.toml"}[kind]
	conf := map[string]string{"wso2is": "repository/conf", "wso2am": "repository/conf", "wso2mi": "conf"}[kind]
	script := map[string]string{"wso2is": "bin/wso2server.sh", "wso2am": "bin/api-manager.sh", "wso2mi": "bin/micro-integrator.sh"}[kind]
	data, err := os.ReadFile(filepath.Join(mergeTestdata, "merge", fixture))
	if err != nil {
		t.Fatal(err)
	}
	format, ext := keystore.JKS, "jks"
	if kind == "wso2is" {
		format, ext = keystore.PKCS12, "p12"
	}
	key, cert := wso2Cert(t)
	enc := keystore.Encoder{Rand: fixedRand{}, Created: testNow}
	keyStore, err := enc.EncodeKeyStore(format, keystore.Modern, keystore.KeyEntry{Alias: "wso2carbon", Key: key, Chain: []*x509.Certificate{cert}}, "wso2carbon")
	if err != nil {
		t.Fatal(err)
	}
	truststore, err := enc.EncodeTrustStore(format, keystore.Modern, []keystore.TrustedCert{{Alias: "wso2carbon", Cert: cert}}, "wso2carbon")
	if err != nil {
		t.Fatal(err)
	}
	for rel, content := range map[string][]byte{
		conf + "/deployment.toml": data,
		script:                    []byte("#!/bin/sh\n"),
		"repository/resources/security/wso2carbon." + ext:        keyStore,
		"repository/resources/security/client-truststore." + ext: truststore,
	} {
		p := filepath.Join(home, rel)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, content, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return home
}

// fixedRand is the salt source of the fixtures' stores.
type fixedRand struct{}

func (fixedRand) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(i)
	}
	return len(p), nil
}

var (
	wso2Once sync.Once
	wso2Key  crypto.Signer
	wso2Crt  *x509.Certificate
)

// wso2Cert is a stand-in for the key and certificate WSO2 ships in every
// pack: self-signed, CN=localhost, O=WSO2 (what verify's default-cert rule
// knows it by).
func wso2Cert(t *testing.T) (crypto.Signer, *x509.Certificate) {
	wso2Once.Do(func() {
		wso2Key = testca.Key(t)
		tmpl := &x509.Certificate{Subject: pkix.Name{CommonName: "localhost", Organization: []string{"WSO2"}, Locality: []string{"Mountain View"}},
			NotBefore: testNow.AddDate(-1, 0, 0), NotAfter: testNow.AddDate(5, 0, 0), DNSNames: []string{"localhost"}}
		wso2Crt = testca.Sign(t, tmpl, tmpl, wso2Key.Public(), wso2Key)
	})
	return wso2Key, wso2Crt
}

// importTrusted adds cert under alias to the store at file, as
// 'keytool -importcert' does: an operator trusting a partner.
func importTrusted(t *testing.T, file string, format keystore.Format, password, alias string, cert *x509.Certificate) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	got, err := keystore.Decode(format, data, password)
	if err != nil {
		t.Fatal(err)
	}
	entries := append(got.Trusted, keystore.TrustedCert{Alias: alias, Cert: cert, Kept: true})
	for i := range entries {
		entries[i].Kept = true
	}
	data, err = keystore.Encoder{Rand: fixedRand{}, Created: testNow}.EncodeTrustStore(format, keystore.Modern, entries, password)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// partnerCert is a certificate an operator trusts: a partner's CA.
func partnerCert(t *testing.T, name string) *x509.Certificate {
	return testca.New(t, testNow, name).Root
}
