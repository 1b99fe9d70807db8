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
)

// checkOutPath refuses an -o value that cannot be written before any work
// is done: empty (what to give is what), holding a control character, or
// below a file ("-o file/sub"). what names the expected value ("DIR",
// "FILE") and empty says what leaving -o out does.
func checkOutPath(p, what, empty string) error {
	if p == "" {
		return &usageError{fmt.Sprintf("-o is empty; give -o %s, or leave -o out %s", what, empty)}
	}
	if strings.ContainsFunc(p, unicode.IsControl) {
		noun := map[string]string{"DIR": "directory", "FILE": "file"}[what]
		return &usageError{fmt.Sprintf("-o %q holds a control character; give a %s name without one", p, noun)}
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
