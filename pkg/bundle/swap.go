package bundle

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/wso2ks/wso2ks/internal/crashpoint"
)

// errCannotExchange is what exchange returns where the system or the file
// system cannot swap two directories in one rename.
var errCannotExchange = errors.New("cannot exchange directories")

// exchange swaps the directories a and b in one step (exchangeDirs); tests
// replace it to take the fallback.
var exchange = exchangeDirs

// replaceDir puts the complete tree tmp in the place of the bundle dir.
// Where the system can, the two swap places in one rename, so that dir
// holds the old bundle or the new one at every moment, and the old one is
// removed from tmp afterwards. Elsewhere the old bundle is renamed to
// tmp+oldSuffix and tmp to dir: a crash between the two leaves no dir, and
// Recover puts the old bundle back.
func replaceDir(tmp, dir string) error {
	err := exchange(tmp, dir)
	switch {
	case err == nil:
		crashpoint.Reached(crashpoint.BundleExchanged)
		syncParent(dir)
		return os.RemoveAll(tmp) // the old bundle now
	case !errors.Is(err, errCannotExchange):
		return err
	}
	old := tmp + oldSuffix
	if err := os.Rename(dir, old); err != nil {
		return err
	}
	crashpoint.Reached(crashpoint.BundleMovedAside)
	if err := os.Rename(tmp, dir); err != nil {
		if rerr := os.Rename(old, dir); rerr != nil {
			return fmt.Errorf("%w (and the old bundle is left at %s: %v)", err, old, rerr)
		}
		return err
	}
	crashpoint.Reached(crashpoint.BundleRenamed)
	syncParent(dir)
	return os.RemoveAll(old)
}

// syncParent flushes the directory that holds name, so that a rename in it
// survives a power loss. The rename is done by then: a failure to flush is
// not reported as a failure to write.
func syncParent(name string) {
	fh, err := os.Open(filepath.Dir(name))
	if err != nil {
		return
	}
	fh.Sync()
	fh.Close()
}

// What an interrupted Write leaves beside the bundle dir: its new tree,
// .<name>.wso2ks-new-<digits> (which after an exchange holds the old
// bundle instead), and in the fallback the old bundle it moved aside, the
// same name with oldSuffix. Both hold keys and passwords.
const (
	newInfix  = ".wso2ks-new-"
	oldSuffix = ".old"
)

// Recover puts right what an interrupted Write to dir left: when dir is
// missing and an old bundle was moved aside (the fallback's crash window),
// it is renamed back to dir; every other leftover is removed. Run it while
// holding dir's lock, before reading the bundle. Each note says what was
// done, naming paths only.
func Recover(dir string) (notes []string, err error) {
	dir = filepath.Clean(dir)
	parent, prefix := filepath.Dir(dir), "."+filepath.Base(dir)+newInfix
	entries, err := os.ReadDir(parent)
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.ENOTDIR) {
		return nil, nil // nothing could have been written there
	}
	if err != nil {
		return nil, err
	}
	var left, old []fs.DirEntry
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), prefix)
		digits, aside := strings.CutSuffix(rest, oldSuffix)
		if !ok || !isDigits(digits) {
			continue
		}
		if aside {
			old = append(old, e)
		} else {
			left = append(left, e)
		}
	}
	if len(left)+len(old) == 0 {
		return nil, nil
	}
	defer syncParent(dir)
	if _, err := os.Lstat(dir); errors.Is(err, fs.ErrNotExist) && len(old) > 0 {
		i := newest(old)
		from := filepath.Join(parent, old[i].Name())
		if err := os.Rename(from, dir); err != nil {
			return notes, fmt.Errorf("restore %s from %s: %w", dir, from, err)
		}
		notes = append(notes, fmt.Sprintf("restored %s from %s, where an interrupted wso2ks run had moved it aside", dir, from))
		old = append(old[:i], old[i+1:]...)
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	for _, e := range append(left, old...) {
		name := filepath.Join(parent, e.Name())
		if err := os.RemoveAll(name); err != nil {
			return notes, fmt.Errorf("remove %s, left by an interrupted wso2ks run: %w", name, err)
		}
		notes = append(notes, fmt.Sprintf("removed %s, left by an interrupted wso2ks run", name))
	}
	return notes, nil
}

// newest returns the index of the entry modified last: with locking there
// is only one old bundle aside, but an older wso2ks may have left more.
func newest(entries []fs.DirEntry) int {
	best, when := 0, int64(-1)
	for i, e := range entries {
		if info, err := e.Info(); err == nil && info.ModTime().UnixNano() > when {
			best, when = i, info.ModTime().UnixNano()
		}
	}
	return best
}

func isDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}
