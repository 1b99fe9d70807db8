package verify

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"math/big"
	"testing"
	"testing/fstest"

	"github.com/wso2ks/wso2ks/pkg/gen"
	"github.com/wso2ks/wso2ks/pkg/infile"
	"github.com/wso2ks/wso2ks/pkg/keystore"
)

// FuzzVerifyHome: any deployment.toml and any store bytes give findings or an input error,
// never a panic.
func FuzzVerifyHome(f *testing.F) {
	f.Add([]byte(isDeployment), []byte("not a store"))
	f.Add([]byte("[keystore.primary]\nfile_name = \"$ref{keystore.primary.file_name}\"\npassword = \"$secret{x}\"\n[secrets]\nx = \"@@\"\n"), []byte{0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2})
	f.Add([]byte("[server]\nhostname = 7\n[truststore]\ntype = []\n"), []byte{0x30, 0x82, 0x01})
	f.Fuzz(func(t *testing.T, deployment, store []byte) {
		fsys := fstest.MapFS{
			"wso2is-7.1.0/bin/wso2server.sh":               {Data: []byte("#!/bin/sh\n"), Mode: 0o755},
			"wso2is-7.1.0/repository/conf/deployment.toml": {Data: deployment, Mode: 0o644},
		}
		for _, name := range []string{"wso2carbon.p12", "primary.p12", "internal.p12", "tls.p12", "client-truststore.p12"} {
			fsys["wso2is-7.1.0/"+isSecurity+name] = &fstest.MapFile{Data: store, Mode: 0o600}
		}
		_, err := Verify([]string{"wso2is-7.1.0"}, Options{FS: mapFS{fsys}, Now: testNow, ExpiryWarn: DefaultExpiryWarn, Password: testPassword})
		if err != nil && !errors.Is(err, gen.ErrInput) {
			t.Fatalf("an error that is not unusable input: %v", err)
		}
	})
}

// BenchmarkVerifyHome150 audits an IS home whose truststore holds 150 certificates, like
// WSO2's shipped one with its public CAs.
func BenchmarkVerifyHome150(b *testing.B) {
	fx := goodIS()
	key := fixtureKey(b, 3)
	for i := range 150 {
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(int64(i + 1)), Subject: pkix.Name{CommonName: fmt.Sprintf("Public CA %d", i)},
			NotBefore: testNow.AddDate(-1, 0, 0), NotAfter: testNow.AddDate(5, 0, 0), IsCA: true, BasicConstraintsValid: true,
			KeyUsage: x509.KeyUsageCertSign}
		der, err := x509.CreateCertificate(nil, tmpl, tmpl, &key.PublicKey, key)
		if err != nil {
			b.Fatal(err)
		}
		cert, _ := x509.ParseCertificate(der)
		fx.trusted = append(fx.trusted, keystore.TrustedCert{Alias: fmt.Sprintf("public-ca-%d", i), Cert: cert})
	}
	h := fx.build(b)
	fsys := fstest.MapFS{}
	for rel, data := range h.files {
		fsys[h.name+"/"+rel] = &fstest.MapFile{Data: data, Mode: 0o600}
	}
	b.ResetTimer()
	for b.Loop() {
		r, err := Verify([]string{h.name}, Options{FS: mapFS{fsys}, Now: testNow, ExpiryWarn: DefaultExpiryWarn})
		if err != nil || r.Failed() {
			b.Fatalf("%v %+v", err, r)
		}
	}
}

// mapFS is an in-memory FS; it reads files of any size.
type mapFS struct{ fstest.MapFS }

func (m mapFS) ReadFile(name string, _ infile.Kind) ([]byte, error) { return m.MapFS.ReadFile(name) }
