//go:build !unix

package infile

// openFlags: systems without FIFOs in the file system need no flag.
const openFlags = 0
