//go:build unix

package infile

import "syscall"

// openFlags opens a FIFO without waiting for a writer, so that it can be
// refused; on a regular file O_NONBLOCK changes nothing.
const openFlags = syscall.O_NONBLOCK
