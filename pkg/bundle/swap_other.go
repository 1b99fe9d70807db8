//go:build !linux

package bundle

// exchangeDirs: only Linux swaps two directories in one rename.
func exchangeDirs(a, b string) error { return errCannotExchange }
