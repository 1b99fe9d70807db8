package keystore

import (
	"bytes"
	"crypto/x509"
	"errors"
	"strings"
	"testing"

	keystore "github.com/pavlo-v-chernykh/keystore-go/v4"
	"github.com/wso2ks/wso2ks/internal/testca"
)

func TestEncodeErrors(t *testing.T) {
	loadFixtures(t)
	mismatched := KeyEntry{Alias: "tls", Key: fixtures.ecKey, Chain: []*x509.Certificate{fixtures.rsaCert}}
	tests := []struct {
		name     string
		enc      Encoder
		format   Format
		profile  Profile
		entry    KeyEntry      // key store when trust is nil
		trust    []TrustedCert // trust store when set
		password string
		want     string
	}{
		{"upper-case alias", testEncoder(1), JKS, "", KeyEntry{Alias: "TLS", Key: fixtures.ecKey, Chain: ecEntry().Chain}, nil, testPassword,
			`alias "TLS" is not lower-case: Java cannot look it up; use "tls"`},
		{"empty alias", testEncoder(1), PKCS12, Modern, KeyEntry{Key: fixtures.ecKey, Chain: ecEntry().Chain}, nil, testPassword,
			"alias is empty"},
		{"alias with space", testEncoder(1), PKCS12, Modern, KeyEntry{Alias: "my key", Key: fixtures.ecKey, Chain: ecEntry().Chain}, nil, testPassword,
			`alias "my key" has a character outside printable ascii or a space`},
		{"duplicate alias", testEncoder(1), PKCS12, Legacy, KeyEntry{}, []TrustedCert{{Alias: "ca", Cert: fixtures.caCert}, {Alias: "ca", Cert: fixtures.rootCert}}, testPassword,
			`duplicate alias "ca": every trust store entry needs its own alias`},
		{"upper-case trusted alias", testEncoder(1), JKS, "", KeyEntry{}, []TrustedCert{{Alias: "Root", Cert: fixtures.rootCert}}, testPassword,
			`alias "Root" is not lower-case: Java cannot look it up; use "root"`},
		{"empty trust store", testEncoder(1), JKS, "", KeyEntry{}, []TrustedCert{}, testPassword,
			"trust store has no certificates"},
		{"short password", testEncoder(1), PKCS12, Modern, ecEntry(), nil, "abc12",
			"password is shorter than 6 characters, the minimum keytool accepts"},
		{"non-ascii password", testEncoder(1), JKS, "", ecEntry(), nil, "pässwört-1234",
			"password has a character outside printable ascii: use only ascii letters, digits, punctuation and spaces"},
		{"control character in password", testEncoder(1), PKCS12, Legacy, ecEntry(), nil, "secret\tpassword",
			"password has a character outside printable ascii: use only ascii letters, digits, punctuation and spaces"},
		{"zero created time for jks", Encoder{Rand: testca.Rand(1)}, JKS, "", ecEntry(), nil, testPassword,
			"jks needs a creation time: the store encoder's Created is zero (keytool would show year 1)"},
		{"no random source", Encoder{Created: testCreated}, PKCS12, Modern, ecEntry(), nil, testPassword,
			"store encoder has no random source"},
		{"unknown profile", testEncoder(1), PKCS12, "fast", ecEntry(), nil, testPassword,
			`unknown pkcs12 profile "fast": use "modern" or "legacy"`},
		{"missing profile for pkcs12", testEncoder(1), PKCS12, "", ecEntry(), nil, testPassword,
			`unknown pkcs12 profile "": use "modern" or "legacy"`},
		{"unknown format", testEncoder(1), "JCEKS", Modern, ecEntry(), nil, testPassword,
			`unknown store format "JCEKS": use "JKS" or "PKCS12"`},
		{"key does not match leaf", testEncoder(1), PKCS12, Modern, mismatched, nil, testPassword,
			`key entry "tls": the leaf certificate is not for this private key`},
		{"no chain", testEncoder(1), JKS, "", KeyEntry{Alias: "tls", Key: fixtures.ecKey}, nil, testPassword,
			`key entry "tls" has no certificate chain`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			if tt.trust != nil {
				_, err = tt.enc.EncodeTrustStore(tt.format, tt.profile, tt.trust, tt.password)
			} else {
				_, err = tt.enc.EncodeKeyStore(tt.format, tt.profile, tt.entry, tt.password)
			}
			if err == nil || err.Error() != tt.want {
				t.Fatalf("error = %v, want %q", err, tt.want)
			}
			if strings.Contains(err.Error(), tt.password) {
				t.Errorf("error message contains the password")
			}
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	loadFixtures(t)
	stores := map[string][]byte{}
	for _, kind := range storeKinds {
		data, err := testEncoder(6).EncodeKeyStore(kind.format, kind.profile, ecEntry(), testPassword)
		if err != nil {
			t.Fatal(err)
		}
		stores[kind.name] = data
	}
	flipped := func(data []byte, at int) []byte {
		out := bytes.Clone(data)
		out[at] ^= 1
		return out
	}
	tests := []struct {
		name     string
		format   Format
		data     []byte
		password string
		want     string // the exact error text, or a prefix ending in ": "
		wantIs   error
	}{
		{"jks wrong password", JKS, stores["jks"], "wrong-password", ErrIncorrectPassword.Error(), ErrIncorrectPassword},
		{"pkcs12 modern wrong password", PKCS12, stores["pkcs12-modern"], "wrong-password", ErrIncorrectPassword.Error(), ErrIncorrectPassword},
		{"pkcs12 legacy wrong password", PKCS12, stores["pkcs12-legacy"], "wrong-password", ErrIncorrectPassword.Error(), ErrIncorrectPassword},
		{"jks changed byte", JKS, flipped(stores["jks"], 100), testPassword, ErrIncorrectPassword.Error(), ErrIncorrectPassword},
		{"pkcs12 changed byte", PKCS12, flipped(stores["pkcs12-modern"], len(stores["pkcs12-modern"])/2), testPassword, ErrIncorrectPassword.Error(), ErrIncorrectPassword},
		{"jks truncated", JKS, stores["jks"][:len(stores["jks"])-1], testPassword, "jks store is truncated", nil},
		{"jks garbage", JKS, []byte("definitely not a key store"), testPassword, "not a jks store: wrong magic number", nil},
		{"jks empty", JKS, nil, testPassword, "not a jks store: wrong magic number", nil},
		{"pkcs12 truncated", PKCS12, stores["pkcs12-modern"][:200], testPassword, "read pkcs12: ", nil},
		{"pkcs12 garbage", PKCS12, []byte("definitely not a key store"), testPassword, "read pkcs12: ", nil},
		{"pkcs12 given jks", PKCS12, stores["jks"], testPassword, "read pkcs12: ", nil},
		{"jks given pkcs12", JKS, stores["pkcs12-legacy"], testPassword, "not a jks store: wrong magic number", nil},
		{"short password", JKS, stores["jks"], "abc", "password is shorter than 6 characters, the minimum keytool accepts", nil},
		{"unknown format", "BKS", stores["jks"], testPassword, `unknown store format "BKS": use "JKS" or "PKCS12"`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store, err := Decode(tt.format, tt.data, tt.password)
			if err == nil {
				t.Fatalf("Decode succeeded with %+v, want an error", store)
			}
			switch {
			case strings.HasSuffix(tt.want, ": "):
				if !strings.HasPrefix(err.Error(), tt.want) {
					t.Errorf("error = %q, want prefix %q", err, tt.want)
				}
			case err.Error() != tt.want:
				t.Errorf("error = %q, want %q", err, tt.want)
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.wantIs)
			}
			if strings.Contains(err.Error(), testPassword) {
				t.Errorf("error message contains the password")
			}
		})
	}
}

// TestDecodeEveryPrefix feeds every truncation of real stores to Decode: each must fail
// cleanly.
func TestDecodeEveryPrefix(t *testing.T) {
	loadFixtures(t)
	for _, kind := range storeKinds {
		data, err := testEncoder(7).EncodeTrustStore(kind.format, kind.profile, trustEntries()[:1], testPassword)
		if err != nil {
			t.Fatal(err)
		}
		for n := range len(data) {
			if _, err := Decode(kind.format, data[:n], testPassword); err == nil {
				t.Fatalf("%s: prefix of %d bytes decoded without error", kind.name, n)
			}
		}
	}
}

// TestDecodeKeyPassword: a JKS key entry under its own password (how IS and APIM keep primary)
// opens with key_password; when neither password opens it the error is the store password's.
func TestDecodeKeyPassword(t *testing.T) {
	loadFixtures(t)
	const keyPassword = "Other-key-pass 2!"
	der, err := x509.MarshalPKCS8PrivateKey(fixtures.ecKey)
	if err != nil {
		t.Fatal(err)
	}
	ks := keystore.New(keystore.WithOrderedAliases(), keystore.WithCustomRandomNumberGenerator(testca.Rand(7)))
	pke := keystore.PrivateKeyEntry{CreationTime: testCreated, PrivateKey: der,
		CertificateChain: []keystore.Certificate{{Type: jksCertType, Content: fixtures.ecCert.Raw}}}
	if err := ks.SetPrivateKeyEntry("internal", pke, []byte(keyPassword)); err != nil {
		t.Fatal(err)
	}
	data, err := storeJKS(ks, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	same, err := testEncoder(7).EncodeKeyStore(JKS, "", ecEntry(), testPassword)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name                 string
		data                 []byte
		keyPassword          string
		byKeyPassword, opens bool
	}{
		{"key password", data, keyPassword, true, true},
		{"store password", same, keyPassword, false, true},
		{"no key password", data, "", false, false},
		{"key password equals store password", data, testPassword, false, false},
		{"wrong key password", data, "Wrong-key-pass 3!", false, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			store, byKeyPassword, err := DecodeKeyPassword(JKS, tt.data, testPassword, tt.keyPassword)
			if byKeyPassword != tt.byKeyPassword || (err == nil) != tt.opens {
				t.Fatalf("byKeyPassword %v, error %v; want %v, opens %v", byKeyPassword, err, tt.byKeyPassword, tt.opens)
			}
			if err != nil {
				if want := `open jks key entry "internal": ` + ErrKeyPassword.Error() + ": "; !strings.HasPrefix(err.Error(), want) {
					t.Errorf("error = %q, want prefix %q", err, want)
				}
				return
			}
			if len(store.Keys) != 1 || len(store.Keys[0].Chain) == 0 || !bytes.Equal(store.Keys[0].Chain[0].Raw, fixtures.ecCert.Raw) {
				t.Errorf("got %+v", store)
			}
		})
	}
}
