//go:build !unix

package deploytoml

import (
	"io/fs"
	"os"
)

// SameOwner does nothing where files have no Unix owner.
func SameOwner(f *os.File, like fs.FileInfo) error { return nil }
