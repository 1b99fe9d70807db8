package cli

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/wso2ks/wso2ks/internal/crashpoint"
)

// How an install is finished (install_journal.go), by the run itself or
// by the next command after a crash: from wherever it stands, every step
// done again only where it is not done yet.

// commit finishes the transaction from wherever it stands: the backups
// linked, the files not yet renamed renamed, the undo copies and the
// journal removed. Its errors name the targets, not the copies.
func (t *txn) commit() error {
	for _, f := range t.j.Files {
		if f.Backup == "" {
			continue
		}
		// A backup copied where there are no hard links is another file
		// with the same bytes.
		done, err := t.backedUp(f)
		if err == nil && !done {
			err = linkOrCopy(t.tree, t.abs(f.Undo), t.abs(f.Backup))
		}
		if err != nil {
			return fmt.Errorf("keep %s as %s: %w", t.abs(f.Target), t.abs(f.Backup), bare(err))
		}
	}
	crashpoint.Reached(crashpoint.InstallBackedUp)
	for i, f := range t.entries() {
		if i == installFailAt {
			return errors.New("injected failure")
		}
		tr, target := t.at(f.Target)
		staged, err := t.exists(f.Staged)
		if err == nil && !staged {
			continue // renamed before an interruption
		}
		if err == nil && !f.Existed {
			var there bool
			if there, err = t.exists(f.Target); there {
				return fmt.Errorf("create %s: %w", target, fs.ErrExist)
			}
		}
		if err == nil {
			err = tr.rename(t.abs(f.Staged), target)
		}
		if err != nil {
			return fmt.Errorf("replace %s: %w", target, bare(err))
		}
		crashpoint.Reached(crashpoint.InstallRenamed)
	}
	t.syncDirs()
	t.committed = true
	crashpoint.Reached(crashpoint.InstallCommitted)
	for _, f := range t.j.Files {
		if f.Undo != "" {
			if err := t.remove(f.Undo); err != nil {
				return fmt.Errorf("remove the copy of %s kept to undo the install: %w", t.abs(f.Target), bare(err))
			}
		}
	}
	return t.clear()
}

// backedUp reports whether f's backup was made before an interruption:
// it exists, and its undo copy is gone or holds the same bytes.
func (t *txn) backedUp(f journalFile) (bool, error) {
	backup, err := t.exists(f.Backup)
	if err != nil || !backup {
		return false, err
	}
	undo, err := t.exists(f.Undo)
	if err != nil || !undo {
		return true, err
	}
	return t.sameContent(f.Undo, f.Backup)
}

// forwardable reports whether commit can finish the transaction: the
// files renamed come first (renames go in order), each is in place, and
// every other is still staged, with its undo copy for a backup, and none
// it creates has appeared meanwhile. A journal written while staging, or
// by an undo, is never finished.
func (t *txn) forwardable() (bool, error) {
	if t.j.State != "" {
		return false, nil
	}
	renaming := true
	for _, f := range t.entries() {
		staged, err := t.exists(f.Staged)
		if err != nil {
			return false, err
		}
		target, err := t.exists(f.Target)
		if err != nil {
			return false, err
		}
		if staged {
			renaming = false
			if !f.Existed && target { // never replace what was not there
				return false, nil
			}
			if f.Backup != "" {
				undo, err := t.exists(f.Undo)
				if err != nil {
					return false, err
				}
				backup, err := t.exists(f.Backup)
				if err != nil || !undo && !backup {
					return false, err
				}
			}
			continue
		}
		if !renaming || !target {
			return false, nil
		}
	}
	return true, nil
}

// installedError is a failure after every file of an install was in
// place: the undo copies or the journal are left, which the next command
// that recovers the home removes.
type installedError struct {
	home string
	err  error
}

func (e *installedError) Error() string {
	return fmt.Sprintf("install into %s: its files are in place, but %v; the next wso2ks install into it (or merge into its deployment.toml) removes what this one left", e.home, e.err)
}

func (e *installedError) Unwrap() error { return e.err }
