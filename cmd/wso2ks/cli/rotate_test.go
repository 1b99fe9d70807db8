package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// transcript runs each command at testNow+100 days on the bundle at dir
// (written DIR in args) and returns what a user sees, with dir as DIR.
func transcript(t *testing.T, dir string, cmds ...[]string) string {
	t.Helper()
	var b strings.Builder
	for _, args := range cmds {
		full := make([]string, len(args))
		for i, a := range args {
			full[i] = strings.ReplaceAll(a, "DIR", dir)
		}
		r := runAt(t, testNow.AddDate(0, 0, 100), full...)
		b.WriteString("$ wso2ks " + strings.Join(args, " ") + "\n")
		b.WriteString(r.stdout)
		if r.stderr != "" {
			b.WriteString("stderr: " + r.stderr)
		}
		if r.code != 0 {
			fmt.Fprintf(&b, "exit %d\n", r.code)
		}
	}
	return strings.ReplaceAll(b.String(), dir, "DIR")
}

func generated(t *testing.T, args ...string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "ks")
	if r := run(t, false, append([]string{"generate", "-o", dir}, args...)...); r.code != 0 {
		t.Fatalf("generate: exit %d\n%s", r.code, r.stderr)
	}
	return dir
}

// TestRotate: a rotation of the default bundle's tls key, verify in the
// middle of it, a second rotation refused until --finish, the finish, a
// second finish that changes nothing, and verify after.
func TestRotate(t *testing.T) {
	dir := generated(t)
	got := transcript(t, dir,
		[]string{"rotate", "DIR", "--product", "iam"},
		[]string{"rotate", "DIR", "--product", "iam"},
		[]string{"rotate", "DIR", "--product", "iam", "--finish"},
	)
	if v := runAt(t, testNow.AddDate(0, 0, 100), "verify", dir); v.code != 0 {
		t.Errorf("verify after --finish: exit %d\n%s%s", v.code, v.stdout, v.stderr)
	}
	before := snapshot(t, dir)
	got += transcript(t, dir, []string{"rotate", "DIR", "--product", "iam", "--finish"})
	if snapshot(t, dir) != before {
		t.Error("the second --finish changed the bundle")
	}
	golden(t, "rotate-self-signed.txt", got)
}

// TestRotateVerifyDuring: verify passes in the middle of a rotation.
func TestRotateVerifyDuring(t *testing.T) {
	dir := generated(t)
	if r := runAt(t, testNow.AddDate(0, 0, 100), "rotate", dir, "--product", "iam"); r.code != 0 {
		t.Fatalf("rotate: exit %d\n%s", r.code, r.stderr)
	}
	v := runAt(t, testNow.AddDate(0, 0, 100), "verify", dir)
	if v.code != 0 || !strings.Contains(v.stdout, `trusts the tls certificate through "iam-tls"`) {
		t.Errorf("verify during the rotation: exit %d\n%s%s", v.code, v.stdout, v.stderr)
	}
}

func TestRotateInternalCA(t *testing.T) {
	dir := generated(t, "-f", filepath.Join(testdata, "internal-ca.toml"))
	got := transcript(t, dir,
		[]string{"rotate", "DIR", "--product", "mi", "--env", "dev"},
		[]string{"rotate", "DIR", "--product", "mi", "--finish"},
	)
	golden(t, "rotate-internal-ca.txt", got)
	if v := runAt(t, testNow.AddDate(0, 0, 100), "verify", dir); v.code != 0 {
		t.Errorf("verify: exit %d\n%s%s", v.code, v.stdout, v.stderr)
	}
}

// TestRotateBadInput: each mistake is one line on stderr, exit 2, and the
// bundle stays byte for byte as it was.
func TestRotateBadInput(t *testing.T) {
	dir := generated(t, "-f", filepath.Join(testdata, "internal-ca.toml"))
	pending := generated(t)
	if r := run(t, false, "rotate", pending, "--product", "iam"); r.code != 0 {
		t.Fatalf("rotate: exit %d\n%s", r.code, r.stderr)
	}
	external := generated(t, "-f", filepath.Join(testdata, "internal-ca.toml"))
	if err := os.Remove(filepath.Join(external, "dev", "ca", "ca.key")); err != nil {
		t.Fatal(err)
	}
	notBundle := t.TempDir()
	if err := os.WriteFile(filepath.Join(notBundle, "tls.p12"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	const rotateHelp = "see 'wso2ks rotate --help'"
	for _, tc := range []struct {
		name   string
		args   []string
		stderr string
	}{
		{"unknown product", []string{"rotate", dir, "--product", "apim"},
			dir + `/manifest.json: no product "apim"; give --product one of: iam, mi`},
		{"unknown env", []string{"rotate", dir, "--product", "iam", "--env", "prod"},
			dir + `/manifest.json: no environment "prod"; give --env one of: dev`},
		{"role primary", []string{"rotate", dir, "--role", "primary", "--product", "iam"},
			"wso2ks: --role primary cannot be rotated: tokens are signed and data and secrets encrypted with that key, so it must stay; rotate the tls store (leave --role out), or give the same key a new certificate with 'wso2ks renew'"},
		{"role internal", []string{"rotate", dir, "--role", "internal", "--product", "iam"},
			"wso2ks: --role internal cannot be rotated: tokens are signed and data and secrets encrypted with that key, so it must stay; rotate the tls store (leave --role out), or give the same key a new certificate with 'wso2ks renew'"},
		{"role wssec", []string{"rotate", dir, "--role", "wssec", "--product", "iam"},
			"wso2ks: --role wssec cannot be rotated yet: a WS-Security store holds one key, so messages encrypted to the old certificate would not decrypt during the overlap; rotate the tls store (leave --role out), or give the same key a new certificate with 'wso2ks renew'"},
		{"unknown role", []string{"rotate", dir, "--role", "ca", "--product", "iam"}, `wso2ks: --role "ca" is unknown; leave --role out: rotate rotates the tls store`},
		{"empty role", []string{"rotate", dir, "--role", "", "--product", "iam"}, "wso2ks: --role is empty; leave --role out: rotate rotates the tls store, the only one whose key can be replaced"},
		{"no product", []string{"rotate", dir}, "wso2ks: rotate needs --product, the product whose tls key to rotate (manifest.json lists them)"},
		{"no dir", []string{"rotate", "--product", "iam"}, "wso2ks: rotate needs exactly one DIR, the bundle 'wso2ks generate' wrote; " + rotateHelp},
		{"pending", []string{"rotate", pending, "--product", "iam"},
			`wso2ks: a tls rotation is pending in environment "default": ` + pending + "/default/iam/repository/resources/security/client-truststore.p12 still trusts the old certificate as iam-tls-previous; " +
				"finish it first with 'wso2ks rotate " + pending + " --product iam --finish'"},
		{"external", []string{"rotate", external, "--product", "iam", "--env", "dev"},
			"wso2ks: " + external + "/dev/iam/repository/resources/security/tls.p12: the tls certificate is signed by a CA whose key is not in the bundle, so wso2ks cannot sign one for a new key; " +
				"make a request with 'wso2ks csr' and install the signed certificate with 'wso2ks import-cert'"},
		{"not a bundle", []string{"rotate", notBundle, "--product", "iam"},
			"wso2ks: " + notBundle + " has no manifest.json; give the directory 'wso2ks generate -o' wrote"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var dirs []string
			for _, d := range []string{dir, pending, external, notBundle} {
				dirs = append(dirs, snapshot(t, d))
			}
			r := run(t, false, tc.args...)
			if want := tc.stderr + "\n"; r.code != 2 || r.stderr != want || r.stdout != "" {
				t.Errorf("exit %d, stdout %q, stderr\n%s\nwant exit 2 and\n%s", r.code, r.stdout, r.stderr, want)
			}
			for i, d := range []string{dir, pending, external, notBundle} {
				if snapshot(t, d) != dirs[i] {
					t.Errorf("%s changed", d)
				}
			}
		})
	}
}
