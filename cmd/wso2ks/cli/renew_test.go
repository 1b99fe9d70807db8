package cli

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wso2ks/wso2ks/pkg/infile"
)

// runAt is run with the clock at now.
func runAt(t *testing.T, now time.Time, args ...string) result {
	t.Helper()
	var seed [32]byte
	seed[0] = 7
	var stdout, stderr bytes.Buffer
	f := &Factory{
		Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr,
		Now:      func() time.Time { return now },
		Rand:     rand.NewChaCha8(seed),
		ReadFile: infile.Read,
		Getenv:   func(name string) (string, bool) { v, ok := testEnv[name]; return v, ok },
	}
	code := Run(f, args)
	return result{code, stdout.String(), stderr.String()}
}

// TestRenew generates the default bundle, renews it near the tls
// certificate's expiry, verifies it, and renews again to no effect.
func TestRenew(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ks")
	if r := run(t, false, "generate", "-o", dir); r.code != 0 {
		t.Fatalf("generate: exit %d\n%s", r.code, r.stderr)
	}
	now := testNow.AddDate(0, 0, 380)
	r := runAt(t, now, "renew", dir)
	notAfter := now.Add(-5*time.Minute).AddDate(0, 0, 397).Format(time.RFC3339)
	want := "renewed 1 certificate(s) in " + dir + ":\n  tls of default/iam until " + notAfter + "\n    default/iam/repository/resources/security/tls.p12\n" +
		"    default/iam/repository/resources/security/client-truststore.p12 (truststore entry replaced)\n" +
		"next: wso2ks install --bundle " + dir + " --env default --product iam --home WSO2_HOME, then restart default/iam (one node at a time)\n"
	if r.code != 0 || r.stderr != "" || r.stdout != want {
		t.Fatalf("renew: exit %d, stderr %q, stdout\n%s\nwant\n%s", r.code, r.stderr, r.stdout, want)
	}
	if v := runAt(t, now, "verify", dir); v.code != 0 {
		t.Errorf("verify: exit %d\n%s%s", v.code, v.stdout, v.stderr)
	}
	manifest, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(manifest), `"not_after": "`+notAfter+`"`) {
		t.Errorf("manifest.json lacks not_after %s", notAfter)
	}
	r = runAt(t, now, "renew", dir, "--within", "45d")
	if r.code != 0 || r.stdout != "nothing to renew within 45 days\n" {
		t.Errorf("second renew: exit %d, stdout %q", r.code, r.stdout)
	}
	if again, _ := os.ReadFile(filepath.Join(dir, "manifest.json")); !bytes.Equal(again, manifest) {
		t.Error("the second renew changed manifest.json")
	}
	if r := runAt(t, now, "renew", dir, "--within", "1d"); r.code != 0 || r.stdout != "nothing to renew within 1 day\n" {
		t.Errorf("renew --within 1d: exit %d, stdout %q", r.code, r.stdout)
	}
}

func TestRenewBadInput(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "none")
	for _, tc := range []struct {
		name   string
		args   []string
		stderr string
	}{
		{"no dir", []string{"renew"}, "wso2ks: renew needs exactly one DIR, the bundle 'wso2ks generate' wrote; see 'wso2ks renew --help'\n"},
		{"missing dir", []string{"renew", missing}, "wso2ks: " + missing + ": no such bundle directory; give the directory 'wso2ks generate -o' wrote\n"},
		{"bad within", []string{"renew", missing, "--within", "30"}, "wso2ks: --within \"30\" is not a number of days; write it like 30d\n"},
		{"weeks", []string{"renew", missing, "--within", "4w"}, "wso2ks: --within \"4w\" is not a number of days; write it like 30d\n"},
		{"out of range", []string{"renew", missing, "--within", "100000d"}, "wso2ks: --within \"100000d\" is out of range; give 0d to 99999d\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, false, tc.args...)
			if r.code != 2 || r.stderr != tc.stderr || r.stdout != "" {
				t.Errorf("exit %d, stderr %q, stdout %q; want 2 and %q", r.code, r.stderr, r.stdout, tc.stderr)
			}
		})
	}
}
