package keystore

import (
	"crypto/x509"
	"fmt"
	"strings"
	"testing"

	pkcs12 "software.sslmate.com/src/go-pkcs12"
)

// TestPKCS12KeyAlias pins why nameKeyBag exists and what it changes: go-pkcs12 alone leaves the
// key bag unnamed (Java calls it "1"); after the patch the key bag, and only the key bag,
// carries the alias.
func TestPKCS12KeyAlias(t *testing.T) {
	loadFixtures(t)
	entry := rsaEntry()
	for _, kind := range storeKinds[1:] {
		t.Run(kind.name, func(t *testing.T) {
			enc := testEncoder(3)
			plain, err := enc.pkcs12Encoder(kind.profile).Encode(entry.Key, entry.Chain[0], nil, testPassword)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Decode(PKCS12, plain, testPassword)
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Keys) != 1 || got.Keys[0].Alias != "1" {
				t.Fatalf("go-pkcs12 output reads as %+v, want one key named \"1\" (if go-pkcs12 now names key bags, drop nameKeyBag)", got.Keys)
			}

			data, err := enc.EncodeKeyStore(PKCS12, kind.profile, entry, testPassword)
			if err != nil {
				t.Fatal(err)
			}
			blocks, err := pkcs12.ToPEM(data, testPassword)
			if err != nil {
				t.Fatalf("go-pkcs12 ToPEM: %v", err)
			}
			names := map[string]string{}
			for _, b := range blocks {
				names[b.Type] = b.Headers["friendlyName"]
			}
			want := map[string]string{"CERTIFICATE": "", "PRIVATE KEY": "primary"}
			if fmt.Sprint(names) != fmt.Sprint(want) {
				t.Errorf("friendlyName by bag = %v, want %v", names, want)
			}
		})
	}
}

// TestDecodeUnlisted: a PKCS#12 certificate bag in no key's chain and
// without Oracle's trusted attribute is one Java does not list; chain
// certificates and trusted entries are not counted.
func TestDecodeUnlisted(t *testing.T) {
	loadFixtures(t)
	chained, err := pkcs12.Modern2023.Encode(fixtures.ecKey, fixtures.ecCert, []*x509.Certificate{fixtures.caCert}, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	stray, err := pkcs12.Modern2023.Encode(fixtures.ecKey, fixtures.ecCert, []*x509.Certificate{fixtures.caCert, fixtures.rootCert, fixtures.rsaCert}, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	trusted, err := testEncoder(1).EncodeTrustStore(PKCS12, Modern, trustEntries(), testPassword)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		data []byte
		want int
	}{{"chain", chained, 0}, {"two strays", stray, 2}, {"truststore", trusted, 0}} {
		got, err := Decode(PKCS12, tc.data, testPassword)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got.Unlisted != tc.want {
			t.Errorf("%s: Unlisted %d, want %d", tc.name, got.Unlisted, tc.want)
		}
	}
}

// TestKeptAliases: entries read back from a store keep their aliases, as
// keytool names them (spaces included), in both formats; a new entry with
// such an alias is still refused.
func TestKeptAliases(t *testing.T) {
	loadFixtures(t)
	for _, f := range []Format{JKS, PKCS12} {
		entries := []TrustedCert{{Alias: "iam-tls", Cert: fixtures.caCert}, {Alias: "partner idp (2024)", Cert: fixtures.rootCert, Kept: true}}
		data, err := testEncoder(1).EncodeTrustStore(f, Modern, entries, testPassword)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		got, err := Decode(f, data, testPassword)
		if err != nil || verifyTrustStore(got, entries) != nil {
			t.Errorf("%s: read back %v, %v", f, got, err)
		}
		entries[1].Kept = false
		if _, err := testEncoder(1).EncodeTrustStore(f, Modern, entries, testPassword); err == nil || !strings.Contains(err.Error(), `alias "partner idp (2024)" has a character outside printable ascii or a space`) {
			t.Errorf("%s: a new alias with spaces: %v", f, err)
		}
		entries[1] = TrustedCert{Alias: "Partner", Cert: fixtures.rootCert, Kept: true}
		if _, err := testEncoder(1).EncodeTrustStore(f, Modern, entries, testPassword); err == nil || err.Error() != `alias "Partner" is not lower-case: Java cannot look it up; rename it with keytool -changealias to "partner"` {
			t.Errorf("%s: an upper-case kept alias: %v", f, err)
		}
	}
}
