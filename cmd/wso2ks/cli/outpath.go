package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"unicode"

	"github.com/spf13/cobra"
)

// checkOutPath refuses an -o value of c that cannot be written before any
// work is done: empty, a format word (checkNotFormat; writes is what -o
// names, "the bundle directory"), holding a control character, below a
// file ("-o file/sub"), or a symbolic link itself (links.go; links above
// it are followed). empty says what leaving -o out does.
func checkOutPath(c *cobra.Command, p, writes, empty string) error {
	what := "DIR"
	if c.Flags().ShorthandLookup("o").Name == "output-file" {
		what = "FILE"
	}
	if err := checkNotFormat(c, p, writes); err != nil {
		return err
	}
	if p == "" {
		return &usageError{fmt.Sprintf("-o is empty; give -o %s, or leave -o out %s", what, empty)}
	}
	noun := map[string]string{"DIR": "directory", "FILE": "file"}[what]
	if strings.ContainsFunc(p, unicode.IsControl) {
		return &usageError{fmt.Sprintf("-o %q holds a control character; give a %s name without one", p, noun)}
	}
	if err := refuseLink(filepath.Clean(p), "-o %s", noun); err != nil {
		return err
	}
	for dir := filepath.Dir(filepath.Clean(p)); ; dir = filepath.Dir(dir) {
		st, err := os.Stat(dir)
		switch {
		case err == nil && !st.IsDir():
			return &usageError{fmt.Sprintf("-o %s: %s is a file, not a directory; choose another -o %s", p, dir, what)}
		case err == nil, !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR):
			return nil // a directory, or unknown: writing reports it
		case dir == filepath.Dir(dir):
			return nil
		}
	}
}

// checkBundleDir refuses a directory a command replaces that is not given
// with -o — the DIR of renew, rotate, csr, import-cert and generate
// --update, k8s's default BUNDLE_DIR/k8s; give says how to name another —
// when it is a symbolic link itself, before any work is done (links.go).
func checkBundleDir(dir, give string) error {
	return refuseLink(filepath.Clean(dir), give, "directory")
}
