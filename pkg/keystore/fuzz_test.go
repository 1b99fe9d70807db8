package keystore

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var updateSeeds = flag.Bool("update-seeds", false, "rewrite the FuzzDecodeStore seed corpus in testdata/fuzz")

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
		// Peek reads the same untrusted bytes without the password.
		if peeked, err := Peek(format, data); err == nil {
			for _, e := range peeked.Entries {
				for _, c := range e.Chain {
					if c == nil {
						t.Fatalf("entry %q peeked with a nil certificate", e.Alias)
					}
				}
			}
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
