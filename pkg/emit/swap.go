package emit

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

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
// tmp+OldSuffix and tmp to dir: a crash between the two leaves no dir, and
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
	old := tmp + OldSuffix
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
