package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"

	"github.com/wso2ks/wso2ks/internal/crashpoint"
	"github.com/wso2ks/wso2ks/pkg/deploytoml"
)

// How merge and install replace a file: the new bytes are staged in a
// temporary file beside it (.<name>.wso2ks-<digits>) and renamed over it,
// so that the file is the old one or the new one at every moment. A run
// killed in between leaves the staged copy, which may hold passwords: the
// next merge of that file removes it (removeStaged).

// replaceFile replaces name, in tr, with data atomically: it stages data
// beside name (see stageFile) and renames it into place, then flushes the
// directory. A crash leaves the old file or the new one, and perhaps the
// staged copy, which removeStaged takes away.
func replaceFile(tr *tree, name string, data []byte, mode fs.FileMode, owner fs.FileInfo) error {
	tmp, err := stageFile(tr, name, data, mode, owner)
	if err != nil {
		return err
	}
	crashpoint.Reached(crashpoint.FileStaged)
	if err := tr.rename(tmp, name); err != nil {
		tr.remove(tmp)
		return err
	}
	tr.syncParent(name)
	return nil
}

// stageFile writes data to a new temporary file beside name, in tr, with
// mode and, when owner is not nil, the owner of the file it describes (see
// fillFile), and returns its path for the caller to rename into place. On
// failure nothing is left behind. Install passes no owner: its files are
// the running user's.
func stageFile(tr *tree, name string, data []byte, mode fs.FileMode, owner fs.FileInfo) (string, error) {
	tmp, staged, err := tr.createTemp(name)
	if err != nil {
		return "", err
	}
	err = fillFile(tmp, data, mode, owner)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		tr.remove(staged)
		return "", err
	}
	return staged, nil
}

// fillFile writes data to f with mode and, when owner is not nil, the
// owner and group of the file owner describes, then syncs it. Only root may give a file to
// another user: a failed chown leaves the file to the user who runs
// wso2ks, as an editor would.
func fillFile(f *os.File, data []byte, mode fs.FileMode, owner fs.FileInfo) error {
	if _, err := f.Write(data); err != nil {
		return err
	}
	if err := f.Chmod(mode); err != nil {
		return err
	}
	if owner != nil {
		if err := deploytoml.SameOwner(f, owner); err != nil && !errors.Is(err, fs.ErrPermission) {
			return err
		}
	}
	return f.Sync()
}

// stagedRE matches a staged copy: .<name>.wso2ks-<digits>.
var stagedRE = regexp.MustCompile(`^\.(.+)\.wso2ks-[0-9]+$`)

// removeStaged removes the copies of name, in tr, that an interrupted
// merge staged beside it (.<name>.wso2ks-<digits>, see stageFile): they
// may hold passwords. The caller holds name's lock. Each note names one.
func removeStaged(tr *tree, name string) (notes []string, err error) {
	return removeStagedIn(tr, filepath.Dir(name), filepath.Base(name))
}

// removeStagedIn removes the staged copies in dir, in tr, of the file
// base, or of every file when base is "" (what an interrupted install left
// in a home). A directory that does not exist holds none.
func removeStagedIn(tr *tree, dir, base string) (notes []string, err error) {
	entries, err := tr.readDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		m := stagedRE.FindStringSubmatch(e.Name())
		if m == nil || base != "" && m[1] != base || !e.Type().IsRegular() {
			continue
		}
		staged := filepath.Join(dir, e.Name())
		if err := tr.remove(staged); err != nil {
			return notes, err
		}
		notes = append(notes, fmt.Sprintf("removed %s, a copy of %s an interrupted wso2ks run staged", staged, m[1]))
	}
	return notes, nil
}
