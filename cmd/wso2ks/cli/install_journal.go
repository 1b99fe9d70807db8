package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/wso2ks/wso2ks/internal/crashpoint"
	"github.com/wso2ks/wso2ks/pkg/emit"
	"github.com/wso2ks/wso2ks/pkg/infile"
)

// How install changes a home as one transaction that survives a crash.
// applyChanges stages every new file beside its target and an undo copy of
// every file it replaces (the old bytes, with the backup's mode and the
// old file's owner), all flushed; then writes the journal (journalRel,
// 0600, flushed: paths and modes, no secret); then links each backup to
// its undo copy, renames the staged files over their targets one by one,
// flushes the directories, removes the undo copies and last the journal.
//
// A journal the next command finds (install, or merge of the home's
// deployment.toml: both hold that file's lock, which install holds from
// before it stages until the journal is gone) means a run stopped in
// between. It is rolled forward when every file not yet renamed is still
// staged, which is always so unless something removed a staged copy, and
// rolled back otherwise: every replaced file put back from its undo copy,
// every created file and directory removed, the backups it made removed.

// journalRel is where a home's journal is, relative to the home.
const journalRel = "repository/resources/security/.wso2ks-install.journal"

// maxJournal bounds what is read of a journal.
const maxJournal = 1 << 20

// journal is the plan of one install. Paths are relative to the home,
// with slashes.
type journal struct {
	Version int           `json:"version"`
	Files   []journalFile `json:"files"`
	// Dirs are the directories the run made, outermost first.
	Dirs []string `json:"dirs,omitempty"`
}

type journalFile struct {
	Target  string `json:"target"`
	Staged  string `json:"staged"`
	Existed bool   `json:"existed"`
	// Mode is the replaced file's permission bits; Undo its old bytes;
	// Backup the backup to link to Undo ("" when none is kept).
	Mode   fs.FileMode `json:"mode,omitempty"`
	Undo   string      `json:"undo,omitempty"`
	Backup string      `json:"backup,omitempty"`
}

// txn is a journal of the home it belongs to.
type txn struct {
	home string
	j    journal
}

func (t *txn) abs(rel string) string { return filepath.Join(t.home, filepath.FromSlash(rel)) }

func (t *txn) rel(p string) string {
	r, err := filepath.Rel(t.home, p)
	if err != nil {
		return filepath.ToSlash(p) // not reached: p is in the home
	}
	return filepath.ToSlash(r)
}

// write writes the journal into the home atomically and flushes it.
func (t *txn) write() error {
	t.j.Version = 1
	data, err := json.MarshalIndent(t.j, "", "  ")
	if err != nil {
		return err
	}
	return replaceFile(t.abs(journalRel), append(data, '\n'), emit.FileMode, nil)
}

// commit finishes the transaction from wherever it stands: the backups
// linked, the files not yet renamed renamed, the undo copies and the
// journal removed.
func (t *txn) commit() error {
	for _, f := range t.j.Files {
		undo, backup := t.abs(f.Undo), t.abs(f.Backup)
		if f.Backup == "" || exists(backup) && (sameFile(undo, backup) || !exists(undo)) {
			continue // none, or linked before an interruption
		}
		if err := linkOrCopy(undo, backup, nil); err != nil {
			return err
		}
	}
	crashpoint.Reached(crashpoint.InstallBackedUp)
	for i, f := range t.j.Files {
		if i == installFailAt {
			return errors.New("injected failure")
		}
		if !exists(t.abs(f.Staged)) {
			continue // renamed before an interruption
		}
		if err := os.Rename(t.abs(f.Staged), t.abs(f.Target)); err != nil {
			return err
		}
		crashpoint.Reached(crashpoint.InstallRenamed)
	}
	t.syncDirs()
	crashpoint.Reached(crashpoint.InstallCommitted)
	for _, f := range t.j.Files {
		if f.Undo != "" {
			if err := removeIfExists(t.abs(f.Undo)); err != nil {
				return err
			}
		}
	}
	return t.clear()
}

// rollback puts the home back as it was before the transaction.
func (t *txn) rollback() error {
	var errs []error
	for _, f := range t.j.Files {
		if f.Backup != "" && f.Undo != "" && sameContent(t.abs(f.Undo), t.abs(f.Backup)) {
			errs = append(errs, removeIfExists(t.abs(f.Backup)))
		}
	}
	for i := len(t.j.Files) - 1; i >= 0; i-- {
		f := t.j.Files[i]
		target := t.abs(f.Target)
		switch {
		case exists(t.abs(f.Staged)): // not renamed: the target is the old file
			errs = append(errs, os.Remove(t.abs(f.Staged)))
			if f.Undo != "" {
				errs = append(errs, removeIfExists(t.abs(f.Undo)))
			}
		case !f.Existed:
			errs = append(errs, removeIfExists(target))
		case exists(t.abs(f.Undo)):
			if err := os.Rename(t.abs(f.Undo), target); err != nil {
				errs = append(errs, err)
				continue
			}
			errs = append(errs, chmodNoFollow(target, f.Mode.Perm()))
		default:
			errs = append(errs, fmt.Errorf("%s cannot be put back: its undo copy %s is gone", target, t.abs(f.Undo)))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	t.syncDirs()
	if err := t.clear(); err != nil {
		return err
	}
	// The journal is in one of them, so they go last: a crash now leaves
	// an empty directory at worst.
	for i := len(t.j.Dirs) - 1; i >= 0; i-- {
		os.Remove(t.abs(t.j.Dirs[i])) // only if empty
	}
	return nil
}

// forwardable reports whether commit can finish the transaction: the
// files renamed come first (renames go in order), each is in place, and
// every other is still staged, with its undo copy for a backup.
func (t *txn) forwardable() bool {
	renaming := true
	for _, f := range t.j.Files {
		if exists(t.abs(f.Staged)) {
			renaming = false
			if f.Backup != "" && !exists(t.abs(f.Undo)) && !exists(t.abs(f.Backup)) {
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

// clear removes the journal: the transaction is over.
func (t *txn) clear() error {
	if err := removeIfExists(t.abs(journalRel)); err != nil {
		return err
	}
	syncParent(t.abs(journalRel))
	return nil
}

// syncDirs flushes the directories of the files, so that the renames in
// them survive a power loss.
func (t *txn) syncDirs() {
	done := map[string]bool{}
	for _, f := range t.j.Files {
		if d := filepath.Dir(t.abs(f.Target)); !done[d] {
			done[d] = true
			syncParent(t.abs(f.Target))
		}
	}
}

func exists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}

func removeIfExists(p string) error {
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

func sameFile(a, b string) bool {
	sa, err1 := os.Lstat(a)
	sb, err2 := os.Lstat(b)
	return err1 == nil && err2 == nil && os.SameFile(sa, sb)
}

// sameContent reports whether a and b are one file or hold the same bytes
// (a backup copied where the file system has no hard links).
func sameContent(a, b string) bool {
	if sameFile(a, b) {
		return true
	}
	da, err1 := infile.Read(a, homeKind(a))
	db, err2 := infile.Read(b, homeKind(a))
	return err1 == nil && err2 == nil && bytes.Equal(da, db)
}

// staysIn reports whether rel is a path inside the home.
func staysIn(rel string) bool {
	return rel != "" && filepath.IsLocal(filepath.FromSlash(rel)) && !strings.ContainsRune(rel, '\\')
}
