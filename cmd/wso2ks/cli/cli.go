// Package cli implements the wso2ks command line.
package cli

import "io"

// Main runs wso2ks with args and returns the process exit code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return 0
}
