//go:build unix

package cli

import (
	"io/fs"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// openNoFollow opens name in the tree for reading, or fails when name
// itself is a symbolic link (O_NOFOLLOW: ELOOP on Linux), so that what is
// done to the open file — chown, chmod, a copy of its bytes — is never
// done to a link's target, even one swapped in after a check. Its
// directory is opened through the tree (os.Root would follow a link at
// the end of name). A FIFO is not waited on.
func (tr *tree) openNoFollow(name string) (f *os.File, err error) {
	err = tr.do(name, func(rel string) error {
		d, err := tr.root.Open(filepath.Dir(rel))
		if err != nil {
			return err
		}
		defer d.Close()
		rc, err := d.SyscallConn()
		if err != nil {
			return err
		}
		fd := -1
		cerr := rc.Control(func(dfd uintptr) {
			fd, err = unix.Openat(int(dfd), filepath.Base(rel), unix.O_RDONLY|unix.O_NOFOLLOW|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
		})
		switch {
		case cerr != nil:
			return cerr
		case err != nil:
			return &fs.PathError{Op: "open", Path: name, Err: err}
		}
		f = os.NewFile(uintptr(fd), name)
		return nil
	})
	return f, err
}
