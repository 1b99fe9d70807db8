package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"

	"github.com/wso2ks/wso2ks/internal/crashpoint"
	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/deploytoml"
	"github.com/wso2ks/wso2ks/pkg/gen"
)

// installFailAt, when set by a test, fails the swap before change i, to
// prove the rollback.
var installFailAt = -1

// applyChanges writes every change and the --secrets file (when not nil)
// or none, as one journaled transaction (install_journal.go): a journal
// of the directories it makes and the --secrets file, then every new file
// staged beside its target and an undo copy kept of every file it
// replaces, then the journal naming them, the backups linked and the
// staged files renamed into place. A failure before the files are in
// place undoes what was done; a crash leaves the journal for the next
// command. It returns the backups written.
func applyChanges(home string, changes []homeChange, secrets *secretsFile) (_ []string, err error) {
	secretsDir := ""
	if secrets != nil {
		secretsDir = filepath.Dir(secrets.path)
	}
	t := openTxn(home, secretsDir)
	defer t.Close()
	var made []string // staged and undo copies, as the journal names them
	begun := false
	defer func() {
		switch {
		case err == nil || !begun:
		case t.committed:
			err = &installedError{home: home, err: err}
		default:
			for _, p := range made {
				t.remove(p) // in directories the journal does not make
			}
			err = t.abandon(err)
		}
	}()
	if err := t.begin(changes, secrets); err != nil {
		return nil, err
	}
	begun = true
	crashpoint.Reached(crashpoint.InstallBegun)
	for _, c := range changes {
		st, err := ownInfo(t.tree, c.path)
		if err != nil {
			return nil, err
		}
		if st != nil && st.Mode().Perm()&0o200 == 0 {
			return nil, &gen.InputError{File: c.path, Msg: "the file is read-only; make it writable (chmod u+w) and install again"}
		}
		// Files and directories install makes belong to whoever owns what
		// they replace, or the nearest existing directory: root installing
		// into a home owned by the product's user must not leave it files
		// it cannot read.
		owner := ownerOf(t.tree, c.path)
		made1, err := mkdirs(t.tree, filepath.Dir(c.path))
		if err != nil {
			return nil, err
		}
		for _, d := range made1 {
			if err := chownLike(t.tree, d, owner); err != nil {
				return nil, err
			}
		}
		if st, err := t.tree.stat(filepath.Dir(c.path)); err == nil && st.Mode().Perm()&0o200 == 0 {
			return nil, &gen.InputError{File: filepath.Dir(c.path), Msg: "the directory is read-only; make it writable and install again"}
		}
		staged, err := stageFile(t.tree, c.path, c.data, c.mode, owner)
		if err != nil {
			return nil, fmt.Errorf("write %s: %w", c.path, bare(err))
		}
		jf := journalFile{Target: t.rel(c.path), Staged: t.rel(staged)}
		made = append(made, jf.Staged)
		if c.old != nil {
			if jf, err = stageUndo(t, jf, c); err != nil {
				return nil, err
			}
			made = append(made, jf.Undo)
		}
		t.j.Files = append(t.j.Files, jf)
	}
	if secrets != nil {
		staged, err := stageFile(t.secrets, secrets.path, secrets.data, bundle.FileMode, nil)
		if err != nil {
			return nil, fmt.Errorf("write %s: %w", secrets.path, bare(err))
		}
		t.j.Secrets.Staged = filepath.ToSlash(staged)
		made = append(made, t.j.Secrets.Staged)
	}
	t.syncDirs()
	crashpoint.Reached(crashpoint.InstallStaged)
	t.j.State = ""
	if err := t.write(); err != nil {
		t.j.State = stateStaging // as the journal still says
		return nil, err
	}
	made = nil // the journal names them now
	crashpoint.Reached(crashpoint.InstallJournaled)
	if err := t.commit(); err != nil {
		return nil, err
	}
	var backups []string
	for _, f := range t.j.Files {
		if f.Backup != "" {
			backups = append(backups, t.abs(f.Backup))
		}
	}
	return backups, nil
}

// abandon undoes the transaction a run stopped by err, but one the home
// has a symbolic link on the way to: the directory the link replaced
// holds its files, so the journal is kept for the next command, which
// refuses it until the link is gone (readJournal), then finishes or undoes
// it.
func (t *txn) abandon(err error) error {
	if link, to, ok := t.throughLink(); ok {
		return fmt.Errorf("%w; the install is neither finished nor undone while %s is a symbolic link to %s: its journal %s is kept for the next wso2ks install into %s, which finishes or undoes it once the directory is back", err, link, to, t.abs(journalRel), t.home)
	}
	if _, rerr := t.rollback(); rerr != nil {
		return fmt.Errorf("%w; and %s could not be put back (%w): the next wso2ks install into it will", err, t.home, rerr)
	}
	return err
}

// stageUndo keeps the old bytes of the file c replaces beside it, with its
// owner and the backup's mode (the old file's mode when no backup is
// kept), and picks the backup's name; jf records both. The bytes are
// those install read, and still those of the file itself in the home,
// read through the tree without following a link: bytes read through a
// link that has gone since (to a file of root's, say) never land in a
// backup owned by the home's owner.
func stageUndo(t *txn, jf journalFile, c homeChange) (journalFile, error) {
	st, err := ownInfo(t.tree, c.path)
	if err != nil {
		return jf, err
	}
	if st == nil {
		return jf, fmt.Errorf("%s: %w", c.path, fs.ErrNotExist)
	}
	st, data, err := readNoFollow(t.tree, c.path)
	if err != nil {
		return jf, fmt.Errorf("back up %s: %w", c.path, bare(err))
	}
	if !bytes.Equal(data, c.old) {
		return jf, &gen.InputError{File: c.path, Msg: "changed while install ran; run install again"}
	}
	jf.Existed, jf.Mode = true, st.Mode().Perm()
	mode := jf.Mode
	if c.backup {
		mode = c.backupMode
		backup, err := freeBackupName(t.tree, c.path)
		if err != nil {
			return jf, fmt.Errorf("back up %s: %w", c.path, err)
		}
		jf.Backup = t.rel(backup)
	}
	undo, err := stageFile(t.tree, c.path, c.old, mode, st)
	if err != nil {
		return jf, fmt.Errorf("back up %s: %w", c.path, bare(err))
	}
	jf.Undo = t.rel(undo)
	return jf, nil
}

// mkdirs makes dir, in tr, and its missing parents with DirMode, returning
// the ones it made, outermost first.
func mkdirs(tr *tree, dir string) ([]string, error) {
	missing, err := missingDirs(tr, dir)
	if err != nil {
		return nil, err
	}
	var made []string
	for _, d := range missing {
		if err := tr.mkdir(d, bundle.DirMode); err != nil {
			return made, err
		}
		made = append(made, d)
	}
	return made, nil
}

// missingDirs are dir, in tr, and its parents that do not exist,
// outermost first.
func missingDirs(tr *tree, dir string) ([]string, error) {
	var missing []string
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := tr.stat(d); err == nil {
			break
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		missing = append([]string{d}, missing...)
		if filepath.Dir(d) == d {
			break
		}
	}
	return missing, nil
}

// ownerOf describes the file at p in tr, a home, or its nearest existing
// directory: the file or directory itself (Lstat), never a link's target,
// below the home; the home itself as its path led to it.
func ownerOf(tr *tree, p string) fs.FileInfo {
	home := filepath.Clean(tr.dir)
	for ; p != home && filepath.Dir(p) != p; p = filepath.Dir(p) {
		if st, err := tr.lstat(p); err == nil {
			return st
		}
	}
	if st, err := tr.stat(home); err == nil {
		return st
	}
	return nil
}

// chownLike gives dir, in tr, a directory install made, the owner of
// like, where the system allows it; a symbolic link in its place is not
// followed.
func chownLike(tr *tree, dir string, like fs.FileInfo) error {
	if like == nil {
		return nil
	}
	f, err := tr.openNoFollow(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := deploytoml.SameOwner(f, like); err != nil && !errors.Is(err, fs.ErrPermission) {
		return err
	}
	return nil
}
