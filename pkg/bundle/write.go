package bundle

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"github.com/wso2ks/wso2ks/internal/crashpoint"
)

// Write puts the bundle at dir atomically: every file is written into a new
// directory beside dir, which is then renamed into place. An existing
// non-empty dir is refused unless force is set; with force the old bundle is
// swapped out only once the new one is complete (replaceDir), and restored
// if the swap fails. On any error nothing is left behind; after a crash dir
// holds the old bundle or the new one, or Recover restores the old one, and
// Recover removes what the crashed run left beside it.
func (b *Bundle) Write(dir string, force bool) (err error) {
	dir = filepath.Clean(dir)
	empty, err := isEmptyOrMissing(dir)
	if err != nil {
		return err
	}
	if !empty && !force {
		return fmt.Errorf("%s: %w", dir, ErrExists)
	}
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, DirMode); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+newInfix)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	for i, f := range b.Files {
		if err := writeFile(tmp, f); err != nil {
			return err
		}
		if i == 0 {
			crashpoint.Reached(crashpoint.BundlePartial)
		}
	}
	if err := syncDir(tmp); err != nil {
		return err
	}
	crashpoint.Reached(crashpoint.BundleStaged)
	if empty {
		// rename(2) replaces an empty directory; a missing one is created.
		if err := os.Remove(dir); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		if err := os.Rename(tmp, dir); err != nil {
			return err
		}
		syncParent(dir)
		return nil
	}
	return replaceDir(tmp, dir)
}

func writeFile(root string, f File) error {
	if !filepath.IsLocal(f.Path) {
		return fmt.Errorf("bundle file %q is not a relative path", f.Path)
	}
	full := filepath.Join(root, filepath.FromSlash(f.Path))
	if err := os.MkdirAll(filepath.Dir(full), DirMode); err != nil {
		return err
	}
	mode := f.Mode
	if mode == 0 {
		mode = FileMode
	}
	fh, err := os.OpenFile(full, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return err
	}
	if _, err := fh.Write(f.Data); err != nil {
		fh.Close()
		return err
	}
	if err := fh.Sync(); err != nil {
		fh.Close()
		return err
	}
	return fh.Close()
}

// syncDir flushes the directory entries below root, so that the rename
// publishes a complete tree after a crash.
func syncDir(root string) error {
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		fh, err := os.Open(p)
		if err != nil {
			return err
		}
		defer fh.Close()
		return fh.Sync()
	})
}

// CheckTarget returns ErrExists when dir exists and is not empty, so that a
// caller can refuse before doing any work.
func CheckTarget(dir string) error {
	empty, err := isEmptyOrMissing(filepath.Clean(dir))
	if err == nil && !empty {
		err = fmt.Errorf("%s: %w", dir, ErrExists)
	}
	return err
}

func isEmptyOrMissing(dir string) (bool, error) {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return true, nil
	case errors.Is(err, syscall.ENOTDIR):
		if st, serr := os.Stat(dir); serr == nil && !st.IsDir() {
			return false, fmt.Errorf("%s %w", dir, ErrNotDir)
		}
		return false, err // a parent is a file: an I/O failure
	case err != nil:
		return false, err
	}
	return len(entries) == 0, nil
}
