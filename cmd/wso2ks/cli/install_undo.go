package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"

	"github.com/wso2ks/wso2ks/internal/crashpoint"
)

// How an install is undone (install_journal.go), from wherever a run that
// undid it stopped: every step can be done again, so a crash while undoing
// leaves a journal the next command finishes undoing. With its files
// staged, the journal first says so (stateUndoing), so that the next
// command goes on undoing rather than finish an install half put back;
// then the backups it made are removed, each file put back, last first,
// the copies staged in the directories it made and beside the --secrets
// file removed, then those directories, and last the journal.

// rollback puts the home back as it was before the transaction. The notes
// name the staged copies it removed that the journal did not name. Its
// errors name the targets, not the copies.
func (t *txn) rollback() (notes []string, err error) {
	if t.j.State != stateStaging {
		if err := t.putBackAll(); err != nil {
			return nil, err
		}
	}
	if notes, err = t.removeMade(); err != nil {
		return notes, err
	}
	crashpoint.Reached(crashpoint.InstallUndone)
	return notes, t.clear()
}

// putBackAll puts back every file the journal names, having first said so
// in the journal, and removes the backups made.
func (t *txn) putBackAll() error {
	if t.j.State == "" {
		if err := t.undoable(); err != nil {
			return err
		}
		t.j.State = stateUndoing
		if err := t.write(); err != nil {
			return err
		}
		crashpoint.Reached(crashpoint.InstallUndoing)
	}
	// All the backups before any file: the undo copies they are copies of
	// are there until then.
	for _, f := range t.j.Files {
		if f.Backup == "" {
			continue
		}
		undo, err := t.exists(f.Undo)
		if err == nil && undo {
			var same bool
			if same, err = t.sameContent(f.Undo, f.Backup); err == nil && same {
				err = t.remove(f.Backup)
			}
		}
		if err != nil {
			return fmt.Errorf("remove %s: %w", t.abs(f.Backup), bare(err))
		}
	}
	crashpoint.Reached(crashpoint.InstallUnbackedUp)
	entries := t.entries()
	var errs []error
	for i := len(entries) - 1; i >= 0; i-- {
		err := t.putBack(entries[i])
		if isLinkAppeared(err) {
			return err // and so every other in its directory
		}
		errs = append(errs, err)
		crashpoint.Reached(crashpoint.InstallPutBack)
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	t.syncDirs()
	return nil
}

// undoable reports why the files cannot all be put back: a file renamed
// over whose old bytes are gone. Checked before an undo begins, so that
// an undo never stops half way for want of them.
func (t *txn) undoable() error {
	for _, f := range t.entries() {
		if !f.Existed {
			continue
		}
		staged, err := t.exists(f.Staged)
		if err != nil {
			return err
		}
		undo, err := t.exists(f.Undo)
		if err != nil {
			return err
		}
		if !staged && !undo {
			msg := fmt.Sprintf("%s cannot be put back: the copy of its old bytes install kept is gone", t.abs(f.Target))
			if backup, _ := t.exists(f.Backup); f.Backup != "" && backup {
				msg += "; its backup " + t.abs(f.Backup) + " has them"
			}
			return errors.New(msg)
		}
	}
	return nil
}

// putBack puts f's target back as it was before the transaction.
func (t *txn) putBack(f journalFile) error {
	tr, target := t.at(f.Target)
	staged, err := t.exists(f.Staged)
	if err != nil {
		return fmt.Errorf("put back %s: %w", target, bare(err))
	}
	undo := false
	if !staged && f.Existed {
		if undo, err = t.exists(f.Undo); err != nil {
			return fmt.Errorf("put back %s: %w", target, bare(err))
		}
	}
	switch {
	case staged: // not renamed: the target is as it was
		// The undo copy first: while the staged copy is there, this case
		// is the one a run that does it again takes.
		if f.Undo != "" {
			if err := t.remove(f.Undo); err != nil {
				return fmt.Errorf("remove the copy of %s kept to undo the install: %w", target, bare(err))
			}
		}
		if err := t.remove(f.Staged); err != nil {
			return fmt.Errorf("remove the copy of %s staged: %w", target, bare(err))
		}
	case !f.Existed:
		if t.j.Secrets != nil && f.Target == t.j.Secrets.Target && !isSecretsFile(tr, target) {
			return nil // not the secrets.env install wrote
		}
		if err := t.remove(f.Target); err != nil {
			return fmt.Errorf("remove %s: %w", target, bare(err))
		}
	case undo:
		if err := tr.rename(t.abs(f.Undo), target); err != nil {
			return fmt.Errorf("put back %s: %w", target, bare(err))
		}
		fallthrough
	default: // put back, by this run or one a crash stopped: its mode
		if err := chmodNoFollow(tr, target, f.Mode.Perm()); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("put back %s: %w", target, bare(err))
		}
	}
	return nil
}

// removeMade removes the copies staged in the directories the run made
// (all of its own, when it stopped while staging) and beside the
// --secrets file, then the directories, deepest first, each if empty.
func (t *txn) removeMade() (notes []string, err error) {
	sweep := func(tr *tree, dir, base string) error {
		n, err := removeStagedIn(tr, dir, base)
		notes = append(notes, n...)
		return err
	}
	for _, d := range t.j.Dirs {
		if err := sweep(t.tree, t.abs(d), ""); err != nil {
			return notes, err
		}
	}
	if s := t.j.Secrets; s != nil {
		tr, secrets := t.at(s.Target)
		if err := sweep(tr, filepath.Dir(secrets), filepath.Base(secrets)); err != nil {
			return notes, err
		}
	}
	for i := len(t.j.Dirs) - 1; i >= 0; i-- {
		d := t.abs(t.j.Dirs[i])
		if err := t.tree.remove(d); err != nil && !errors.Is(err, fs.ErrNotExist) {
			if left, rerr := t.tree.readDir(d); rerr != nil || len(left) == 0 {
				return notes, fmt.Errorf("remove %s: %w", d, bare(err))
			} // else someone put a file in it since: it stays
		}
	}
	return notes, nil
}
