//go:build !unix

package cli

import (
	"os"
	"testing"
)

// Files have no Unix owner here, and there are no named pipes in a
// directory: the tests that need them skip.

func fileOwner(t *testing.T, st os.FileInfo) (uid, gid uint32) {
	t.Skip("no Unix file owners on this system")
	return 0, 0
}

func mkfifo(t *testing.T, path string) { t.Skip("no named pipes in directories on this system") }
