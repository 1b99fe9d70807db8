//go:build unix

package cli

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// ownerOfFile is the uid:gid of the file name itself.
func ownerOfFile(t *testing.T, name string) string {
	t.Helper()
	st, err := os.Lstat(name)
	if err != nil {
		t.Fatal(err)
	}
	return ownerUIDGID(st)
}

func mustLchown(t *testing.T, name string, uid, gid int) {
	t.Helper()
	if err := os.Lchown(name, uid, gid); err != nil {
		t.Fatal(err)
	}
}

func needRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("only root can give files to other users")
	}
}

// TestInstallKeepsTheReplacedFilesOwner: root replacing a store that
// belongs to one user, in a directory that belongs to another, leaves the
// new store and its backup to the store's owner; files it creates there
// go to the directory's owner.
func TestInstallKeepsTheReplacedFilesOwner(t *testing.T) {
	needRoot(t)
	dir := t.TempDir()
	bundle := generateBundle(t)
	home := fakeHome(t, dir, "wso2is-7.1.0", "wso2is")
	sec := filepath.Join(home, "repository/resources/security")
	filepath.Walk(home, func(p string, _ os.FileInfo, _ error) error { return os.Lchown(p, 4242, 4343) })
	trust := filepath.Join(sec, "client-truststore.p12")
	mustLchown(t, trust, 4711, 4712)
	if r := run(t, false, "install", "--bundle", bundle, "--home", home); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	for name, want := range map[string]string{
		trust:                         "4711:4712",
		trust + ".wso2ks-backup":      "4711:4712",
		filepath.Join(sec, "tls.p12"): "4242:4343",
		filepath.Join(sec, "wso2ks-install.json"): "4242:4343",
	} {
		if got := ownerOfFile(t, name); got != want {
			t.Errorf("%s is owned by %s, want %s", name, got, want)
		}
	}
}

// TestLinkTargetsNeverDonateTheirOwner: a symbolic link whose target
// belongs to another user never gives that user a file. Install refuses
// the link and leaves its target as it was; below the refusal, the owner
// install copies is the link's own, a directory install made is never
// chowned through a link, nor a file chmodded through one.
func TestLinkTargetsNeverDonateTheirOwner(t *testing.T) {
	needRoot(t)
	dir := t.TempDir()
	bundle := generateBundle(t)
	home := fakeHome(t, dir, "wso2is-7.1.0", "wso2is")
	filepath.Walk(home, func(p string, _ os.FileInfo, _ error) error { return os.Lchown(p, 4242, 4343) })
	outside := filepath.Join(dir, "outside", "tls.p12")
	mustWrite(t, outside, "another user's store\n")
	mustLchown(t, outside, 5151, 5152)
	store := filepath.Join(home, "repository/resources/security/tls.p12")
	mustLink(t, outside, store)
	mustLchown(t, store, 5252, 5253)

	before := snapshot(t, dir)
	r := run(t, false, "install", "--bundle", bundle, "--home", home)
	if want := linkLine(store, outside, homeFileFix); r.code != 2 || r.stderr != want {
		t.Errorf("exit %d, stderr %q\nwant %q", r.code, r.stderr, want)
	}
	if snapshot(t, dir) != before || ownerOfFile(t, outside) != "5151:5152" {
		t.Error("the refused install changed the home or the link's target")
	}

	if st := ownerOf(openTree(home), store); st == nil || ownerUIDGID(st) != "5252:5253" {
		t.Errorf("ownerOf a link: %s, want the link's own 5252:5253", ownerUIDGID(st))
	}
	// Links above the home are followed: the home's owner, not the link's.
	linked := filepath.Join(dir, "current")
	mustLink(t, home, linked)
	mustLchown(t, linked, 5252, 5253)
	if st := ownerOf(openTree(linked), filepath.Join(linked, "new/dir/file")); st == nil || ownerUIDGID(st) != "4242:4343" {
		t.Errorf("ownerOf below a linked home: %s, want the home's 4242:4343", ownerUIDGID(st))
	}

	otherDir := filepath.Join(dir, "etc")
	os.Mkdir(otherDir, 0o755)
	mustLchown(t, otherDir, 5151, 5152)
	dirLink := filepath.Join(home, "made")
	mustLink(t, otherDir, dirLink)
	like, _ := os.Lstat(home)
	if err := chownLike(openTree(home), dirLink, like); err == nil || ownerOfFile(t, otherDir) != "5151:5152" {
		t.Errorf("chownLike through a link: %v; the target is owned by %s", err, ownerOfFile(t, otherDir))
	}
	if err := chmodNoFollow(openTree(home), store, 0o777); err == nil {
		t.Error("chmodNoFollow followed a link")
	}
	if st, _ := os.Stat(outside); st.Mode().Perm() != 0o600 {
		t.Errorf("the link's target is %v", st.Mode())
	}
}

func ownerUIDGID(st fs.FileInfo) string {
	if st == nil {
		return "none"
	}
	sys := st.Sys().(*syscall.Stat_t)
	return fmt.Sprintf("%d:%d", sys.Uid, sys.Gid)
}
