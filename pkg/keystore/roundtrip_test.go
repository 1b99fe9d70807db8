package keystore

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"testing"
	"time"

	"github.com/wso2ks/wso2ks/pkg/certs"
	pkcs12 "software.sslmate.com/src/go-pkcs12"
)

func TestKeyStoreRoundTrip(t *testing.T) {
	loadFixtures(t)
	for _, kind := range storeKinds {
		for _, entry := range []KeyEntry{rsaEntry(), ecEntry()} {
			t.Run(kind.name+"/"+entry.Alias, func(t *testing.T) {
				data, err := testEncoder(1).EncodeKeyStore(kind.format, kind.profile, entry, testPassword)
				if err != nil {
					t.Fatalf("EncodeKeyStore: %v", err)
				}
				got, err := Decode(kind.format, data, testPassword)
				if err != nil {
					t.Fatalf("Decode: %v", err)
				}
				if len(got.Keys) != 1 || len(got.Trusted) != 0 {
					t.Fatalf("got %d key and %d trusted entries, want 1 and 0", len(got.Keys), len(got.Trusted))
				}
				assertKeyEntry(t, got.Keys[0], entry)
				if want := wantCreated(kind.format); !got.Keys[0].Created.Equal(want) {
					t.Errorf("created %v, want %v", got.Keys[0].Created, want)
				}
				if kind.format == PKCS12 {
					key, leaf, cas, err := pkcs12.DecodeChain(data, testPassword)
					if err != nil {
						t.Fatalf("go-pkcs12 DecodeChain: %v", err)
					}
					signer, _ := key.(crypto.Signer)
					assertKeyEntry(t, KeyEntry{Alias: entry.Alias, Key: signer, Chain: append([]*x509.Certificate{leaf}, cas...)}, entry)
				}
			})
		}
	}
}

// wantCreated is the creation time Decode returns: the injected one for JKS, none for PKCS#12.
func wantCreated(f Format) time.Time {
	if f == JKS {
		return testCreated
	}
	return time.Time{}
}

func assertKeyEntry(t *testing.T, got, want KeyEntry) {
	t.Helper()
	if got.Alias != want.Alias {
		t.Errorf("alias = %q, want %q", got.Alias, want.Alias)
	}
	if got.Key == nil || !certs.SamePublicKey(got.Key.Public(), want.Key.Public()) {
		t.Errorf("key %T does not match the encoded key", got.Key)
	}
	if len(got.Chain) != len(want.Chain) {
		t.Fatalf("chain length = %d, want %d", len(got.Chain), len(want.Chain))
	}
	for i := range want.Chain {
		if !bytes.Equal(got.Chain[i].Raw, want.Chain[i].Raw) {
			t.Errorf("chain[%d] bytes differ", i)
		}
	}
}

func TestTrustStoreRoundTrip(t *testing.T) {
	loadFixtures(t)
	for _, kind := range storeKinds {
		t.Run(kind.name, func(t *testing.T) {
			entries := trustEntries()
			data, err := testEncoder(2).EncodeTrustStore(kind.format, kind.profile, entries, testPassword)
			if err != nil {
				t.Fatalf("EncodeTrustStore: %v", err)
			}
			got, err := Decode(kind.format, data, testPassword)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			want := entries
			if kind.format == JKS { // keystore-go writes aliases in alphabetical order
				want = []TrustedCert{entries[1], entries[2], entries[0]}
			}
			if len(got.Keys) != 0 || len(got.Trusted) != len(want) {
				t.Fatalf("got %d key and %d trusted entries, want 0 and %d", len(got.Keys), len(got.Trusted), len(want))
			}
			for i, w := range want {
				if got.Trusted[i].Alias != w.Alias || !bytes.Equal(got.Trusted[i].Cert.Raw, w.Cert.Raw) {
					t.Errorf("entry %d = %q, want %q with its certificate", i, got.Trusted[i].Alias, w.Alias)
				}
				if want := wantCreated(kind.format); !got.Trusted[i].Created.Equal(want) {
					t.Errorf("entry %d created %v, want %v", i, got.Trusted[i].Created, want)
				}
			}
			if kind.format == PKCS12 {
				certs, err := pkcs12.DecodeTrustStore(data, testPassword)
				if err != nil {
					t.Fatalf("go-pkcs12 DecodeTrustStore: %v", err)
				}
				if len(certs) != len(entries) {
					t.Fatalf("go-pkcs12 found %d certificates, want %d", len(certs), len(entries))
				}
				for i := range entries {
					if !bytes.Equal(certs[i].Raw, entries[i].Cert.Raw) {
						t.Errorf("go-pkcs12 certificate %d differs", i)
					}
				}
			}
		})
	}
}

// TestDeterministic checks that the injected random source and clock are the only inputs besides
// the arguments: the same seed gives the same bytes, another seed other bytes.
func TestDeterministic(t *testing.T) {
	loadFixtures(t)
	for _, kind := range storeKinds {
		t.Run(kind.name, func(t *testing.T) {
			encode := func(seed byte) []byte {
				data, err := testEncoder(seed).EncodeKeyStore(kind.format, kind.profile, ecEntry(), testPassword)
				if err != nil {
					t.Fatal(err)
				}
				return data
			}
			if !bytes.Equal(encode(4), encode(4)) {
				t.Error("same seed, different bytes")
			}
			if bytes.Equal(encode(4), encode(5)) {
				t.Error("different seeds, same bytes: the random source is not used")
			}
		})
	}
}
