//go:build unix

package deploytoml

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestSameOwner: a new file takes the owner of the file it replaces. Only
// root can give a file away; others check with their own ids.
func TestSameOwner(t *testing.T) {
	dir := t.TempDir()
	old := filepath.Join(dir, "deployment.toml")
	if err := os.WriteFile(old, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	uid, gid := 4711, 4712
	if err := os.Chown(old, uid, gid); errors.Is(err, fs.ErrPermission) {
		uid, gid = os.Getuid(), os.Getgid()
	} else if err != nil {
		t.Fatal(err)
	}
	like, err := os.Stat(old)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(dir, "new"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := SameOwner(f, like); err != nil {
		t.Fatal(err)
	}
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	if s := st.Sys().(*syscall.Stat_t); int(s.Uid) != uid || int(s.Gid) != gid {
		t.Errorf("owner %d:%d, want %d:%d", s.Uid, s.Gid, uid, gid)
	}
}
