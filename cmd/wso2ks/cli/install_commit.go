package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

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
		undo, backup := t.abs(f.Undo), t.abs(f.Backup)
		// A backup copied where there are no hard links is another file
		// with the same bytes.
		if f.Backup == "" || exists(backup) && (!exists(undo) || sameContent(undo, backup)) {
			continue // none, or made before an interruption
		}
		if err := linkOrCopy(undo, backup); err != nil {
			return fmt.Errorf("keep %s as %s: %w", t.abs(f.Target), backup, bare(err))
		}
	}
	crashpoint.Reached(crashpoint.InstallBackedUp)
	for i, f := range t.entries() {
		if i == installFailAt {
			return errors.New("injected failure")
		}
		staged, target := t.abs(f.Staged), t.abs(f.Target)
		if !exists(staged) {
			continue // renamed before an interruption
		}
		if !f.Existed && exists(target) {
			return fmt.Errorf("create %s: %w", target, fs.ErrExist)
		}
		if err := os.Rename(staged, target); err != nil {
			return fmt.Errorf("replace %s: %w", target, bare(err))
		}
		crashpoint.Reached(crashpoint.InstallRenamed)
	}
	t.syncDirs()
	t.committed = true
	crashpoint.Reached(crashpoint.InstallCommitted)
	for _, f := range t.j.Files {
		if f.Undo != "" {
			if err := removeIfExists(t.abs(f.Undo)); err != nil {
				return fmt.Errorf("remove the copy of %s kept to undo the install: %w", t.abs(f.Target), bare(err))
			}
		}
	}
	return t.clear()
}

// forwardable reports whether commit can finish the transaction: the
// files renamed come first (renames go in order), each is in place, and
// every other is still staged, with its undo copy for a backup, and none
// it creates has appeared meanwhile. A journal written while staging, or
// by an undo, is never finished.
func (t *txn) forwardable() bool {
	if t.j.State != "" {
		return false
	}
	renaming := true
	for _, f := range t.entries() {
		if exists(t.abs(f.Staged)) {
			renaming = false
			if f.Backup != "" && !exists(t.abs(f.Undo)) && !exists(t.abs(f.Backup)) ||
				!f.Existed && exists(t.abs(f.Target)) { // never replace what was not there
				return false
			}
			continue
		}
		if !renaming || !exists(t.abs(f.Target)) {
			return false
		}
	}
	return true
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
