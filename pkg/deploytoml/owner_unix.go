//go:build unix

package deploytoml

import (
	"io/fs"
	"os"
	"syscall"
)

// SameOwner gives f the owner and group of the file like describes, so
// that a deployment.toml merged by root stays readable by the user the
// product runs as. like must describe a file itself (os.Lstat, or Stat of
// the open file), never a symbolic link's target, which may belong to
// anyone. Only root may give a file to another user; for others it
// succeeds when the owner is already theirs.
func SameOwner(f *os.File, like fs.FileInfo) error {
	st, ok := like.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	return f.Chown(int(st.Uid), int(st.Gid))
}
