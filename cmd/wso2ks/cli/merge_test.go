package cli

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/internal/testkit"
	"github.com/wso2ks/wso2ks/pkg/deploytoml"
)

// emitTestdata holds the snippets of pkg/emit's golden test;
// mergeTestdata the deployment.toml fixtures (merge/) and merged golden
// files (merge/out/) of pkg/deploytoml.
var (
	emitTestdata, _  = filepath.Abs("../../../pkg/emit/testdata")
	mergeTestdata, _ = filepath.Abs("../../../pkg/deploytoml/testdata")
)

// copyFixture copies a pkg/deploytoml fixture to dir/name with mode.
func copyFixture(t *testing.T, fixture, dir, name string, mode os.FileMode) (string, []byte) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(mergeTestdata, fixture))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, name)
	if err := os.WriteFile(file, data, mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(file, mode); err != nil {
		t.Fatal(err)
	}
	return file, data
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	return string(testkit.ReadFile(t, name))
}

func modeOf(t *testing.T, name string) os.FileMode {
	t.Helper()
	st, err := os.Lstat(name)
	if err != nil {
		t.Fatal(err)
	}
	return st.Mode()
}

func TestMergeWritesAndKeepsABackup(t *testing.T) {
	dir := t.TempDir()
	dep, orig := copyFixture(t, "merge/is71.toml", dir, "deployment.toml", 0o640)
	snippet := filepath.Join(emitTestdata, "snippets/plain-is71.toml")

	r := run(t, false, "merge", snippet, dep)
	backup := dep + ".wso2ks-backup"
	if r.code != 0 || r.stderr != "" || r.stdout != "merged "+snippet+" into "+dep+"; the original is in "+backup+"\n"+
		"note: chmod 600 "+dep+" and its backup: they hold passwords (the file was 0640)\n"+
		"next: copy the stores of plain/is71 (beside "+snippet+") into WSO2_HOME unless they are there, then start or restart plain/is71 (one node at a time if it runs)\n"+
		"next: wso2ks verify WSO2_HOME\n" {
		t.Fatalf("merge: %+v", r)
	}
	if got, want := readFile(t, dep), readFile(t, filepath.Join(mergeTestdata, "merge/out/is71+plain-is71.toml")); got != want {
		t.Errorf("merged file differs from pkg/deploytoml's golden file:\n%s", testkit.Diff(want, got))
	}
	if readFile(t, backup) != string(orig) {
		t.Error("the backup does not hold the original bytes")
	}
	// Plain passwords: the file and its backup are the owner's only.
	if m := modeOf(t, dep); m != 0o600 {
		t.Errorf("merged file mode %v, want -rw-------", m)
	}
	if m := modeOf(t, backup); m != 0o600 {
		t.Errorf("backup mode %v, want -rw-------", m)
	}
	if strings.Contains(r.stdout+r.stderr, "pw-WSO2KS") {
		t.Error("a password reached the output")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("directory holds %d entries, want the file and its backup", len(entries))
	}

	// Again: nothing to do, no new backup.
	before := snapshot(t, dir)
	r = run(t, false, "merge", snippet, dep)
	if r.code != 0 || r.stderr != "" || r.stdout != dep+" is up to date\n" {
		t.Errorf("second merge: %+v", r)
	}
	if snapshot(t, dir) != before {
		t.Error("the second merge changed the directory")
	}

	// Another snippet: a second backup, the first one kept.
	merged := readFile(t, dep)
	r = run(t, false, "merge", filepath.Join(emitTestdata, "snippets/env-is71.toml"), dep)
	if body, _ := splitNext(r.stdout); r.code != 0 || !strings.HasSuffix(body, "; the original is in "+backup+".1\nnote: "+deploytoml.NoteEncryptionKeyKept+"\n") {
		t.Fatalf("third merge: %+v", r)
	}
	// The plain snippet's key stays: data may be encrypted with it.
	if got := readFile(t, dep); !strings.Contains(got, "\n[encryption]\nkey = \"<WSO2KS_IS71_ENCRYPTION_KEY>\"\n") || strings.Contains(got, "$env{WSO2KS_IS71_ENCRYPTION_KEY}") {
		t.Errorf("the third merge replaced the key:\n%s", got)
	}
	if readFile(t, backup) != string(orig) || readFile(t, backup+".1") != merged {
		t.Error("backups: the first was overwritten or the second is not the merged file")
	}
}

// TestMergeKeepsTheOwner: root merging a file the product's user owns
// leaves it, and the backup, to that user.
func TestMergeKeepsTheOwner(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix owners")
	}
	dir := t.TempDir()
	dep, _ := copyFixture(t, "merge/is71.toml", dir, "deployment.toml", 0o600)
	uid, gid := 4711, 4712
	if err := os.Chown(dep, uid, gid); errors.Is(err, fs.ErrPermission) {
		uid, gid = os.Getuid(), os.Getgid() // not root: the owner stays ours
	} else if err != nil {
		t.Fatal(err)
	}
	if r := run(t, false, "merge", filepath.Join(emitTestdata, "snippets/plain-is71.toml"), dep); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	for _, file := range []string{dep, dep + ".wso2ks-backup"} {
		st, err := os.Stat(file)
		if err != nil {
			t.Fatal(err)
		}
		sys := reflect.ValueOf(st.Sys()).Elem()
		if u, g := sys.FieldByName("Uid").Uint(), sys.FieldByName("Gid").Uint(); int(u) != uid || int(g) != gid {
			t.Errorf("%s: owner %d:%d, want %d:%d", filepath.Base(file), u, g, uid, gid)
		}
	}
}

// TestMergeSymlinks: merge writes no file through a symbolic link (it once
// wrote the link's target; the rule is one for every writer, links.go):
// exit 2, one line naming the link, where it points and the fix, nothing
// changed. A dry run reads through it; a link above the file is followed.
func TestMergeSymlinks(t *testing.T) {
	dir := t.TempDir()
	target, _ := copyFixture(t, "merge/mi44.toml", dir, "real.toml", 0o600)
	link := filepath.Join(dir, "deployment.toml")
	if err := os.Symlink("real.toml", link); err != nil {
		t.Fatal(err)
	}
	snippet := filepath.Join(emitTestdata, "snippets/plain-mi44.toml")
	before := snapshot(t, dir)
	r := run(t, false, "merge", snippet, link)
	want := link + ": is a symbolic link to real.toml, and wso2ks does not write through symbolic links; give " + target + " instead, or replace the link with a real file\n"
	if r.code != 2 || r.stderr != want || r.stdout != "" {
		t.Errorf("exit %d, stdout %q\nstderr %q\nwant   %q", r.code, r.stdout, r.stderr, want)
	}
	if snapshot(t, dir) != before || modeOf(t, link)&os.ModeSymlink == 0 {
		t.Error("the refused merge changed the directory")
	}
	if r := run(t, false, "merge", "--dry-run", snippet, link); r.code != 0 || !strings.Contains(r.stdout, "+++ ") {
		t.Errorf("--dry-run through the link: %+v", r)
	}
	linked := filepath.Join(t.TempDir(), "conf")
	if err := os.Symlink(dir, linked); err != nil {
		t.Fatal(err)
	}
	if r := run(t, false, "merge", snippet, filepath.Join(linked, "real.toml")); r.code != 0 || r.stderr != "" {
		t.Fatalf("through a linked directory: %+v", r)
	}
	if got, want := readFile(t, target), readFile(t, filepath.Join(mergeTestdata, "merge/out/mi44+plain-mi44.toml")); got != want {
		t.Errorf("the file was not merged:\n%s", testkit.Diff(want, got))
	}
	assertEntries(t, dir, "deployment.toml", "real.toml", "real.toml.wso2ks-backup")
}

// TestMergeDryRun: the diff, with every password and [secrets] value
// masked, and a note that [secrets] moves; nothing written.
func TestMergeDryRun(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	copyFixture(t, "merge/is71-secrets.toml", dir, "deployment.toml", 0o644)
	snippet := filepath.Join(mergeTestdata, "merge/cipher-is71.toml")
	before := snapshot(t, dir)
	r := run(t, false, "merge", "--dry-run", snippet, "deployment.toml")
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("%+v", r)
	}
	golden(t, "merge/dry-run.txt", r.stdout)
	// The vault snippet holds no plain password, the file it replaces does
	// (wso2carbon): its backup would be the owner's only.
	if !strings.HasPrefix(r.stdout, "note: [secrets] moved to the end of the file: WSO2's cipher tool rewrites every line after it\n"+
		"note: would chmod 600 the backup of deployment.toml: it holds passwords (the file is 0644)\n--- deployment.toml\n+++ deployment.toml\n@@ ") {
		t.Errorf("stdout does not start with the notes and the diff header:\n%.300s", r.stdout)
	}
	for _, secret := range []string{"wso2carbon\"", "Q2lwaGVydGV4d", "c2VjcmV0", "b2xkLXRscy"} {
		if strings.Contains(r.stdout, secret) {
			t.Errorf("the diff shows the secret %s", secret)
		}
	}
	if snapshot(t, dir) != before {
		t.Error("--dry-run changed the directory")
	}

	plain := filepath.Join(emitTestdata, "snippets/plain-is71.toml")
	r = run(t, false, "merge", "--dry-run", plain, "deployment.toml")
	if r.code != 0 || strings.Contains(r.stdout, "pw-WSO2KS") || !strings.Contains(r.stdout, "\n+password = \"********\"\n") {
		t.Errorf("plain passwords are not masked:\n%s", r.stdout)
	}

	// Up to date: says so, with or without --dry-run.
	if r := run(t, false, "merge", snippet, "deployment.toml"); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	r = run(t, false, "merge", "--dry-run", snippet, "deployment.toml")
	if r.code != 0 || r.stdout != "deployment.toml is up to date\n" {
		t.Errorf("dry run of an up-to-date file: %+v", r)
	}
}

// TestMergeBadInput: exit 2 with one line naming the file (and the line and
// column where there is one) and the fix; nothing written.
func TestMergeBadInput(t *testing.T) {
	dir := t.TempDir()
	dep, _ := copyFixture(t, "merge/apim45.toml", dir, "deployment.toml", 0o644)
	snippet := filepath.Join(emitTestdata, "snippets/plain-apim.toml")
	write := func(name, text string) string {
		file := filepath.Join(dir, name)
		if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return file
	}
	corrupt := write("corrupt.toml", "[server]\nhostname = \"localhost\"\nnode_ip = 127.0.0.1\n")
	dotted := write("dotted.toml", "[server]\nhostname = \"localhost\"\n\n[keystore]\nprimary.password = \"wso2carbon\"\n")
	unknown := write("unknown.snippet.toml", "[truststore]\nfile_name = \"t.jks\"\n\n[server]\nhostname = \"x\"\n")
	missing := filepath.Join(dir, "missing.toml")
	tests := []struct {
		name   string
		args   []string
		stderr string
	}{
		{"no arguments", []string{"merge"},
			"wso2ks: merge takes SNIPPET and DEPLOYMENT_TOML, got 0 arguments; see 'wso2ks merge --help'"},
		{"one argument", []string{"merge", snippet},
			"wso2ks: merge takes SNIPPET and DEPLOYMENT_TOML, got 1 arguments; see 'wso2ks merge --help'"},
		{"unknown flag", []string{"merge", "--force", snippet, dep},
			"wso2ks: merge: unknown flag: --force; see 'wso2ks merge --help'"},
		{"missing snippet", []string{"merge", missing, dep},
			missing + ": no such file; check the SNIPPET path: wso2ks generate writes <env>/<product>/deployment.snippet.toml"},
		{"missing deployment.toml", []string{"merge", snippet, missing},
			missing + ": no such file; check the DEPLOYMENT_TOML path: repository/conf/deployment.toml (MI: conf/deployment.toml)"},
		{"deployment.toml is a directory", []string{"merge", snippet, dir},
			dir + ": is a directory, not a file; check the DEPLOYMENT_TOML path: repository/conf/deployment.toml (MI: conf/deployment.toml)"},
		{"corrupt deployment.toml", []string{"merge", snippet, corrupt},
			corrupt + ":3:16: expected newline but got U+002E '.'; fix the TOML and merge again"},
		{"dotted owned key", []string{"merge", snippet, dotted},
			dotted + ":5:1: key keystore.primary.password sets [keystore.primary], which merge replaces, outside that table; move the line under a [keystore.primary] header (or delete it) and merge again"},
		{"snippet with a table merge does not own", []string{"merge", unknown, dep},
			unknown + ":4:2: table [server] is not one merge writes ([keystore.*], [truststore], [transport.http.listener.keystore], [internal_api_ssl_config.*], [encryption] and [secrets]); remove it from the snippet or add it to deployment.toml by hand"},
		{"arguments swapped", []string{"merge", dep, snippet},
			"wso2ks: the arguments are swapped: " + snippet + " is a snippet wso2ks wrote and " + dep + " is not; give the snippet first: wso2ks merge " + snippet + " " + dep},
		{"deployment.toml as the snippet", []string{"merge", dep, dep},
			dep + ":1:2: table [server] is not one merge writes ([keystore.*], [truststore], [transport.http.listener.keystore], [internal_api_ssl_config.*], [encryption] and [secrets]); remove it from the snippet or add it to deployment.toml by hand"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := snapshot(t, dir)
			r := run(t, false, tt.args...)
			if r.code != 2 {
				t.Errorf("exit %d, want 2", r.code)
			}
			if r.stderr != tt.stderr+"\n" {
				t.Errorf("stderr:\n%q\nwant:\n%q", r.stderr, tt.stderr+"\n")
			}
			if r.stdout != "" {
				t.Errorf("stdout: %q", r.stdout)
			}
			if snapshot(t, dir) != before {
				t.Error("bad input changed the directory")
			}
		})
	}
}

func TestMergeReadOnly(t *testing.T) {
	snippet := filepath.Join(emitTestdata, "snippets/plain-is71.toml")
	t.Run("file", func(t *testing.T) {
		dir := t.TempDir()
		dep, _ := copyFixture(t, "merge/is71.toml", dir, "deployment.toml", 0o444)
		before := snapshot(t, dir)
		r := run(t, false, "merge", snippet, dep)
		want := dep + ": the file is read-only; make it writable (chmod u+w) and merge again, or merge into a copy\n"
		if r.code != 2 || r.stderr != want || r.stdout != "" {
			t.Errorf("%+v\nwant stderr %q", r, want)
		}
		if snapshot(t, dir) != before {
			t.Error("the refused merge changed the directory")
		}
	})
	t.Run("directory", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "conf")
		os.Mkdir(dir, 0o755)
		dep, _ := copyFixture(t, "merge/is71.toml", dir, "deployment.toml", 0o644)
		os.Chmod(dir, 0o555)
		t.Cleanup(func() { os.Chmod(dir, 0o755) })
		before := snapshot(t, dir)
		r := run(t, false, "merge", snippet, dep)
		want := dep + ": its directory " + dir + " is read-only; make it writable and merge again, or merge into a copy\n"
		if r.code != 2 || r.stderr != want || r.stdout != "" {
			t.Errorf("%+v\nwant stderr %q", r, want)
		}
		if snapshot(t, dir) != before {
			t.Error("the refused merge changed the directory")
		}
	})
}
