package lifecycle

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/wso2ks/wso2ks/internal/testkit"
	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/gen"
	"github.com/wso2ks/wso2ks/pkg/keystore"
)

// renewAt runs Renew at now with a 30-day window and writes the result.
func renewAt(t *testing.T, dir string, now time.Time) []Renewed {
	t.Helper()
	b, renewed, err := Renew(dir, RenewOptions{Now: now, Rand: testkit.Rand(4), Within: 30 * 24 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if b != nil {
		if err := b.Write(dir, true); err != nil {
			t.Fatal(err)
		}
	}
	return renewed
}

// checkRenewed compares two snapshots: the stores of the roles in want have
// a new certificate for the same key, with the manifest following; every
// other key store is byte for byte the same; truststores keep their aliases
// and hold the new certificate in place of the old one.
func checkRenewed(t *testing.T, now time.Time, m0, m1 bundle.Manifest, s0, s1 map[string]storeState, want ...string) {
	t.Helper()
	replaced := map[string]string{}
	for i, s := range m0.Stores {
		before, after, ms := s0[s.Path], s1[s.Path], m1.Stores[i]
		if s.Role == gen.RoleTruststore {
			continue
		}
		if !slices.Contains(want, s.Role) {
			if !bytes.Equal(before.data, after.data) || ms.SHA256 != s.SHA256 || ms.NotAfter != s.NotAfter {
				t.Errorf("%s changed; want it left alone", s.Path)
			}
			continue
		}
		if !before.key.(interface{ Equal(crypto.PublicKey) bool }).Equal(after.key) {
			t.Errorf("%s: the key changed; want the same key", s.Path)
		}
		if after.sha256 == before.sha256 || ms.SHA256 != after.sha256 {
			t.Errorf("%s: sha256 %s → %s, manifest %s; want a new certificate the manifest names", s.Path, before.sha256, after.sha256, ms.SHA256)
		}
		nb, _ := time.Parse(time.RFC3339, s.NotBefore)
		na, _ := time.Parse(time.RFC3339, s.NotAfter)
		start := now.UTC().Truncate(time.Second).Add(-5 * time.Minute)
		if ms.NotBefore != start.Format(time.RFC3339) || ms.NotAfter != start.Add(na.Sub(nb)).Format(time.RFC3339) {
			t.Errorf("%s: validity %s..%s; want %s plus the old length %s", s.Path, ms.NotBefore, ms.NotAfter, start, na.Sub(nb))
		}
		if prev, ok := replaced[before.sha256]; ok && prev != after.sha256 {
			t.Errorf("%s: a shared certificate renewed twice", s.Path)
		}
		replaced[before.sha256] = after.sha256
	}
	for _, s := range m0.Stores {
		if s.Role != gen.RoleTruststore {
			continue
		}
		before, after := s0[s.Path], s1[s.Path]
		if !slices.Equal(before.aliases, after.aliases) {
			t.Errorf("%s: aliases %v → %v", s.Path, before.aliases, after.aliases)
		}
		for alias, sum := range before.trusted {
			want := sum
			if n, ok := replaced[sum]; ok {
				want = n
			}
			if after.trusted[alias] != want {
				t.Errorf("%s: %s holds %s, want %s", s.Path, alias, after.trusted[alias], want)
			}
		}
	}
}

func TestRenewSelfSigned(t *testing.T) {
	dir := writeBuilt(t, testkit.TwoProducts)
	m0, s0 := snapshot(t, dir)

	// tls (397 days) is due first; a shared tls store is renewed once.
	now := testkit.Now.AddDate(0, 0, 380)
	renewed := renewAt(t, dir, now)
	m1, s1 := snapshot(t, dir)
	checkRenewed(t, now, m0, m1, s0, s1, gen.RoleTLS)
	if len(renewed) != 1 || renewed[0].Role != gen.RoleTLS || len(renewed[0].Paths) != 2 {
		t.Fatalf("renewed %+v; want one shared tls certificate in two stores", renewed)
	}
	var tls [][]byte
	for _, s := range m1.Stores {
		if s.Role == gen.RoleTLS {
			tls = append(tls, s1[s.Path].data)
		}
	}
	if len(tls) != 2 || s1[renewed[0].Paths[0]].sha256 != s1[renewed[0].Paths[1]].sha256 {
		t.Errorf("shared tls stores hold different certificates")
	}
	if len(renewed[0].Trust) == 0 {
		t.Error("no truststore updated")
	}

	// A second run changes nothing.
	if b, r, err := Renew(dir, RenewOptions{Now: now, Rand: testkit.Rand(5), Within: 30 * 24 * time.Hour}); b != nil || r != nil || err != nil {
		t.Errorf("second run: bundle %v, renewed %v, err %v; want nothing", b != nil, r, err)
	}

	// Near 825 days primary and internal are due, with their keys.
	now = testkit.Now.AddDate(0, 0, 810)
	renewAt(t, dir, now)
	m2, s2 := snapshot(t, dir)
	checkRenewed(t, now, m1, m2, s1, s2, gen.RolePrimary, gen.RoleInternal, gen.RoleTLS)
}

func TestRenewInternalCA(t *testing.T) {
	dir := writeBuilt(t, testkit.InternalCA)
	m0, s0 := snapshot(t, dir)
	now := testkit.Now.AddDate(0, 0, 380)
	renewed := renewAt(t, dir, now)
	m1, s1 := snapshot(t, dir)
	checkRenewed(t, now, m0, m1, s0, s1, gen.RoleTLS)
	if len(renewed) != 2 {
		t.Errorf("renewed %+v; want the tls certificates of iam and mi", renewed)
	}
	for _, s := range m0.Stores {
		if s.Role == gen.RoleTruststore && !bytes.Equal(s0[s.Path].data, s1[s.Path].data) {
			t.Errorf("%s changed; it holds the CA, which did not", s.Path)
		}
	}
	b, err := bundle.Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, f := range b.Files {
		files[f.Path] = f.Data
	}
	block, _ := pem.Decode(testkit.ReadFile(t, filepath.Join(dir, "default", "ca", "ca.crt")))
	ca, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range m1.Stores {
		if s.Role != gen.RoleTLS {
			continue
		}
		pw := testkit.Secrets(t, files["default/"+bundle.SecretsName])[gen.PasswordVar(s.Product, s.Role)]
		got, err := keystore.Decode(keystore.Format(s.Type), files[s.Path], pw)
		if err != nil {
			t.Fatal(err)
		}
		chain := got.Keys[0].Chain
		if len(chain) != 2 || !chain[1].Equal(ca) || chain[0].CheckSignatureFrom(ca) != nil {
			t.Errorf("%s: chain of %d, not [leaf signed by the CA, CA]", s.Path, len(chain))
		}
	}
}

// TestRenewExternalCA: a CA-signed certificate whose CA key is not in the
// bundle cannot be renewed, and nothing is returned.
func TestRenewExternalCA(t *testing.T) {
	dir := writeBuilt(t, testkit.InternalCA)
	if err := os.Remove(filepath.Join(dir, "default", "ca", "ca.key")); err != nil {
		t.Fatal(err)
	}
	b, r, err := Renew(dir, RenewOptions{Now: testkit.Now.AddDate(0, 0, 380), Rand: testkit.Rand(1), Within: 30 * 24 * time.Hour})
	want := "default/iam/repository/resources/security/tls.p12, default/mi/repository/resources/security/tls.jks: cannot renew here: sign a new certificate with your CA"
	if b != nil || r != nil || !errors.Is(err, ErrCannotRenew) || err.Error() != want {
		t.Errorf("bundle %v, renewed %v, err %v; want nothing and %q", b != nil, r, err, want)
	}
}

func TestRenewMissingDir(t *testing.T) {
	_, _, err := Renew(filepath.Join(t.TempDir(), "none"), RenewOptions{Now: testkit.Now, Rand: testkit.Rand(1)})
	if !errors.Is(err, bundle.ErrBundle) {
		t.Errorf("err %v; want ErrBundle", err)
	}
}
