package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/wso2ks/wso2ks/internal/crashpoint"
)

// The tests of backups where the file system has no hard links (FUSE,
// SMB, vfat): link(2) fails, and the backup is a copy renamed into place,
// so that it is whole or absent all the same.

// noLinks fails as link(2) does on a file system without hard links.
func noLinks(_ *os.Root, oldname, newname string) error {
	return &os.LinkError{Op: "link", Old: oldname, New: newname, Err: syscall.EPERM}
}

// TestBackupWithoutHardLinks: merge and install keep their backups, byte
// for byte the old files, and leave no copy beside them.
func TestBackupWithoutHardLinks(t *testing.T) {
	link = noLinks
	defer func() { link = (*os.Root).Link }()

	dir := t.TempDir()
	dep, orig := copyFixture(t, "merge/is71.toml", dir, "deployment.toml", 0o640)
	snippet := filepath.Join(emitTestdata, "snippets/plain-is71.toml")
	if r := run(t, false, "merge", snippet, dep); r.code != 0 || r.stderr != "" {
		t.Fatalf("merge: %+v", r)
	}
	backup := dep + ".wso2ks-backup"
	if readFile(t, backup) != string(orig) || modeOf(t, backup) != 0o600 {
		t.Errorf("the backup does not hold the original bytes, mode 0600 (%v)", modeOf(t, backup))
	}
	assertEntries(t, dir, "deployment.toml", "deployment.toml.wso2ks-backup")

	home, _, b := crashHome(t)
	old := map[string]string{} // the backup to be, and the bytes it must hold
	for _, name := range []string{"repository/resources/security/primary.p12", "repository/conf/deployment.toml"} {
		p := filepath.Join(home, name)
		backup, err := freeBackupName(openTree(home), p)
		if err != nil {
			t.Fatal(err)
		}
		old[backup] = readFile(t, p)
	}
	if r := run(t, false, "install", "--bundle", b, "--product", "iam", "--home", home, "--replace-keys"); r.code != 0 {
		t.Fatalf("install: %+v", r)
	}
	for backup, data := range old {
		if readFile(t, backup) != data {
			t.Errorf("%s does not hold the old bytes", backup)
		}
	}
	assertClean(t, home)
}

// TestCrashedBackupCopy: a merge stopped with its backup's copy complete
// but not yet renamed leaves no backup; the next merge removes the copies
// and merges, with its own backup.
func TestCrashedBackupCopy(t *testing.T) {
	dir := t.TempDir()
	dep, orig := copyFixture(t, "merge/is71.toml", dir, "deployment.toml", 0o644)
	snippet := filepath.Join(emitTestdata, "snippets/plain-is71.toml")
	noLinks := []string{envNoLinks + "=1"}
	if r := runProcess(t, append(noLinks, envCrashAt+"="+crashpoint.BackupStaged), "merge", snippet, dep); r.code != crashExit {
		t.Fatalf("merge did not stop: exit %d\n%s", r.code, r.stderr)
	}
	if readFile(t, dep) != string(orig) {
		t.Error("the killed merge changed deployment.toml")
	}
	r := runProcess(t, noLinks, "merge", snippet, dep)
	removed := "wso2ks: removed DIR/.deployment.toml.wso2ks-N, a copy of deployment.toml an interrupted wso2ks run staged\n"
	if got := tempRE.ReplaceAllString(strings.ReplaceAll(r.stderr, dir, "DIR"), ".wso2ks-${1}N"); r.code != 0 || got != removed+removed {
		t.Errorf("merge after the crash: exit %d, stderr %q\nwant %q", r.code, got, removed+removed)
	}
	if readFile(t, dep+".wso2ks-backup") != string(orig) {
		t.Error("the backup does not hold the original bytes")
	}
	assertEntries(t, dir, "deployment.toml", "deployment.toml.wso2ks-backup")
}

// TestCrashedInstallWithoutHardLinks: an install stopped while it copies
// its backups, or after, is finished (or undone) on the same file system:
// the home is the new one (or the old), its backups whole, no copy left.
func TestCrashedInstallWithoutHardLinks(t *testing.T) {
	noLinks := []string{envNoLinks + "=1"}
	for _, tt := range []struct {
		moment string
		gone   bool // a staged copy is removed: the install is undone
	}{
		{crashpoint.BackupStaged + "#1", false},
		{crashpoint.BackupStaged + "#6", false},
		{crashpoint.InstallBackedUp, false},
		{crashpoint.InstallRenamed + "#3", false},
		{crashpoint.InstallRenamed + "#3", true},
	} {
		name := tt.moment
		if tt.gone {
			name += ", undone"
		}
		t.Run(name, func(t *testing.T) {
			home, a, b := crashHome(t)
			want := snapshot(t, home)
			r := runProcess(t, append(noLinks, envCrashAt+"="+tt.moment), "install", "--bundle", b, "--product", "iam", "--home", home, "--replace-keys")
			if r.code != crashExit {
				t.Fatalf("install did not stop: exit %d\n%s", r.code, r.stderr)
			}
			said := "wso2ks: undid an interrupted wso2ks install into " + home + ", a file of which had gone: the home is as it was before it\n"
			if tt.gone {
				var j journal
				if err := json.Unmarshal([]byte(readFile(t, filepath.Join(home, journalRel))), &j); err != nil {
					t.Fatal(err)
				}
				if err := os.Remove(filepath.Join(home, filepath.FromSlash(j.Files[5].Staged))); err != nil {
					t.Fatal(err)
				}
			} else {
				want = snapshot(t, completed(t, home))
				said = "wso2ks: finished an interrupted wso2ks install into " + home + ": its 7 files are in place\n"
			}
			r = runProcess(t, noLinks, "install", "--bundle", a, "--product", "iam", "--home", home)
			if !strings.HasPrefix(r.stderr, said) {
				t.Errorf("install after the crash: exit %d\n%s\nwant first\n%s", r.code, r.stderr, said)
			}
			if got := snapshot(t, home); got != want {
				t.Errorf("the home after recovery:\n%s\nwant:\n%s", got, want)
			}
			assertClean(t, home)
		})
	}
}
