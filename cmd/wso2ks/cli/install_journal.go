package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/wso2ks/wso2ks/pkg/bundle"
)

// How install changes a home as one transaction that survives a crash.
// applyChanges first writes the journal (journalRel, at the top of the
// home: 0600, flushed, paths and modes, no secret) saying what it is about
// to make: the directories and the --secrets file (stateStaging). It then
// stages every new file beside its target and an undo copy of every file
// it replaces (the old bytes, with the backup's mode and the old file's
// owner), all flushed; then writes the journal again naming them; then
// links each backup to its undo copy, renames the staged files over their
// targets one by one, the --secrets file last, flushes the directories,
// removes the undo copies and last the journal.
//
// A journal the next command finds (install, or merge of the home's
// deployment.toml: both hold that file's lock, which install holds from
// before it writes the journal until it is gone) means a run stopped in
// between. One written while staging is undone. Otherwise it is rolled
// forward when every file not yet renamed is still staged, which is always
// so unless something removed a staged copy, and rolled back otherwise
// (install_undo.go): every replaced file put back from its undo copy,
// every created file and directory removed, the backups it made removed.

// journalRel is where a home's journal is, relative to the home: at its
// top, which install never makes, so that the journal outlives every
// directory an undo removes.
const journalRel = ".wso2ks-install.journal"

// maxJournal bounds what is read of a journal.
const maxJournal = 1 << 20

// The states of a journal: "" once every file is staged.
const (
	// stateStaging: the run is making directories and staging files,
	// none renamed yet; the next command undoes it.
	stateStaging = "staging"
	// stateUndoing: an undo has begun; the next command finishes it.
	stateUndoing = "undoing"
)

// journal is the plan of one install. Paths are relative to the home,
// with slashes, but the --secrets file's.
type journal struct {
	Version int           `json:"version"`
	State   string        `json:"state,omitempty"`
	Files   []journalFile `json:"files"`
	// Dirs are the directories the run makes, outermost first.
	Dirs []string `json:"dirs,omitempty"`
	// Secrets is install's --secrets file, an absolute path (it is not in
	// the home as a rule), created and never replaced: Staged is ""
	// until it is staged.
	Secrets *journalFile `json:"secrets,omitempty"`
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
	// tree is the home's, secrets the --secrets file's directory's (nil
	// without one): every change goes through them (tree.go).
	tree, secrets *tree
	j             journal
	// committed: every file is in place (commit got past its renames).
	committed bool
}

// openTxn opens the trees of home and of the --secrets file in the
// directory secretsDir ("" when none). Close it when done.
func openTxn(home, secretsDir string) *txn {
	t := &txn{home: home, tree: openTree(home)}
	if secretsDir != "" {
		t.secrets = openTree(secretsDir)
	}
	return t
}

func (t *txn) Close() {
	t.tree.Close()
	t.secrets.Close()
}

// at is the tree rel, a path of the journal, is in, and its path.
func (t *txn) at(rel string) (*tree, string) {
	if filepath.IsAbs(filepath.FromSlash(rel)) && t.secrets != nil {
		return t.secrets, t.abs(rel)
	}
	return t.tree, t.abs(rel)
}

// exists reports whether rel, a path of the journal, exists; any error
// but its absence is returned.
func (t *txn) exists(rel string) (bool, error) {
	tr, p := t.at(rel)
	return tr.present(p)
}

// remove removes rel, a path of the journal, if it exists.
func (t *txn) remove(rel string) error {
	tr, p := t.at(rel)
	return tr.removeIfExists(p)
}

// abs is the path of rel, a path of the journal: relative to the home,
// or absolute for the --secrets file (valid allows no other).
func (t *txn) abs(rel string) string {
	if p := filepath.FromSlash(rel); filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(t.home, filepath.FromSlash(rel))
}

func (t *txn) rel(p string) string {
	r, err := filepath.Rel(t.home, p)
	if err != nil {
		return filepath.ToSlash(p) // not reached: p is in the home
	}
	return filepath.ToSlash(r)
}

// entries are the files the transaction renames, in order: the home's,
// then the --secrets file once it is staged.
func (t *txn) entries() []journalFile {
	if t.j.Secrets == nil || t.j.Secrets.Staged == "" {
		return t.j.Files
	}
	return append(slices.Clip(t.j.Files), *t.j.Secrets)
}

// begin writes the journal of a run about to stage its files: the
// directories it will make and the --secrets file, so that the next
// command undoes what a crash leaves while it stages.
func (t *txn) begin(changes []homeChange, secrets *secretsFile) error {
	t.j.State = stateStaging
	for _, c := range changes {
		missing, err := missingDirs(t.tree, filepath.Dir(c.path))
		if err != nil {
			return err
		}
		for _, d := range missing {
			if rel := t.rel(d); !slices.Contains(t.j.Dirs, rel) {
				t.j.Dirs = append(t.j.Dirs, rel)
			}
		}
	}
	if secrets != nil {
		t.j.Secrets = &journalFile{Target: filepath.ToSlash(secrets.path)}
	}
	return t.write()
}

// write writes the journal into the home atomically and flushes it.
func (t *txn) write() error {
	t.j.Version = 1
	data, err := json.MarshalIndent(t.j, "", "  ")
	if err != nil {
		return err
	}
	return replaceFile(t.tree, t.abs(journalRel), append(data, '\n'), bundle.FileMode, nil)
}

// clear removes the journal: the transaction is over.
func (t *txn) clear() error {
	if err := t.remove(journalRel); err != nil {
		return err
	}
	t.tree.syncParent(t.abs(journalRel))
	return nil
}

// syncDirs flushes the directories of the files, so that the renames in
// them survive a power loss.
func (t *txn) syncDirs() {
	done := map[string]bool{}
	for _, f := range t.entries() {
		if tr, p := t.at(f.Target); !done[filepath.Dir(p)] {
			done[filepath.Dir(p)] = true
			tr.syncParent(p)
		}
	}
}

// sameContent reports whether a and b, paths of the journal in the home,
// are one file or hold the same bytes (a backup copied where the file
// system has no hard links). It fails only for a link that appeared on
// the way to them (tree.go): whatever else keeps it from reading them, they
// are not the same.
func (t *txn) sameContent(a, b string) (bool, error) {
	sa, err1 := t.tree.lstat(t.abs(a))
	sb, err2 := t.tree.lstat(t.abs(b))
	if err := errors.Join(err1, err2); isLinkAppeared(err) {
		return false, err
	}
	if err1 == nil && err2 == nil && os.SameFile(sa, sb) {
		return true, nil
	}
	da, err1 := t.tree.readFile(t.abs(a), homeKind(a))
	db, err2 := t.tree.readFile(t.abs(b), homeKind(a))
	if err := errors.Join(err1, err2); isLinkAppeared(err) {
		return false, err
	}
	return err1 == nil && err2 == nil && bytes.Equal(da, db), nil
}

// bare is the error under err's *fs.PathError or *os.LinkError, whose
// paths may be a staged copy's: the caller names the file the user knows.
func bare(err error) error {
	var pe *fs.PathError
	var le *os.LinkError
	switch {
	case errors.As(err, &pe):
		return pe.Err
	case errors.As(err, &le):
		return le.Err
	}
	return err
}

// staysIn reports whether rel is a path inside the home.
func staysIn(rel string) bool {
	return rel != "" && filepath.IsLocal(filepath.FromSlash(rel)) && !strings.ContainsRune(rel, '\\')
}
