package bundle

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// exchangeDirs swaps a and b with renameat2(2)'s RENAME_EXCHANGE (Linux
// 3.15). A kernel or file system without it (ENOSYS, EINVAL, EOPNOTSUPP)
// gives errCannotExchange.
func exchangeDirs(a, b string) error {
	err := unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, unix.ENOSYS), errors.Is(err, unix.EINVAL), errors.Is(err, unix.EOPNOTSUPP):
		return errCannotExchange
	}
	return &os.LinkError{Op: "exchange", Old: a, New: b, Err: err}
}
