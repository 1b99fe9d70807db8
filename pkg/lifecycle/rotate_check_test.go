package lifecycle

import (
	"bytes"
	"crypto"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/wso2ks/wso2ks/internal/testkit"
	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/gen"
)

// How the rotate tests run a rotation and check what it changed.

var rotateNow = testkit.Now.AddDate(0, 0, 100)

func rotateOpt(product string, envs ...string) RotateOptions {
	return RotateOptions{Now: rotateNow, Rand: testkit.Rand(6), Product: product, Envs: envs}
}

// rotateAt runs Rotate (or FinishRotation) and writes the result.
func rotateAt(t *testing.T, dir string, finish bool, opt RotateOptions) []Rotated {
	t.Helper()
	do := Rotate
	if finish {
		do = FinishRotation
	}
	b, done, err := do(dir, opt)
	if err != nil {
		t.Fatal(err)
	}
	if b != nil {
		if err := b.Write(dir, true); err != nil {
			t.Fatal(err)
		}
	}
	return done
}

// checkRotation compares the bundle before (m0, s0, f0) and after a
// rotation: the key stores in rotated have a new key and a certificate for
// the same subject, SANs and validity length, all of them the same one;
// every other key store and every file that is not a store or the
// manifest is byte for byte the same; each truststore that trusted the old
// certificate as alias trusts the new one as alias and the old one as
// alias-previous, with its other entries unchanged, and the rest are byte
// for byte the same. It returns the new fingerprint.
func checkRotation(t *testing.T, dir string, m0 bundle.Manifest, s0 map[string]storeState, f0 map[string][]byte, alias string, rotated ...string) string {
	t.Helper()
	m1, s1 := snapshot(t, dir)
	f1 := files(t, dir)
	var oldSum, newSum string
	for i, s := range m0.Stores {
		before, after, ms := s0[s.Path], s1[s.Path], m1.Stores[i]
		switch {
		case s.Role == gen.RoleTruststore:
			continue
		case !slices.Contains(rotated, s.Path):
			if !bytes.Equal(before.data, after.data) || !equalStore(ms, s) {
				t.Errorf("%s changed; want it left alone", s.Path)
			}
			continue
		}
		if before.key.(interface{ Equal(crypto.PublicKey) bool }).Equal(after.key) {
			t.Errorf("%s: the key did not change", s.Path)
		}
		if oldSum != "" && (before.sha256 != oldSum || after.sha256 != newSum) {
			t.Errorf("%s: stores of one certificate rotated to different ones", s.Path)
		}
		oldSum, newSum = before.sha256, after.sha256
		start := rotateNow.UTC().Truncate(time.Second).Add(-5 * time.Minute)
		nb, _ := time.Parse(time.RFC3339, s.NotBefore)
		na, _ := time.Parse(time.RFC3339, s.NotAfter)
		want := s
		want.NotBefore, want.NotAfter, want.SHA256 = start.Format(time.RFC3339), start.Add(na.Sub(nb)).Format(time.RFC3339), after.sha256
		if !equalStore(ms, want) || after.sha256 == before.sha256 {
			t.Errorf("%s: manifest %+v, want %+v", s.Path, ms, want)
		}
	}
	if oldSum == "" {
		t.Fatalf("none of %v rotated", rotated)
	}
	for i, s := range m0.Stores {
		if s.Role != gen.RoleTruststore {
			continue
		}
		before, after, ms := s0[s.Path], s1[s.Path], m1.Stores[i]
		if before.trusted[alias] != oldSum {
			if !bytes.Equal(before.data, after.data) || !equalStore(ms, s) {
				t.Errorf("%s changed; it did not trust the old certificate", s.Path)
			}
			continue
		}
		want := maps.Clone(before.trusted)
		want[alias], want[alias+previousSuffix] = newSum, oldSum
		if !maps.Equal(after.trusted, want) {
			t.Errorf("%s: entries %v, want %v", s.Path, after.trusted, want)
		}
		wantAliases := slices.Insert(slices.Clone(before.aliases), slices.Index(before.aliases, alias)+1, alias+previousSuffix)
		if !slices.Equal(after.aliases, wantAliases) || !slices.Equal(ms.Entries, wantAliases) {
			t.Errorf("%s: aliases %v, manifest %v, want %v", s.Path, after.aliases, ms.Entries, wantAliases)
		}
	}
	for p, data := range f0 {
		if _, store := s0[p]; !store && p != bundle.ManifestName && !bytes.Equal(data, f1[p]) {
			t.Errorf("%s changed; want it byte for byte the same (passwords, snippets, CA)", p)
		}
	}
	if len(f1) != len(f0) {
		t.Errorf("%d files before, %d after", len(f0), len(f1))
	}
	return newSum
}

func equalStore(a, b bundle.ManifestStore) bool {
	return a.Path == b.Path && a.Alias == b.Alias && a.Subject == b.Subject && slices.Equal(a.SANs, b.SANs) && a.Key == b.Key &&
		a.NotBefore == b.NotBefore && a.NotAfter == b.NotAfter && a.SHA256 == b.SHA256 && slices.Equal(a.Entries, b.Entries)
}

// checkFinished: after --finish the truststores hold what they held before
// the rotation, with alias now the new certificate; nothing else changed
// since the rotation.
func checkFinished(t *testing.T, dir string, m0 bundle.Manifest, s0 map[string]storeState, f1 map[string][]byte, s1 map[string]storeState, alias, newSum string) {
	t.Helper()
	m2, s2 := snapshot(t, dir)
	f2 := files(t, dir)
	for i, s := range m0.Stores {
		before, after := s0[s.Path], s2[s.Path]
		if s.Role != gen.RoleTruststore || s1[s.Path].trusted[alias+previousSuffix] == "" {
			if !bytes.Equal(s1[s.Path].data, after.data) {
				t.Errorf("%s changed on --finish", s.Path)
			}
			continue
		}
		want := maps.Clone(before.trusted)
		want[alias] = newSum
		if !maps.Equal(after.trusted, want) || !slices.Equal(after.aliases, before.aliases) || !slices.Equal(m2.Stores[i].Entries, s.Entries) {
			t.Errorf("%s: entries %v (manifest %v), want %v", s.Path, after.trusted, m2.Stores[i].Entries, want)
		}
	}
	for p, data := range f1 {
		if _, store := s1[p]; !store && p != bundle.ManifestName && !bytes.Equal(data, f2[p]) {
			t.Errorf("%s changed on --finish", p)
		}
	}
	// A second finish finds nothing and returns nothing to write.
	if b, done, err := FinishRotation(dir, RotateOptions{Now: rotateNow, Rand: testkit.Rand(8), Product: "iam"}); b != nil || done != nil || err != nil {
		t.Errorf("second finish: bundle %v, done %v, err %v; want nothing", b != nil, done, err)
	}
}
