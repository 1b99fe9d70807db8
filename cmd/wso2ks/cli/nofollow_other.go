//go:build !unix

package cli

import (
	"errors"
	"io/fs"
	"os"
)

// openNoFollow opens name in the tree for reading, or fails when name
// itself is a symbolic link. Without O_NOFOLLOW the check comes before the
// open; these systems have no file owners to give away.
func (tr *tree) openNoFollow(name string) (f *os.File, err error) {
	st, err := tr.lstat(name)
	if err != nil {
		return nil, err
	}
	if st.Mode()&fs.ModeSymlink != 0 {
		return nil, &fs.PathError{Op: "open", Path: name, Err: errors.New("is a symbolic link")}
	}
	err = tr.do(name, func(rel string) error { f, err = tr.root.Open(rel); return err })
	return f, err
}
