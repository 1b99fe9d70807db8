//go:build unix

package cli

import (
	"os"

	"golang.org/x/sys/unix"
)

// openNoFollow opens name for reading, or fails when name itself is a
// symbolic link (O_NOFOLLOW: ELOOP on Linux), so that what is done to the
// open file — chown, chmod, a copy of its bytes — is never done to a
// link's target, even one swapped in after a check. A FIFO is not waited
// on.
func openNoFollow(name string) (*os.File, error) {
	return os.OpenFile(name, os.O_RDONLY|unix.O_NOFOLLOW|unix.O_NONBLOCK, 0)
}
