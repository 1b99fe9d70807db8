//go:build !unix

package cli

import (
	"errors"
	"io/fs"
	"os"
)

// openNoFollow opens name for reading, or fails when name itself is a
// symbolic link. Without O_NOFOLLOW the check comes before the open; these
// systems have no file owners to give away.
func openNoFollow(name string) (*os.File, error) {
	if st, err := os.Lstat(name); err == nil && st.Mode()&fs.ModeSymlink != 0 {
		return nil, &fs.PathError{Op: "open", Path: name, Err: errors.New("is a symbolic link")}
	}
	return os.Open(name)
}
