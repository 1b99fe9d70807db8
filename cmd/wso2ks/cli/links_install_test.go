package cli

import (
	"os"
	"path/filepath"
	"testing"
)

// installLink sets up an install of the bundle into an IS 7.1 home in
// which link makes a symbolic link where install writes, returning it,
// where it points and the fix the line gives.
func installLink(bundle string, link func(t *testing.T, dir, home string) (string, string, string)) func(t *testing.T, dir string) ([]string, string) {
	return func(t *testing.T, dir string) ([]string, string) {
		home := fakeHome(t, dir, "wso2is-7.1.0", "wso2is")
		ks := filepath.Join(dir, "ks")
		copyDir(t, bundle, ks)
		p, to, fix := link(t, dir, home)
		return []string{"install", "--bundle", ks, "--home", home}, linkLine(p, to, fix)
	}
}

// TestInstallThroughALinkedHome: links above the files install writes are
// followed: a home named by a link (/opt/wso2is → /opt/wso2is-7.1.0) is
// installed into, and the link stays a link.
func TestInstallThroughALinkedHome(t *testing.T) {
	dir := t.TempDir()
	bundle := generateBundle(t)
	home := fakeHome(t, dir, "wso2is-7.1.0", "wso2is")
	linked := filepath.Join(dir, "wso2is")
	mustLink(t, "wso2is-7.1.0", linked)
	r := run(t, false, "install", "--bundle", bundle, "--home", linked)
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("%+v", r)
	}
	want := readFile(t, filepath.Join(bundle, "default/iam/repository/resources/security/tls.p12"))
	if readFile(t, filepath.Join(home, "repository/resources/security/tls.p12")) != want || modeOf(t, linked)&os.ModeSymlink == 0 {
		t.Error("the home behind the link was not installed into, or the link was replaced")
	}
	if r := run(t, false, "install", "--bundle", bundle, "--home", linked); r.code != 0 || r.stdout != linked+" is up to date with default/iam\n" {
		t.Errorf("again: %+v", r)
	}
	assertEntries(t, dir, "wso2is", "wso2is-7.1.0")
}

// TestApplyRefusesALinkThatAppeared: a link put where install writes after
// refuseHomeLinks looked is refused as the file is staged, and nothing is
// left behind.
func TestApplyRefusesALinkThatAppeared(t *testing.T) {
	dir := t.TempDir()
	home := filepath.Join(dir, "home")
	outside := filepath.Join(dir, "passwd")
	mustWrite(t, outside, "root:x:0:0::/root:/bin/sh\n")
	store := filepath.Join(home, "repository/resources/security/tls.p12")
	mustWrite(t, filepath.Join(home, "repository/resources/security/primary.p12"), "old\n")
	mustLink(t, outside, store)
	before := snapshot(t, dir)
	changes := []homeChange{
		{rel: "repository/resources/security/primary.p12", path: filepath.Join(home, "repository/resources/security/primary.p12"), data: []byte("new\n"), old: []byte("old\n"), mode: 0o600, backup: true, backupMode: 0o600},
		{rel: "repository/resources/security/tls.p12", path: store, data: []byte("new\n"), mode: 0o600},
	}
	_, err := applyChanges(home, changes, nil)
	if want := linkLine(store, outside, homeFileFix); err == nil || err.Error()+"\n" != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
	if snapshot(t, dir) != before {
		t.Error("the refused install changed the directory")
	}
}

// TestRecoveryRefusesAJournalThroughALink: a journal that names files
// below a directory of the home that is a symbolic link (no install writes
// one: whoever owns the home made it, to have root's next install or merge
// remove or rename files elsewhere) is refused, and the staged copies in
// such a directory are left alone.
func TestRecoveryRefusesAJournalThroughALink(t *testing.T) {
	dir := t.TempDir()
	bundle := generateBundle(t)
	home := fakeHome(t, dir, "wso2is-7.1.0", "wso2is")
	conf, outside := filepath.Join(home, "repository/conf"), filepath.Join(dir, "etc")
	if err := os.Rename(conf, outside); err != nil {
		t.Fatal(err)
	}
	mustLink(t, outside, conf)
	mustWrite(t, filepath.Join(outside, "victim"), "keep me\n")
	mustWrite(t, filepath.Join(outside, ".a.wso2ks-1"), "staged\n")
	journal := filepath.Join(home, filepath.FromSlash(journalRel))
	// Rolled back, it would remove repository/conf/victim: not renamed,
	// never existed.
	mustWrite(t, journal, `{"version": 1, "files": [
  {"target": "repository/conf/a", "staged": "repository/conf/.a.wso2ks-1", "existed": false},
  {"target": "repository/conf/victim", "staged": "repository/conf/.victim.wso2ks-2", "existed": false}]}
`)
	want := journal + ": names files below " + conf + ", a symbolic link to " + outside + ", and wso2ks does not write through symbolic links; replace the link with a real directory, or check the home's files against its backups, then remove the journal\n"
	before := snapshot(t, dir)
	for _, args := range [][]string{
		{"install", "--bundle", bundle, "--home", home},
		mergeArgs(filepath.Join(conf, "deployment.toml")),
	} {
		r := run(t, false, args...)
		if r.code != 2 || r.stderr != want || r.stdout != "" {
			t.Errorf("%s: exit %d, stdout %q\nstderr %q\nwant   %q", args[0], r.code, r.stdout, r.stderr, want)
		}
		if snapshot(t, dir) != before {
			t.Errorf("%s changed the directory", args[0])
		}
	}
	// Without the journal, the staged copy behind the link stays too.
	os.Remove(journal)
	if r := run(t, false, mergeArgs(filepath.Join(conf, "deployment.toml"))...); r.code != 0 || r.stderr != "" {
		t.Errorf("merge: %+v", r)
	}
	if _, err := os.Stat(filepath.Join(outside, ".a.wso2ks-1")); err != nil {
		t.Errorf("a copy staged behind a link was removed: %v", err)
	}
}

// TestApplyRefusesAFileThatChanged: the old bytes install keeps of a file
// it replaces are those it read, and still the file's own in the home:
// bytes it read through a link that has gone since (from a file of
// root's, say) never land in a backup. The file is refused, and nothing
// is left behind.
func TestApplyRefusesAFileThatChanged(t *testing.T) {
	dir := t.TempDir()
	home := filepath.Join(dir, "home")
	store := filepath.Join(home, "repository/resources/security/primary.p12")
	mustWrite(t, store, "the home's own store\n")
	before := snapshot(t, dir)
	changes := []homeChange{
		{rel: "repository/resources/security/primary.p12", path: store, data: []byte("new\n"), old: []byte("root:x:0:0::/root:/bin/sh\n"), mode: 0o600, backup: true, backupMode: 0o600},
	}
	_, err := applyChanges(home, changes, nil)
	if want := store + ": changed while install ran; run install again"; err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
	if snapshot(t, dir) != before {
		t.Error("the refused install changed the directory")
	}
}
