package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/wso2ks/wso2ks/pkg/gen"
)

// How a journal is read back, and what is refused in one: the next
// command trusts nothing a journal names that install would not have
// written.

// pendingInstall refuses a home with a journal: an install into it was
// interrupted and only a command that writes may finish it. verify and
// install --dry-run read only, so they say so instead of reading a home
// that is half one bundle and half another.
func pendingInstall(home string) error {
	name := filepath.Join(home, filepath.FromSlash(journalRel))
	if _, err := os.Lstat(name); err != nil {
		return nil
	}
	return &gen.InputError{File: name, Msg: fmt.Sprintf("an interrupted wso2ks install into %s is pending; run wso2ks install into it again (or wso2ks merge into its deployment.toml), which first finishes or undoes it, then try again", home)}
}

// readJournal reads home's journal: nil when there is none. A journal
// that names a path outside the home (but a --secrets file it creates),
// or a staged copy, undo copy, backup or directory that is not one
// install makes, is refused.
func readJournal(home string) (*txn, error) {
	name := filepath.Join(home, filepath.FromSlash(journalRel))
	// Not waiting on a FIFO someone put in its place, nor following a link.
	tr := openTree(home)
	fh, err := tr.openNoFollow(name)
	tr.Close()
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	if st, err := fh.Stat(); err != nil || !st.Mode().IsRegular() {
		return nil, &gen.InputError{File: name, Msg: "is not a regular file; remove it"}
	}
	data, err := io.ReadAll(io.LimitReader(fh, maxJournal+1))
	if err != nil {
		return nil, err
	}
	t := &txn{home: home}
	if len(data) > maxJournal || json.Unmarshal(data, &t.j) != nil || t.j.Version != 1 || !t.valid() {
		return nil, &gen.InputError{File: name, Msg: "is not an install journal this wso2ks wrote; check the home's files against its backups, then remove it"}
	}
	if link, to, ok := t.throughLink(); ok {
		return nil, &gen.InputError{File: name, Msg: fmt.Sprintf("names files below %s, a symbolic link to %s, and wso2ks does not write through symbolic links; replace the link with a real directory, or check the home's files against its backups, then remove the journal", link, to)}
	}
	secretsDir := ""
	if t.j.Secrets != nil {
		secretsDir = filepath.Dir(filepath.FromSlash(t.j.Secrets.Target))
	}
	open := openTxn(home, secretsDir)
	open.j = t.j
	return open, nil
}

// valid reports whether every path of the journal is one install makes.
func (t *txn) valid() bool {
	stagedOf := func(target, p string) bool {
		dir, base := path.Split(p)
		m := stagedRE.FindStringSubmatch(base)
		return staysIn(p) && m != nil && dir == path.Dir(target)+"/" && m[1] == path.Base(target)
	}
	switch t.j.State {
	case "", stateUndoing:
	case stateStaging:
		if len(t.j.Files) > 0 {
			return false
		}
	default:
		return false
	}
	for _, f := range t.j.Files {
		if !staysIn(f.Target) || !stagedOf(f.Target, f.Staged) || f.Undo != "" && !stagedOf(f.Target, f.Undo) ||
			f.Backup != "" && (f.Undo == "" || !isBackupOf(f.Target, f.Backup)) || f.Existed != (f.Undo != "") {
			return false
		}
	}
	for _, d := range t.j.Dirs {
		if !staysIn(d) || d == "." || path.Clean(d) != d {
			return false
		}
	}
	return t.validSecrets()
}

// isBackupOf reports whether b is one of target's backup names.
func isBackupOf(target, b string) bool {
	rest, ok := strings.CutPrefix(b, target+BackupSuffix)
	n, isNum := strings.CutPrefix(rest, ".")
	return ok && (rest == "" || isNum && n != "" && strings.Trim(n, "0123456789") == "")
}
