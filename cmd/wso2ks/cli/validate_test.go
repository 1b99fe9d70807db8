package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// inputTopology writes a topology of one IS product to dir/name, with top
// added after [defaults] and product added to the product's table.
func inputTopology(t *testing.T, dir, name, top, product string) string {
	t.Helper()
	file := filepath.Join(dir, name)
	doc := fmt.Sprintf("[subject]\norganization = \"X\"\n[defaults]\npublic_cas = false\n%s\n[[product]]\nname = \"iam\"\nkind = \"wso2is\"\nversion = \"7.1.0\"\nhostnames = [\"iam.example.com\"]\n%s\n", top, product)
	if err := os.WriteFile(file, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

// refusedInput is one run that must exit 2 with one line and change
// nothing.
type refusedInput struct {
	name   string
	args   []string
	stderr string
}

// checkRefused runs every case with a deadline (a FIFO must not be waited
// on) and checks exit 2, the exact line, an empty stdout, and that nothing
// below the watched directories changed.
func checkRefused(t *testing.T, tests []refusedInput, watched ...string) {
	t.Helper()
	state := func() string {
		var s string
		for _, dir := range watched {
			s += snapshot(t, dir) + "\n"
		}
		return s
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := state()
			done := make(chan result, 1)
			go func() { done <- run(t, false, tt.args...) }()
			var r result
			select {
			case r = <-done:
			case <-time.After(time.Minute):
				t.Fatal("the command did not return: it waits on its input")
			}
			if r.code != 2 {
				t.Errorf("exit %d, want 2 (stderr %q)", r.code, r.stderr)
			}
			if r.stderr != tt.stderr+"\n" {
				t.Errorf("stderr:\n%q\nwant:\n%q", r.stderr, tt.stderr+"\n")
			}
			if r.stdout != "" {
				t.Errorf("stdout: %q", r.stdout)
			}
			if after := state(); after != before {
				t.Error("the refused run changed files")
			}
		})
	}
}

// TestInputValidation: each input mistake of the table exits 2 with one
// line that names it and the fix, and writes nothing.
func TestInputValidation(t *testing.T) {
	dir := t.TempDir()
	bundle := generateBundle(t)
	out := filepath.Join(dir, "out")
	afile := filepath.Join(dir, "afile")
	if err := os.WriteFile(afile, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	notIP := inputTopology(t, dir, "ip.toml", "", `instances = ["999.1.1.1"]`)
	newline := inputTopology(t, dir, "nl.toml", "password_mode = \"vault\"", `install_dir = "/opt/wso2is\nkeystore.identity.location=/etc/passwd"`)
	dotdot := inputTopology(t, dir, "dd.toml", "", `install_dir = "/opt/wso2/../etc"`)
	good := inputTopology(t, dir, "good.toml", "", "")

	// A bundle whose manifest points a store outside it.
	outside := copyTree(t, bundle)
	manifest := filepath.Join(outside, "manifest.json")
	data, err := os.ReadFile(manifest)
	if err != nil {
		t.Fatal(err)
	}
	tls := "default/iam/repository/resources/security/tls.p12"
	if err := os.WriteFile(manifest, edit(t, data, `"`+tls+`"`, `"../../etc/shadow"`), 0o644); err != nil {
		t.Fatal(err)
	}
	// Bundles with an empty and a truncated tls store, and a home.
	empty, truncated := copyTree(t, bundle), copyTree(t, bundle)
	if err := os.WriteFile(filepath.Join(empty, tls), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	whole, _ := os.ReadFile(filepath.Join(bundle, tls))
	if err := os.WriteFile(filepath.Join(truncated, tls), whole[:200], 0o600); err != nil {
		t.Fatal(err)
	}
	home := fakeHome(t, dir, "wso2is-7.1.0", "wso2is") // under dir: watched
	bomHome := fakeHome(t, dir, "bom/wso2is-7.1.0", "wso2is")
	bomDeployment := filepath.Join(bomHome, "repository/conf/deployment.toml")
	old, _ := os.ReadFile(bomDeployment)
	if err := os.WriteFile(bomDeployment, append([]byte("\xef\xbb\xbf"), old...), 0o644); err != nil {
		t.Fatal(err)
	}
	snippet := filepath.Join(bundle, "default/iam/deployment.snippet.toml")

	checkRefused(t, []refusedInput{
		{"a dotted number that is no IP", []string{"generate", "-f", notIP, "-o", out},
			notIP + `:11:14: product "iam": hostname "999.1.1.1" is not an IP address (four numbers of 0 to 255, or IPv6), and a DNS name does not end in a number; correct the address or give a DNS name`},
		{"a newline in install_dir", []string{"generate", "-f", newline, "-o", out},
			newline + `:11:1: product "iam": install_dir "/opt/wso2is\nkeystore.identity.location=/etc/passwd" holds a control character; write the path on one line, without tabs or escapes`},
		{"'..' in install_dir", []string{"plan", "-f", dotdot},
			dotdot + `:11:1: product "iam": install_dir "/opt/wso2/../etc" holds '..'; write the product's absolute path without it`},
		{"completion tcsh", []string{"completion", "tcsh"},
			`wso2ks: completion: unknown shell "tcsh"; use bash, fish, powershell, zsh`},
		{"-o empty", []string{"generate", "-f", good, "-o", ""},
			"wso2ks: -o is empty; give -o DIR, or leave -o out for ./keystores"},
		{"-o below a file", []string{"generate", "-f", good, "-o", filepath.Join(afile, "sub", "deeper")},
			"wso2ks: -o " + filepath.Join(afile, "sub", "deeper") + ": " + afile + " is a file, not a directory; choose another -o DIR"},
		{"-o with a newline", []string{"generate", "-f", good, "-o", "ks\nx"},
			`wso2ks: -o "ks\nx" holds a control character; give a directory name without one`},
		{"init -o below a file", []string{"init", "-o", filepath.Join(afile, "t.toml")},
			"wso2ks: -o " + filepath.Join(afile, "t.toml") + ": " + afile + " is a file, not a directory; choose another -o FILE"},
		{"init -o empty", []string{"init", "-o", ""},
			"wso2ks: -o is empty; give -o FILE, or leave -o out to print to stdout"},
		{"k8s -o empty", []string{"k8s", bundle, "-o", ""},
			"wso2ks: -o is empty; give -o DIR, or leave -o out for BUNDLE_DIR/k8s"},
		{"--update empty", []string{"generate", "-f", good, "--update", ""},
			"wso2ks: --update is empty; give --update DIR, the bundle to change in place"},
		{"a flag that is not a number of days", []string{"verify", bundle, "--expiry-warn", "1e9"},
			`wso2ks: --expiry-warn "1e9" is not a number of days; write it like 30d`},
		{"a flag that is not a boolean", []string{"verify", bundle, "--quiet=maybe"},
			`wso2ks: verify: invalid argument "maybe" for "-q, --quiet" flag: neither true nor false; see 'wso2ks verify --help'`},
		{"verify: a manifest path outside the bundle", []string{"verify", outside},
			"wso2ks: " + manifest + `: store 3: path "../../etc/shadow" is not inside default/iam/; restore manifest.json, or regenerate the bundle with 'wso2ks generate'`},
		{"renew: an empty store", []string{"renew", empty, "--within", "1000d"},
			"wso2ks: " + filepath.Join(empty, tls) + " is empty (0 bytes); restore it from a copy of the bundle or regenerate the bundle with 'wso2ks generate'"},
		{"renew: a truncated store", []string{"renew", truncated, "--within", "1000d"},
			"wso2ks: " + filepath.Join(truncated, tls) + " is not a readable PKCS12 store (damaged, truncated or of another type); restore it from a copy of the bundle, or regenerate the bundle with 'wso2ks generate'"},
		{"install: an empty store", []string{"install", "--bundle", empty, "--home", home},
			"wso2ks: " + filepath.Join(empty, tls) + " is empty (0 bytes); restore it from a copy of the bundle or regenerate the bundle with 'wso2ks generate'"},
		{"install: a truncated store", []string{"install", "--bundle", truncated, "--home", home},
			truncated + ": " + tls + " is not a readable PKCS12 store (damaged, truncated or of another type); restore it from a copy of the bundle, or regenerate the bundle with 'wso2ks generate'"},
		{"merge: a BOM", []string{"merge", snippet, bomDeployment},
			bomDeployment + ":1:1: the file starts with a UTF-8 byte order mark (BOM); save it as UTF-8 without a BOM and merge again"},
		{"verify: a BOM", []string{"verify", bomHome},
			"wso2ks: " + bomDeployment + ":1:1: the file starts with a UTF-8 byte order mark (BOM); save it as UTF-8 without a BOM"},
	}, dir, bundle, outside, empty, truncated)
}

// TestTopologyBOM: a topology saved with a byte order mark plans as the
// same file without one.
func TestTopologyBOM(t *testing.T) {
	dir := t.TempDir()
	plain := inputTopology(t, dir, "plain.toml", "", "")
	data, _ := os.ReadFile(plain)
	bom := filepath.Join(dir, "bom.toml")
	if err := os.WriteFile(bom, append([]byte("\xef\xbb\xbf"), data...), 0o644); err != nil {
		t.Fatal(err)
	}
	want, got := run(t, false, "plan", "-f", plain), run(t, false, "plan", "-f", bom)
	if got.code != 0 || strings.Replace(got.stdout, bom, plain, 1) != want.stdout {
		t.Fatalf("with a BOM: exit %d, %s\n%s", got.code, got.stderr, got.stdout)
	}
}
