package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/internal/crashpoint"
)

// TestInstallFailsAfterCommit: a run that cannot remove an undo copy once
// every file is in place is not undone: it says its files are in place,
// exits 3, and keeps its journal, which the next install finishes.
func TestInstallFailsAfterCommit(t *testing.T) {
	home, a, b := crashHome(t)
	var undo string
	crashpoint.Hook = func(moment string) {
		if moment != crashpoint.InstallCommitted {
			return
		}
		var j journal
		if err := json.Unmarshal([]byte(readFile(t, filepath.Join(home, journalRel))), &j); err != nil {
			t.Fatal(err)
		}
		// A directory in its place: os.Remove fails on it.
		undo = filepath.Join(home, filepath.FromSlash(j.Files[0].Undo))
		os.Remove(undo)
		os.MkdirAll(filepath.Join(undo, "x"), 0o700)
	}
	defer func() { crashpoint.Hook = nil }()
	r := run(t, false, "install", "--bundle", b, "--product", "iam", "--home", home, "--replace-keys")
	crashpoint.Hook = nil
	target := filepath.Join(home, "repository/resources/security/primary.p12")
	want := "wso2ks: install into " + home + ": its files are in place, but remove the copy of " + target +
		" kept to undo the install: directory not empty; the next wso2ks install into it (or merge into its deployment.toml) removes what this one left\n"
	if r.code != 3 || r.stderr != want {
		t.Errorf("exit %d\nstderr %q\nwant   %q", r.code, r.stderr, want)
	}
	if r := run(t, false, "verify", home); r.code != 2 {
		t.Errorf("verify with the journal kept: exit %d", r.code)
	}
	os.RemoveAll(undo)
	want = snapshot(t, completed(t, home))
	r = run(t, false, "install", "--bundle", a, "--product", "iam", "--home", home)
	if r.code != 2 || !strings.HasPrefix(r.stderr, "wso2ks: finished an interrupted wso2ks install into "+home+": its 7 files are in place\n") {
		t.Errorf("install after: exit %d\n%s", r.code, r.stderr)
	}
	if got := snapshot(t, home); got != want {
		t.Errorf("the home after recovery:\n%s\nwant:\n%s", got, want)
	}
	assertClean(t, home)
}

// TestRecoveryErrorNamesTheFile: when the next command cannot finish an
// interrupted install, its error names the file it could not replace, not
// the staged copy, and the journal is kept: the run after, once that is
// fixed, finishes it.
func TestRecoveryErrorNamesTheFile(t *testing.T) {
	home, a, b := crashHome(t)
	crash(t, crashpoint.InstallRenamed+"#3", "install", "--bundle", b, "--product", "iam", "--home", home, "--replace-keys")
	var j journal
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(home, journalRel))), &j); err != nil {
		t.Fatal(err)
	}
	// Something put a directory where a file not yet replaced was.
	target := filepath.Join(home, filepath.FromSlash(j.Files[5].Target))
	if err := os.Remove(target); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(target, "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	r := runProcess(t, nil, "install", "--bundle", a, "--product", "iam", "--home", home)
	want := "wso2ks: finish the interrupted install into " + home + " (its journal " + filepath.Join(home, journalRel) + " is kept): replace " + target + ": file exists\n"
	if r.code != 3 || r.stderr != want {
		t.Errorf("exit %d\nstderr %q\nwant   %q", r.code, r.stderr, want)
	}
	if err := os.RemoveAll(target); err != nil {
		t.Fatal(err)
	}
	want = snapshot(t, completed(t, home))
	r = runProcess(t, nil, "install", "--bundle", a, "--product", "iam", "--home", home)
	if r.code != 2 || !strings.HasPrefix(r.stderr, "wso2ks: finished an interrupted wso2ks install into "+home+": its 7 files are in place\n") {
		t.Errorf("install once the directory is gone: exit %d\n%s", r.code, r.stderr)
	}
	if got := snapshot(t, home); got != want {
		t.Errorf("the home after recovery:\n%s\nwant:\n%s", got, want)
	}
	assertClean(t, home)
}
