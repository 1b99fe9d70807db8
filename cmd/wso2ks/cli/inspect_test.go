package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/wso2ks/wso2ks/docs/schemas"
	"github.com/wso2ks/wso2ks/internal/testkit"
	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/inspect"
	"github.com/wso2ks/wso2ks/pkg/verify"
)

// Certificate keys are not seeded (rsa.GenerateKey ignores its random source), so
// fingerprints differ between runs, and serials too (the keys of a bundle are made
// concurrently, each drawing its serial from the one random source): goldens show them
// masked. The tests compare fingerprints with manifest.json's instead, and the keytool interop
// test both with keytool's.
var (
	colonFingerprint = regexp.MustCompile(`[0-9A-F]{2}(:[0-9A-F]{2}){31}`)
	hexFingerprint   = regexp.MustCompile(`\b[0-9a-f]{64}\b`)
	serialValue      = regexp.MustCompile(`(serial(": "|=")|serial +)[0-9a-f]+`)
)

func maskVolatile(s string) string {
	s = colonFingerprint.ReplaceAllString(s, "<sha256>")
	s = hexFingerprint.ReplaceAllString(s, "<sha256>")
	return serialValue.ReplaceAllString(s, "${1}<serial>")
}

// inspectBundle generates examples/multi-product.toml: IS 7.1 in PKCS#12 with a WS-Security
// store, APIM 4.5 and MI 4.4 in JKS, all self-signed; in dev plain passwords and no public CAs,
// in prod $env{} passwords and the public CAs.
func inspectBundle(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "ks")
	if r := run(t, false, "generate", "-o", dir, "-f", "../../../examples/multi-product.toml"); r.code != 0 {
		t.Fatalf("generate: %+v", r)
	}
	return dir
}

// TestInspectGolden: what inspect prints for a bundle, a product directory, JKS and PKCS#12
// store files with and without their password, and the --expiring report.
func TestInspectGolden(t *testing.T) {
	dir := inspectBundle(t)
	sec := func(env, product, file string) string {
		return filepath.Join(dir, env, product, "repository", "resources", "security", file)
	}
	pwFile := filepath.Join(t.TempDir(), "pw")
	secrets := testkit.Secrets(t, testkit.ReadFile(t, filepath.Join(dir, "prod", bundle.SecretsName)))
	if err := os.WriteFile(pwFile, []byte(secrets["WSO2KS_IAM_TRUSTSTORE_PASSWORD"]+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, dir)
	for _, tc := range []struct {
		name string
		args []string
		code int
	}{
		{"bundle.txt", []string{dir}, 0},
		{"product-dir.json", []string{filepath.Join(dir, "dev", "iam"), "--output", "json"}, 0},
		{"product-dir.prom", []string{filepath.Join(dir, "dev", "mi"), "--output", "prometheus"}, 0},
		{"files-no-password.txt", []string{sec("dev", "apim", "tls.jks"), sec("dev", "iam", "tls.p12"), sec("dev", "apim", "client-truststore.jks"), sec("dev", "iam", "client-truststore.p12")}, 0},
		{"file-password.txt", []string{sec("prod", "iam", "client-truststore.p12"), "--password-file", pwFile}, 0},
		{"expiring.txt", []string{dir, "--within", "400d", "--sort", "expiry"}, 1},
		{"expiring-none.txt", []string{dir, "--within", "30d"}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, false, append([]string{"inspect"}, tc.args...)...)
			if r.code != tc.code {
				t.Fatalf("exit %d, want %d: %s", r.code, tc.code, r.stderr)
			}
			want := ""
			if tc.code == 1 {
				want = "wso2ks: 24 certificates expire within 400 days; renew them ('wso2ks renew DIR --within 400d' for a bundle)\n"
			}
			if r.stderr != want {
				t.Errorf("stderr %q, want %q", r.stderr, want)
			}
			golden(t, "inspect/"+tc.name, maskVolatile(masked(r.stdout, map[string]string{dir: "DIR", pwFile: "PWFILE"})))
		})
	}
	if after := snapshot(t, dir); after != before {
		t.Error("inspect changed the bundle")
	}
	checkBundleJSON(t, dir)
}

// TestInspectWithinOneDay: --within 1d says "1 day", and one certificate is one.
func TestInspectWithinOneDay(t *testing.T) {
	dir := inspectBundle(t)
	var store bundle.ManifestStore
	for _, s := range readManifest(t, dir).Stores {
		if s.Type == "JKS" && s.Role == "tls" {
			store = s
			break
		}
	}
	notAfter, err := time.Parse(time.RFC3339, store.NotAfter)
	if err != nil {
		t.Fatalf("manifest.json has no JKS tls store with a not_after: %v", err)
	}
	file := filepath.Join(dir, filepath.FromSlash(store.Path))
	r := runAt(t, notAfter.Add(-12*time.Hour), "inspect", file, "--within", "1d")
	if want := "wso2ks: 1 certificate expires within 1 day; renew them ('wso2ks renew DIR --within 1d' for a bundle)\n"; r.code != 1 || r.stderr != want {
		t.Errorf("exit %d, stderr %q; want 1, %q", r.code, r.stderr, want)
	}
	if !strings.HasSuffix(r.stdout, "\n1 store, 1 entry expiring within 1 day\n") {
		t.Errorf("stdout does not end with the summary of one entry within 1 day:\n%s", r.stdout)
	}
	r = runAt(t, notAfter.Add(-48*time.Hour), "inspect", file, "--within", "1d")
	if r.code != 0 || r.stderr != "" || !strings.HasSuffix(r.stdout, "nothing expires within 1 day\n") {
		t.Errorf("two days before: %+v", r)
	}
}

// TestInspectNamedWrong: a store file's first bytes say what it is, as
// Java's keystore.type.compat does: the PKCS#12 store keytool writes to a
// file named .jks since JDK 9 is inspected as PKCS#12, and shows what the
// same file shows under its own name.
func TestInspectNamedWrong(t *testing.T) {
	dir := inspectBundle(t)
	p12 := filepath.Join(dir, "dev", "iam", "repository", "resources", "security", "tls.p12")
	jks := filepath.Join(t.TempDir(), "tls.jks")
	if err := os.WriteFile(jks, testkit.ReadFile(t, p12), 0o600); err != nil {
		t.Fatal(err)
	}
	want := run(t, false, "inspect", p12, "--output", "json")
	got := run(t, false, "inspect", jks, "--output", "json")
	if want.code != 0 || got.code != 0 || !strings.Contains(got.stdout, `"type": "PKCS12"`) ||
		strings.ReplaceAll(got.stdout, jks, p12) != want.stdout {
		t.Errorf("inspect of a PKCS#12 store named .jks: %+v\nwant what its own name gives: %+v", got, want)
	}
}

// TestInspectVaultBundle: in a vault-mode bundle, whose snippets name $secret{...}, every store
// opens with the password of the bundle's secrets.env too; without the vault store's password
// there, the note says what is missing and how to give it.
func TestInspectVaultBundle(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ks")
	if r := run(t, false, "generate", "-o", dir, "-f", "../../../examples/vault.toml"); r.code != 0 {
		t.Fatalf("generate: %+v", r)
	}
	checkBundleJSON(t, dir)

	secretsFile := filepath.Join(dir, "default", bundle.SecretsName)
	var kept []string
	for _, line := range strings.SplitAfter(string(testkit.ReadFile(t, secretsFile)), "\n") {
		if !strings.HasPrefix(line, "WSO2KS_IAM_INTERNAL_PASSWORD=") {
			kept = append(kept, line)
		}
	}
	if err := os.WriteFile(secretsFile, []byte(strings.Join(kept, "")), 0o600); err != nil {
		t.Fatal(err)
	}
	r := run(t, false, "inspect", filepath.Join(dir, "default", "iam"), "--output", "json")
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("inspect: %+v", r)
	}
	var rep inspect.Report
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatal(err)
	}
	missing := "$secret{iam_internal_password}: the internal store's password is needed to decrypt it: " +
		"secrets.env has no WSO2KS_IAM_INTERNAL_PASSWORD, and neither --password-file nor WSO2KS_VERIFY_PASSWORD is given"
	want := "integrity not verified: its password is unknown ([keystore.internal] password: " + missing +
		"; [keystore.internal] key_password: " + missing +
		"); PKCS#12 encrypts 1 of its parts with the password: their entries and certificates cannot be shown without it"
	var notes []string
	for _, s := range rep.Stores {
		if s.Note != "" {
			notes = append(notes, s.Note)
		}
	}
	if len(notes) != 1 || notes[0] != want {
		t.Errorf("notes %q\nwant one: %q", notes, want)
	}
}

// checkBundleJSON: every store of the bundle at dir opens with the password its configuration
// gives it, its key entry's certificate is the one manifest.json records, and --output json
// (with and without --all) matches docs/schemas/inspect.json.
func checkBundleJSON(t *testing.T, dir string) {
	t.Helper()
	for _, all := range []bool{false, true} {
		args := []string{"inspect", dir, "--output", "json"}
		if all {
			args = append(args, "--all")
		}
		r := run(t, false, args...)
		if r.code != 0 || r.stderr != "" {
			t.Fatalf("inspect: %+v", r)
		}
		if err := verify.ValidateSchema(schemas.Inspect, []byte(r.stdout)); err != nil {
			t.Errorf("--output json does not match docs/schemas/inspect.json: %v", err)
		}
		var rep inspect.Report
		if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
			t.Fatal(err)
		}
		checkAgainstManifest(t, dir, &rep, all)
	}
}

// checkAgainstManifest compares what inspect found with manifest.json: every store, verified,
// its key's fingerprint and its truststore aliases (public CAs folded unless all).
func checkAgainstManifest(t *testing.T, dir string, rep *inspect.Report, all bool) {
	t.Helper()
	m := readManifest(t, dir)
	byPath := map[string]inspect.Store{}
	for _, s := range rep.Stores {
		if !s.Verified || s.Note != "" {
			t.Errorf("%s: not verified: %s", s.Path, s.Note)
		}
		rel, _ := filepath.Rel(dir, s.Path)
		byPath[filepath.ToSlash(rel)] = s
	}
	if len(byPath) != len(m.Stores) {
		t.Errorf("inspect found %d stores, the manifest lists %d", len(byPath), len(m.Stores))
	}
	for _, ms := range m.Stores {
		s, ok := byPath[ms.Path]
		if !ok {
			t.Errorf("inspect did not find %s", ms.Path)
			continue
		}
		if len(ms.Entries) == 0 {
			if len(s.Entries) != 1 || s.Entries[0].Alias != ms.Alias || s.Entries[0].Certificate.SHA256 != ms.SHA256 {
				t.Errorf("%s: entries %+v, want the key %q with the manifest's fingerprint", ms.Path, s.Entries, ms.Alias)
			}
			continue
		}
		var aliases []string
		folded := 0
		for _, e := range s.Entries {
			aliases = append(aliases, e.Alias)
			if e.PublicCA != strings.HasPrefix(e.Alias, "public-") {
				t.Errorf("%s: %s public_ca %v", ms.Path, e.Alias, e.PublicCA)
			}
		}
		if s.PublicCAs != nil {
			folded = s.PublicCAs.Count
		}
		if all && folded != 0 || len(aliases)+folded != len(ms.Entries) {
			t.Errorf("%s: %d entries and %d folded, the manifest lists %d", ms.Path, len(aliases), folded, len(ms.Entries))
		}
	}
}
