package keystore

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"io"
	mathrand "math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wso2ks/wso2ks/internal/testca"
	"github.com/wso2ks/wso2ks/pkg/certs"
	pkcs12 "software.sslmate.com/src/go-pkcs12"
)

var updateSeeds = flag.Bool("update-seeds", false, "rewrite the FuzzDecodeStore seed corpus in testdata/fuzz")

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

func seeded(seed byte) io.Reader { return mathrand.NewChaCha8([32]byte{seed}) }

func testEncoder(seed byte) Encoder {
	return Encoder{Rand: seeded(seed), Created: testCreated}
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
		{"zero created time for jks", Encoder{Rand: seeded(1)}, JKS, "", ecEntry(), nil, testPassword,
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

const (
	fuzzPassword = "fuzz-password"
	fuzzSeedDir  = "testdata/fuzz/FuzzDecodeStore"
)

// fuzzSeeds are small valid stores, so that mutations start from deep inside both parsers.
func fuzzSeeds(t testing.TB) map[string][]byte {
	loadFixtures(t)
	seeds := map[string][]byte{}
	for _, kind := range storeKinds {
		ks, err := testEncoder(8).EncodeKeyStore(kind.format, kind.profile, ecEntry(), fuzzPassword)
		if err != nil {
			t.Fatal(err)
		}
		ts, err := testEncoder(8).EncodeTrustStore(kind.format, kind.profile, trustEntries()[2:], fuzzPassword)
		if err != nil {
			t.Fatal(err)
		}
		seeds[kind.name+"-keystore"], seeds[kind.name+"-truststore"] = ks, ts
	}
	return seeds
}

// TestFuzzSeedCorpus keeps the committed seeds valid (rewrite them with -update-seeds).
func TestFuzzSeedCorpus(t *testing.T) {
	if *updateSeeds {
		if err := os.MkdirAll(fuzzSeedDir, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, data := range fuzzSeeds(t) {
			body := fmt.Sprintf("go test fuzz v1\n[]byte(%s)\nbool(%t)\n", strconv.Quote(string(data)), !strings.HasPrefix(name, "jks"))
			if err := os.WriteFile(filepath.Join(fuzzSeedDir, name), []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	files, err := filepath.Glob(filepath.Join(fuzzSeedDir, "*-*store"))
	if err != nil || len(files) != 2*len(storeKinds) {
		t.Fatalf("found %d seed stores in %s, want %d (run go test -run TestFuzzSeedCorpus -update-seeds)", len(files), fuzzSeedDir, 2*len(storeKinds))
	}
	for _, file := range files {
		text, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(text), "\n")
		quoted := strings.TrimSuffix(strings.TrimPrefix(lines[1], "[]byte("), ")")
		data, err := strconv.Unquote(quoted)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		format := JKS
		if lines[2] == "bool(true)" {
			format = PKCS12
		}
		if _, err := Decode(format, []byte(data), fuzzPassword); err != nil {
			t.Errorf("%s: seed does not decode: %v", file, err)
		}
	}
}

func FuzzDecodeStore(f *testing.F) {
	f.Add([]byte{}, false)
	f.Add([]byte{0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2, 0xff, 0xff, 0xff, 0xff}, false)
	f.Add([]byte{0x30, 0x80}, true)
	f.Fuzz(func(t *testing.T, data []byte, isPKCS12 bool) {
		format := JKS
		if isPKCS12 {
			format = PKCS12
		}
		store, err := Decode(format, data, fuzzPassword)
		if err != nil {
			return
		}
		for _, k := range store.Keys {
			if k.Key == nil || len(k.Chain) == 0 {
				t.Fatalf("key entry %q decoded without a key or chain", k.Alias)
			}
		}
		for _, c := range store.Trusted {
			if c.Cert == nil {
				t.Fatalf("trusted entry %q decoded without a certificate", c.Alias)
			}
		}
	})
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
