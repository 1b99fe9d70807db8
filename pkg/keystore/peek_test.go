package keystore

import (
	"errors"
	"testing"
)

// TestPeek: without the password, JKS shows every entry with its certificates and creation time,
// also when the digest no longer matches; PKCS#12 shows the key entries' names and says how many
// parts are encrypted.
func TestPeek(t *testing.T) {
	loadFixtures(t)
	type seen struct {
		alias  string
		key    bool
		chain  int
		create bool
	}
	for _, kind := range storeKinds {
		t.Run(kind.name, func(t *testing.T) {
			ks, err := testEncoder(3).EncodeKeyStore(kind.format, kind.profile, ecEntry(), fuzzPassword)
			if err != nil {
				t.Fatal(err)
			}
			ts, err := testEncoder(3).EncodeTrustStore(kind.format, kind.profile, trustEntries(), fuzzPassword)
			if err != nil {
				t.Fatal(err)
			}
			jks := kind.format == JKS
			wantKS := []seen{{"iam-tls", true, 0, false}}
			var wantTS []seen
			if jks {
				wantKS = []seen{{"iam-tls", true, 2, true}}
				// keystore-go writes JKS in alphabetical alias order.
				wantTS = []seen{{"iam-tls", false, 1, true}, {"public-amazon-root-ca-1", false, 1, true}, {"tls", false, 1, true}}
			}
			for _, tc := range []struct {
				name string
				data []byte
				want []seen
			}{{"keystore", ks, wantKS}, {"truststore", ts, wantTS}} {
				got, err := Peek(kind.format, tc.data)
				if err != nil {
					t.Fatalf("%s: %v", tc.name, err)
				}
				var entries []seen
				for _, e := range got.Entries {
					entries = append(entries, seen{e.Alias, e.Key, len(e.Chain), e.Created.Equal(testCreated)})
				}
				if len(entries) != len(tc.want) {
					t.Fatalf("%s: entries %v, want %v", tc.name, entries, tc.want)
				}
				for i := range entries {
					if entries[i] != tc.want[i] {
						t.Errorf("%s: entry %d is %+v, want %+v", tc.name, i, entries[i], tc.want[i])
					}
				}
				if jks != (got.Encrypted == 0) {
					t.Errorf("%s: %d encrypted parts", tc.name, got.Encrypted)
				}
			}
			if jks {
				// The digest is what the password checks: a changed byte in it fails Decode, not Peek.
				bad := append([]byte(nil), ts...)
				bad[len(bad)-1] ^= 1
				if _, err := Decode(JKS, bad, fuzzPassword); !errors.Is(err, ErrIncorrectPassword) {
					t.Fatalf("Decode of a changed digest: %v", err)
				}
				got, err := Peek(JKS, bad)
				if err != nil || len(got.Entries) != 3 || !got.Entries[2].Chain[0].Equal(fixtures.ecCert) {
					t.Errorf("Peek of a changed digest: %+v, %v", got, err)
				}
			}
		})
	}
}

func TestPeekRefuses(t *testing.T) {
	for _, tc := range []struct {
		name   string
		format Format
		data   []byte
		want   string
	}{
		{"empty jks", JKS, nil, "not a jks store: wrong magic number"},
		{"truncated jks", JKS, []byte{0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2, 0, 0, 0, 1}, "jks store is truncated"},
		{"not der", PKCS12, []byte("hello"), "read pkcs12: not a PKCS#12 file: malformed DER (the file is truncated or not of this format)"},
		{"unknown format", Format("JCEKS"), nil, `unknown store format "JCEKS": use "JKS" or "PKCS12"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Peek(tc.format, tc.data)
			if err == nil || err.Error() != tc.want {
				t.Errorf("got %v, want %s", err, tc.want)
			}
		})
	}
}
