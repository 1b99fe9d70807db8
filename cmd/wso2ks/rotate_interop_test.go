package main

// The Java overlap test of `wso2ks rotate`: in the middle of a rotation a
// node still on the old tls store and one already on the new store are both
// trusted by every peer's truststore, for each name the certificate covers;
// after --finish only the new store is (unless a CA signs both).

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/cmd/wso2ks/cli"
	"github.com/wso2ks/wso2ks/pkg/gen"
)

// rotationCase is one bundle being rotated: the product, the arguments
// after it, and the copies of its tls stores from before the rotation.
type rotationCase struct {
	b       *interopBundle
	product string
	args    []string
	old     map[string]string // manifest path → copy of the tls store before the rotation
	rotated []string          // manifest paths of the tls stores that got a new key
	viaCA   bool              // a CA signs old and new: the old stays trusted after --finish
}

// rotateCLI runs `wso2ks rotate` on the case's bundle with the real CLI.
func (rc *rotationCase) rotateCLI(t *testing.T, extra ...string) string {
	t.Helper()
	args := append([]string{"rotate", rc.b.dir, "--product", rc.product}, rc.args...)
	args = append(args, extra...)
	var stdout, stderr bytes.Buffer
	if code := cli.Main(args, strings.NewReader(""), &stdout, &stderr); code != 0 {
		t.Fatalf("%s: wso2ks %s: exit %d: %s", rc.b.name, strings.Join(args, " "), code, stderr.String())
	}
	return stdout.String()
}

// startRotation keeps a copy of every tls store, rotates, reloads the
// bundle and records which tls stores got a new certificate.
func startRotation(t *testing.T, b *interopBundle, product string, want int, args ...string) *rotationCase {
	t.Helper()
	rc := &rotationCase{b: b, product: product, args: args, old: map[string]string{}, viaCA: len(b.manifest.CAs) > 0}
	keep := t.TempDir()
	before := map[string]string{}
	for _, s := range b.manifest.Stores {
		if s.Role != gen.RoleTLS {
			continue
		}
		data, err := os.ReadFile(filepath.Join(b.dir, s.Path))
		if err != nil {
			t.Fatal(err)
		}
		rc.old[s.Path] = filepath.Join(keep, strings.ReplaceAll(s.Path, "/", "_"))
		if err := os.WriteFile(rc.old[s.Path], data, 0o600); err != nil {
			t.Fatal(err)
		}
		before[s.Path] = s.SHA256
	}
	rc.rotateCLI(t)
	rc.b = loadBundle(t, b.name, b.dir)
	for _, s := range rc.b.manifest.Stores {
		if s.Role == gen.RoleTLS && s.SHA256 != before[s.Path] {
			rc.rotated = append(rc.rotated, s.Path)
		}
	}
	if len(rc.rotated) != want {
		t.Fatalf("%s: rotated %v, want %d tls stores", b.name, rc.rotated, want)
	}
	return rc
}

// handshakes adds to spec, for every rotated tls store, a server on the old
// copy and one on the new store against every truststore of its
// environment, for each SAN. It returns whether each added handshake must
// succeed: the new ones always, the old ones when oldTrusted.
func (rc *rotationCase) handshakes(t *testing.T, spec *interopSpec, oldTrusted bool) []bool {
	t.Helper()
	stores := rc.b.interopStores(t)
	var want []bool
	for _, s := range rc.b.manifest.Stores {
		if s.Role == gen.RoleTruststore {
			spec.Stores = append(spec.Stores, stores[s.Path])
		}
	}
	for _, s := range rc.b.manifest.Stores {
		if !slices.Contains(rc.rotated, s.Path) {
			continue
		}
		newStore := stores[s.Path]
		oldStore := newStore
		oldStore.Path = rc.old[s.Path]
		spec.Stores = append(spec.Stores, newStore)
		for _, c := range rc.b.manifest.Stores {
			if c.Env != s.Env || c.Role != gen.RoleTruststore {
				continue
			}
			spec.Handshakes = append(spec.Handshakes,
				interopHandshake{Server: oldStore, Client: stores[c.Path], Hosts: s.SANs},
				interopHandshake{Server: newStore, Client: stores[c.Path], Hosts: s.SANs})
			want = append(want, oldTrusted || rc.viaCA, true)
		}
	}
	return want
}

// checkHandshakes runs spec and checks each handshake's outcome against
// want: every host OK (and the negative control), or every host failing
// PKIX path building or validation because the client does not trust the
// server (the old and the new certificate share their subject, so Java may
// find the anchor by name and then refuse the signature).
func checkHandshakes(t *testing.T, phase string, spec interopSpec, want []bool) {
	t.Helper()
	out, _ := runInterop(t, spec)
	report := interopReport(out)
	expected := 0
	for i, h := range spec.Handshakes {
		for _, host := range h.Hosts {
			ok := fmt.Sprintf("OK handshake.%d host %s", i, host)
			fail := fmt.Sprintf("FAIL handshake.%d host %s: ", i, host)
			switch {
			case want[i] && !slices.Contains(report, ok):
				t.Errorf("%s: %s → %s for %s: want a handshake", phase, h.Server.Path, h.Client.Path, host)
			case !want[i] && !slices.ContainsFunc(report, func(l string) bool {
				return strings.HasPrefix(l, fail) && strings.Contains(l, "SSLHandshakeException: PKIX path")
			}):
				t.Errorf("%s: %s → %s for %s: want the client to refuse the server", phase, h.Server.Path, h.Client.Path, host)
			}
		}
		if !want[i] {
			// The negative control cannot tell, as the handshake fails first.
			expected += len(h.Hosts) + 1
		}
	}
	var fails []string
	for _, l := range report {
		if strings.HasPrefix(l, "FAIL ") {
			fails = append(fails, l)
		}
	}
	if len(fails) != expected {
		t.Errorf("%s: %d FAIL lines, want %d:\n%s", phase, len(fails), expected, strings.Join(fails, "\n"))
	}
}

// TestInteropRotation rotates tls keys of self-signed bundles (PKCS#12 and
// JKS, an EC key, a shared tls store) and of an internal-CA bundle, and
// checks with Java that both the old and the new tls stores are trusted by
// every peer during the rotation, and only the new one after --finish; the
// internal CA's new chain also passes openssl verify.
func TestInteropRotation(t *testing.T) {
	requireJava(t)
	multi, err := os.ReadFile("../../examples/multi-product.toml")
	if err != nil {
		t.Fatal(err)
	}
	shared := bytes.Replace(withIssuer(t, withLegacyProfile(t, multi, "prod"), "self-signed"), []byte("[tls]\n"), []byte("[tls]\nshared = true\n"), 1)
	cases := []*rotationCase{
		startRotation(t, generateBundle(t, "default", nil, ""), "iam", 1),
		// apim's tls key is ECDSA P-256; dev and prod both rotate.
		startRotation(t, generateBundle(t, "multi-product-jks", multi, "jks"), "apim", 2),
		// One tls store for iam, apim and mi in each environment (JKS,
		// PKCS#12 modern and legacy): all six get the new key at once.
		startRotation(t, generateBundle(t, "multi-product-shared", shared, ""), "mi", 6),
		startRotation(t, generateBundle(t, "multi-product-internal-ca", withIssuer(t, multi, "internal-ca"), ""), "iam", 1, "--env", "dev"),
	}

	var during interopSpec
	var want []bool
	for _, rc := range cases {
		want = append(want, rc.handshakes(t, &during, true)...)
	}
	checkHandshakes(t, "during the rotation", during, want)

	ca := cases[len(cases)-1]
	checkCABundle(t, ca.b, 2, func(env string) []string {
		return []string{"-CAfile", filepath.Join(ca.b.dir, env, "ca", "ca.crt")}
	})

	var after interopSpec
	want = nil
	for _, rc := range cases {
		rc.rotateCLI(t, "--finish")
		rc.b = loadBundle(t, rc.b.name, rc.b.dir)
		for _, s := range rc.b.manifest.Stores {
			for _, e := range s.Entries {
				if strings.HasSuffix(e, "-previous") {
					t.Errorf("%s: %s still lists %s after --finish", rc.b.name, s.Path, e)
				}
			}
		}
		want = append(want, rc.handshakes(t, &after, false)...)
	}
	checkHandshakes(t, "after --finish", after, want)
}
