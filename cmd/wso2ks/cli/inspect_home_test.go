package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/pkg/inspect"
)

// TestInspectHome: a fresh pack's home serves primary, internal and tls from wso2carbon.p12
// with WSO2's default password; after install, the home's stores open with the passwords of its
// deployment.toml and hold the bundle's certificates.
func TestInspectHome(t *testing.T) {
	parent := t.TempDir()
	home := fakeHome(t, parent, "wso2is-7.1.0", "wso2is")
	r := run(t, false, "inspect", home)
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("inspect: %+v", r)
	}
	_, cert := wso2Cert(t)
	if !strings.Contains(r.stdout, "      serial     "+cert.SerialNumber.Text(16)+"\n") {
		t.Errorf("the serial of wso2carbon (%s) is not shown:\n%s", cert.SerialNumber.Text(16), r.stdout)
	}
	golden(t, "inspect/home.txt", maskVolatile(masked(r.stdout, map[string]string{parent: "PARENT"})))

	dir := filepath.Join(t.TempDir(), "ks")
	if r := run(t, false, "generate", "-o", dir); r.code != 0 {
		t.Fatalf("generate: %+v", r)
	}
	m := readManifest(t, dir)
	installed := fakeHome(t, t.TempDir(), "wso2is-7.1.0", "wso2is")
	if r := run(t, false, "install", "--bundle", dir, "--product", m.Stores[0].Product, "--home", installed); r.code != 0 {
		t.Fatalf("install: %+v", r)
	}
	r = run(t, false, "inspect", installed, "--output", "json")
	if r.code != 0 {
		t.Fatalf("inspect: %+v", r)
	}
	var rep inspect.Report
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatal(err)
	}
	fingerprints := map[string]string{} // role: the key's fingerprint
	for _, s := range rep.Stores {
		if !s.Verified {
			t.Errorf("%v: not verified: %s", s.Roles, s.Note)
		}
		if len(s.Roles) == 1 && len(s.Entries) == 1 && s.Entries[0].Kind == inspect.KindKey {
			fingerprints[s.Roles[0]] = s.Entries[0].Certificate.SHA256
		}
	}
	for _, ms := range m.Stores {
		if ms.SHA256 != "" && fingerprints[ms.Role] != ms.SHA256 {
			t.Errorf("the home's %s store holds %s, the bundle's %s", ms.Role, fingerprints[ms.Role], ms.SHA256)
		}
	}
}

// TestInspectBadInput: a PATH inspect cannot read is one line naming it and the fix, exit 2,
// nothing on stdout.
func TestInspectBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	notes, garbage, emptyP12 := write("notes.txt", "hello\n"), write("bad.jks", "hello\n"), write("empty.p12", "")
	truncJKS, truncP12 := write("trunc.p12", "\xfe\xed\xfe\xed\x00"), write("trunc.jks", "\x30\x03")
	empty := filepath.Join(dir, "empty")
	os.Mkdir(empty, 0o700)
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no path", nil, "wso2ks: inspect needs at least one PATH; see 'wso2ks inspect --help'"},
		{"missing", []string{filepath.Join(dir, "nope")}, "wso2ks: DIR/nope does not exist; give a store file (.jks, .p12, .pfx), a bundle, a product directory of one, or a WSO2 home"},
		{"not a store", []string{notes}, "wso2ks: DIR/notes.txt is neither a JKS nor a PKCS#12 store; give a store file (.jks, .p12, .pfx), a bundle, a product directory of one, or a WSO2 home"},
		// The first bytes, not the name, say what a store file is.
		{"bad jks", []string{garbage}, "wso2ks: DIR/bad.jks is neither a JKS nor a PKCS#12 store; give a store file (.jks, .p12, .pfx), a bundle, a product directory of one, or a WSO2 home"},
		{"empty p12", []string{emptyP12}, "wso2ks: DIR/empty.p12 is neither a JKS nor a PKCS#12 store; give a store file (.jks, .p12, .pfx), a bundle, a product directory of one, or a WSO2 home"},
		{"truncated jks", []string{truncJKS}, "wso2ks: DIR/trunc.p12 is not a JKS store (unsupported jks version 0); give a JKS or PKCS#12 store"},
		{"truncated p12", []string{truncP12}, "wso2ks: DIR/trunc.jks is not a PKCS12 store (read pkcs12: not a PKCS#12 file: malformed DER (the file is truncated or not of this format)); give a JKS or PKCS#12 store"},
		{"empty directory", []string{empty}, "wso2ks: DIR/empty is not a bundle (manifest.json), a product directory of one (deployment.snippet.toml) or a WSO2 home (repository/conf/deployment.toml, MI conf/deployment.toml)"},
		{"output", []string{empty, "--output", "yaml"}, `wso2ks: --output "yaml" is not a format; give text, json or prometheus`},
		{"sort", []string{empty, "--sort", "alias"}, `wso2ks: --sort "alias" is unknown; use store or expiry`},
		{"within", []string{empty, "--within", "30"}, `wso2ks: --within "30" is not a number of days; write it like 30d`},
		{"within 0d", []string{empty, "--within", "0d"}, "wso2ks: --within 0d is an empty window; give at least 1d"},
		// --expiring, the old spelling: its own name in errors, and not with --within.
		{"expiring", []string{empty, "--expiring", "30"}, `wso2ks: --expiring "30" is not a number of days; write it like 30d`},
		{"expiring and within", []string{empty, "--expiring", "30d", "--within", "30d"}, "wso2ks: --expiring is the old spelling of --within; give only --within"},
		{"password file", []string{notes, "--password-file", filepath.Join(dir, "nope")}, "wso2ks: --password-file DIR/nope does not exist; give a file whose first line is the store's password"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, false, append([]string{"inspect"}, tc.args...)...)
			if got := strings.TrimSuffix(masked(r.stderr, map[string]string{dir: "DIR"}), "\n"); r.code != 2 || got != tc.want || r.stdout != "" {
				t.Errorf("exit %d, stdout %q, stderr\n%s\nwant\n%s", r.code, r.stdout, got, tc.want)
			}
		})
	}
}
