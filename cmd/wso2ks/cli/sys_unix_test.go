//go:build unix

package cli

import (
	"os"
	"syscall"
	"testing"
)

// fileOwner is the owner and group of the file st describes.
func fileOwner(t *testing.T, st os.FileInfo) (uid, gid uint32) {
	t.Helper()
	sys := st.Sys().(*syscall.Stat_t)
	return sys.Uid, sys.Gid
}

// mkfifo makes a named pipe at path.
func mkfifo(t *testing.T, path string) {
	t.Helper()
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Fatal(err)
	}
}
