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
	_, err := applyChanges(home, changes)
	if want := linkLine(store, outside, homeFileFix); err == nil || err.Error()+"\n" != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
	if snapshot(t, dir) != before {
		t.Error("the refused install changed the directory")
	}
}
