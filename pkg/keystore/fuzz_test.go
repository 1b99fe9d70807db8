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
		peeked, peekErr := Peek(format, data)
		store, err := Decode(format, data, fuzzPassword)
		if err != nil {
			return
		}
		if format == JKS {
			samePeek(t, store, peeked, peekErr)
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

// samePeek: Peek, which reads a JKS store without its password, shows what Decode found: the
// same entries in the same order (Decode keeps the keys and the trusted certificates apart), of
// the same kinds, with chains as long and the same creation times.
func samePeek(t *testing.T, store *DecodedStore, peeked *Unverified, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("Decode succeeded, Peek failed: %v", err)
	}
	var keys, trusted []string
	for _, k := range store.Keys {
		keys = append(keys, fmt.Sprintf("%q chain %d created %v", k.Alias, len(k.Chain), k.Created))
	}
	for _, c := range store.Trusted {
		trusted = append(trusted, fmt.Sprintf("%q chain 1 created %v", c.Alias, c.Created))
	}
	var peekedKeys, peekedTrusted []string
	for _, e := range peeked.Entries {
		line := fmt.Sprintf("%q chain %d created %v", e.Alias, len(e.Chain), e.Created)
		if e.Key {
			peekedKeys = append(peekedKeys, line)
		} else {
			peekedTrusted = append(peekedTrusted, line)
		}
	}
	if got, want := strings.Join(peekedKeys, "; "), strings.Join(keys, "; "); got != want {
		t.Errorf("Peek shows the keys %s, Decode %s", got, want)
	}
	if got, want := strings.Join(peekedTrusted, "; "), strings.Join(trusted, "; "); got != want {
		t.Errorf("Peek shows the trusted certificates %s, Decode %s", got, want)
	}
}
