package cli

import (
	"bytes"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/certs"
	"github.com/wso2ks/wso2ks/pkg/lifecycle"
)

// pruneTopology is testdata/internal-ca.toml in two environments, dev and
// prod: an internal CA each, iam with a wssec store, mi without.
func pruneTopology(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(testdata, "internal-ca.toml"))
	if err != nil {
		t.Fatal(err)
	}
	return append(data, "[environment.prod]\n"...)
}

// copyTree copies the bundle at from to a new directory, modes and all.
func copyTree(t *testing.T, from string) string {
	t.Helper()
	to := filepath.Join(t.TempDir(), "ks")
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		info, err := d.Info()
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.Mkdir(filepath.Join(to, rel), info.Mode().Perm())
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), data, info.Mode().Perm())
	})
	if err != nil {
		t.Fatal(err)
	}
	return to
}

// externalCA writes a CA valid at testNow, certificate and key, as PEM
// files and returns their paths.
func externalCA(t *testing.T) (cert, key string) {
	t.Helper()
	k, err := certs.GenerateKey("ecdsa-p256")
	if err != nil {
		t.Fatal(err)
	}
	ca, err := certs.Issuer{Rand: rand.Reader, Now: testNow}.CA(certs.Request{Subject: pkix.Name{CommonName: "BYO ca"}, ValidityDays: 3650}, k)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cert, key = filepath.Join(dir, "ca.pem"), filepath.Join(dir, "ca.key")
	os.WriteFile(cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Raw}), 0o644)
	os.WriteFile(key, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600)
	return cert, key
}

// edit returns data with each old replaced by its new once, failing the
// test when data lacks one.
func edit(t *testing.T, data []byte, oldNew ...string) []byte {
	t.Helper()
	for i := 0; i < len(oldNew); i += 2 {
		if !bytes.Contains(data, []byte(oldNew[i])) {
			t.Fatalf("no %q to replace", oldNew[i])
		}
		data = bytes.Replace(data, []byte(oldNew[i]), []byte(oldNew[i+1]), 1)
	}
	return data
}

// TestUpdatePrune: an update that would remove an environment, a product, a
// store or a CA, or replace a primary key, is refused with one line that
// lists what and names --prune, exit 2, the directory byte for byte and
// mode for mode as it was; plan --against shows the same with a note; with
// --prune the update removes exactly that, lists it, and the bundle
// verifies.
func TestUpdatePrune(t *testing.T) {
	work := t.TempDir()
	base := filepath.Join(work, "base")
	from := filepath.Join(work, "from.toml")
	os.WriteFile(from, pruneTopology(t), 0o644)
	if r := run(t, false, "generate", "-f", from, "-o", base); r.code != 0 {
		t.Fatalf("generate: exit %d: %s", r.code, r.stderr)
	}
	const mi = "[[product]]\nname = \"mi\"\nkind = \"wso2mi\"\nversion = \"4.4.0\"\nhostnames = [\"mi.${env}.example.com\"]\n"
	for _, tc := range []struct {
		name string
		// change makes the new topology from pruneTopology, or breaks
		// the bundle at dir the way an older bundle would differ.
		change func(t *testing.T, topology []byte, dir string) []byte
		what   string // the losses, as the error says them
		pruned string // as --prune says them
		gone   []string
	}{
		{"environment dropped", func(t *testing.T, topo []byte, dir string) []byte {
			return edit(t, topo, "[environment.prod]\n", "")
		}, "remove prod (environment)", "removed prod (environment)", []string{"prod"}},
		{"product dropped", func(t *testing.T, topo []byte, dir string) []byte {
			return edit(t, topo, mi, "")
		}, "remove dev/mi (product) and prod/mi (product)", "removed dev/mi (product) and prod/mi (product)", []string{"dev/mi", "prod/mi"}},
		{"ws_security off", func(t *testing.T, topo []byte, dir string) []byte {
			return edit(t, topo, "ws_security = true", "ws_security = false")
		}, "remove dev/iam/wssec (store) and prod/iam/wssec (store)", "removed dev/iam/wssec (store) and prod/iam/wssec (store)",
			[]string{"dev/iam/repository/resources/security/wssec.p12", "prod/iam/repository/resources/security/wssec.p12"}},
		{"separate_internal false", func(t *testing.T, topo []byte, dir string) []byte {
			return edit(t, topo, "public_cas = false\n", "public_cas = false\nseparate_internal = false\n")
		}, "remove dev/iam/internal (store), dev/mi/internal (store), prod/iam/internal (store) and prod/mi/internal (store)",
			"removed dev/iam/internal (store), dev/mi/internal (store), prod/iam/internal (store) and prod/mi/internal (store)",
			[]string{"dev/iam/repository/resources/security/internal.p12", "dev/mi/repository/resources/security/internal.jks",
				"prod/iam/repository/resources/security/internal.p12", "prod/mi/repository/resources/security/internal.jks"}},
		{"internal CA dropped", func(t *testing.T, topo []byte, dir string) []byte {
			return edit(t, topo, `issuer = "internal-ca"`, `issuer = "self-signed"`)
		}, "remove dev/ca (CA) and prod/ca (CA)", "removed dev/ca (CA) and prod/ca (CA)", []string{"dev/ca", "prod/ca"}},
		{"internal CA replaced by an external one", func(t *testing.T, topo []byte, dir string) []byte {
			cert, key := externalCA(t)
			return edit(t, topo, `issuer = "internal-ca"`, "issuer = \"external-ca\"\nca_cert = \""+cert+"\"\nca_key = \""+key+"\"")
		}, "remove dev/ca (CA) and prod/ca (CA)", "removed dev/ca (CA) and prod/ca (CA)", []string{"dev/ca/ca.key", "prod/ca/ca.key"}},
		{"primary key replaced", func(t *testing.T, topo []byte, dir string) []byte {
			// A bundle whose dev/iam primary key is another type than
			// wso2ks makes now: the update makes a new one.
			file := filepath.Join(dir, bundle.ManifestName)
			data, _ := os.ReadFile(file)
			os.WriteFile(file, edit(t, data, "\"path\": \"dev/iam/repository/resources/security/primary.p12\"", "\"path\": \"dev/iam/repository/resources/security/primary.p12\",\n      \"key\": \"rsa-4096\"",
				"\"key\": \"rsa-2048\",", ""), 0o600)
			return topo
		}, "replace the primary key of dev/iam", "replaced the primary key of dev/iam", nil},
		{"product dropped and key replaced", func(t *testing.T, topo []byte, dir string) []byte {
			file := filepath.Join(dir, bundle.ManifestName)
			data, _ := os.ReadFile(file)
			os.WriteFile(file, edit(t, data, "\"path\": \"dev/iam/repository/resources/security/primary.p12\"", "\"path\": \"dev/iam/repository/resources/security/primary.p12\",\n      \"key\": \"rsa-4096\"",
				"\"key\": \"rsa-2048\",", ""), 0o600)
			return edit(t, topo, mi, "")
		}, "remove dev/mi (product) and prod/mi (product), and replace the primary key of dev/iam",
			"removed dev/mi (product) and prod/mi (product), and replaced the primary key of dev/iam", []string{"dev/mi", "prod/mi"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := copyTree(t, base)
			topology := filepath.Join(t.TempDir(), "to.toml")
			os.WriteFile(topology, tc.change(t, pruneTopology(t), dir), 0o644)
			before := snapshot(t, dir)
			mask := func(s string) string {
				return strings.ReplaceAll(strings.ReplaceAll(s, topology, "TOPOLOGY"), dir, "DIR")
			}

			r := run(t, false, "generate", "-f", topology, "--update", dir)
			want := "wso2ks: generate --update DIR would " + tc.what + "; nothing was written. Check with 'wso2ks plan -f TOPOLOGY --against DIR', then pass --prune to go ahead\n"
			if got := mask(r.stderr); r.code != 2 || got != want || r.stdout != "" {
				t.Errorf("exit %d, stdout %q, stderr\n%s\nwant exit 2 and\n%s", r.code, r.stdout, got, want)
			}
			if snapshot(t, dir) != before {
				t.Fatal("the refused update changed the bundle directory")
			}

			p := run(t, false, "plan", "-f", topology, "--against", dir)
			note := "note: generate --update needs --prune: it would " + tc.what + "\n"
			if p.code != 0 || !strings.HasSuffix(p.stdout, note) || strings.Count(p.stdout, "note:") != 1 {
				t.Errorf("plan --against: exit %d, want the last line %q:\n%s%s", p.code, note, p.stdout, p.stderr)
			}

			r = run(t, false, "generate", "-f", topology, "--update", dir, "--prune")
			if r.code != 0 || r.stderr != "" || !strings.Contains(r.stdout, "\npruned: "+tc.pruned+"\nnext: ") {
				t.Fatalf("--prune: exit %d, stdout lacks %q:\n%s%s", r.code, "pruned: "+tc.pruned, r.stdout, r.stderr)
			}
			for _, line := range strings.Split(p.stdout, "\n") {
				if strings.HasPrefix(line, "  remove ") && !strings.Contains(r.stdout, line+"\n") {
					t.Errorf("--prune does not list %q that plan --against showed", line)
				}
			}
			for _, g := range tc.gone {
				if _, err := os.Stat(filepath.Join(dir, g)); err == nil {
					t.Errorf("%s is still there after --prune", g)
				}
			}
			if v := run(t, false, "verify", dir); v.code != 0 {
				t.Errorf("verify after --prune: exit %d\n%s%s", v.code, v.stdout, v.stderr)
			}
			if again := run(t, false, "generate", "-f", topology, "--update", dir); again.code != 0 || !strings.HasPrefix(again.stdout, "nothing to update") {
				t.Errorf("an update after --prune: exit %d, want nothing to update:\n%s%s", again.code, again.stdout, again.stderr)
			}
		})
	}
}

// TestUpdatePruneJSON: --output json lists the losses, in plan --against
// (needs_prune) and in the update --prune made (pruned), beside the
// remove actions.
func TestUpdatePruneJSON(t *testing.T) {
	work := t.TempDir()
	dir, topology := filepath.Join(work, "ks"), filepath.Join(work, "to.toml")
	os.WriteFile(topology, pruneTopology(t), 0o644)
	if r := run(t, false, "generate", "-f", topology, "-o", dir); r.code != 0 {
		t.Fatalf("generate: exit %d: %s", r.code, r.stderr)
	}
	os.WriteFile(topology, edit(t, pruneTopology(t), "[environment.prod]\n", ""), 0o644)
	want := []lifecycle.Loss{{Kind: lifecycle.LossEnvironment, Path: "prod"}}
	var planned struct {
		Changes    []lifecycle.Change `json:"changes"`
		NeedsPrune []lifecycle.Loss   `json:"needs_prune"`
	}
	p := run(t, false, "plan", "-f", topology, "--against", dir, "--output", "json")
	if err := json.Unmarshal([]byte(p.stdout), &planned); err != nil || p.code != 0 {
		t.Fatalf("plan --against --output json: exit %d, %v:\n%s%s", p.code, err, p.stdout, p.stderr)
	}
	if len(planned.NeedsPrune) != 1 || planned.NeedsPrune[0] != want[0] {
		t.Errorf("needs_prune %v, want %v", planned.NeedsPrune, want)
	}
	var done struct {
		Written bool               `json:"written"`
		Changes []lifecycle.Change `json:"changes"`
		Pruned  []lifecycle.Loss   `json:"pruned"`
	}
	r := run(t, false, "generate", "-f", topology, "--update", dir, "--prune", "--output", "json")
	if err := json.Unmarshal([]byte(r.stdout), &done); err != nil || r.code != 0 {
		t.Fatalf("--prune --output json: exit %d, %v:\n%s%s", r.code, err, r.stdout, r.stderr)
	}
	removes := 0
	for _, c := range done.Changes {
		if c.Action == lifecycle.ActionRemove {
			removes++
			if c.Env != "prod" {
				t.Errorf("removed %s of %s", c.Path, c.Env)
			}
		}
	}
	// prod: the CA, iam's five stores and its encryption key, and mi's four.
	if !done.Written || removes != 11 || len(done.Pruned) != 1 || done.Pruned[0] != want[0] {
		t.Errorf("written %v, %d removes, pruned %v; want written, 11 removes, %v", done.Written, removes, done.Pruned, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "prod")); err == nil {
		t.Error("prod is still there")
	}
}
