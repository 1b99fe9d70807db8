package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/wso2ks/wso2ks/pkg/gen"
	"github.com/wso2ks/wso2ks/pkg/infile"
)

// The symbolic link rule, one for every command that writes. wso2ks
// follows symbolic links in the directories above a path the user gives (a
// home /opt/wso2is that links to /opt/wso2is-7.1.0, -o /data/ks where /data
// is a link) and when it only reads a file (inputs, verify, dry runs). It
// never writes through one: when what it would create, replace or write
// into at the end of a path is itself a symbolic link, it refuses (exit 2)
// before it writes or locks anything, naming the link, where it points and
// the fix. In a home, install refuses a link at each file it writes, at its
// backups' names and at every directory inside the home above one: whoever
// owns the home could otherwise point root's install at /etc. A file replaced keeps the owner and mode of the file itself (Lstat
// or the open file), never those of a link's target. The checks come
// first; every change after them goes through a tree (tree.go), so that a
// link that appears meanwhile makes the run fail, not write through it.

// refuseLink refuses p when p itself is a symbolic link. give is what the
// user could give instead, with %s for the link's target resolved against
// p's directory ("-o %s"); kind is what the link should be replaced with
// ("directory", "file").
func refuseLink(p, give, kind string) error {
	to, ok := linkAt(p)
	if !ok {
		return nil
	}
	resolved := to
	if !filepath.IsAbs(to) {
		resolved = filepath.Join(filepath.Dir(p), to)
	}
	return linkError(p, to, "give "+fmt.Sprintf(give, resolved)+" instead, or replace the link with a real "+kind)
}

// linkAt reports whether p itself is a symbolic link, and what it holds.
func linkAt(p string) (to string, ok bool) {
	st, err := os.Lstat(p)
	if err != nil || st.Mode()&fs.ModeSymlink == 0 {
		return "", false
	}
	to, err = os.Readlink(p)
	if err != nil {
		to = "a path that cannot be read"
	}
	return to, true
}

// homeFileFix is the fix for a link at a file install writes in a home.
const homeFileFix = "install replaces no file through one: replace the link with a real file, or remove it"

func linkError(p, to, fix string) error {
	return &gen.InputError{File: p, Msg: fmt.Sprintf("is a symbolic link to %s, and wso2ks does not write through symbolic links; %s", to, fix)}
}

// refuseFileLinks refuses name, a file merge replaces, when it is a
// symbolic link (give: see refuseLink), and any of its backup names that
// is one.
func refuseFileLinks(name, give string) error {
	if err := refuseLink(name, give, "file"); err != nil {
		return err
	}
	return refuseBackupLinks(name)
}

// refuseBackupLinks refuses a symbolic link among the backup names of
// name that exist (freeBackupName passes over them to the first free one).
func refuseBackupLinks(name string) error {
	for i := 0; ; i++ {
		b := backupName(name, i)
		if to, ok := linkAt(b); ok {
			return linkError(b, to, "move the link away: wso2ks keeps its backups of "+filepath.Base(name)+" under this name")
		}
		if _, err := os.Lstat(b); err != nil {
			return nil
		}
	}
}

// refuseHomeLinks refuses, before install writes anything, a symbolic link
// at a file it writes into home (changes and its journal), at an existing
// backup name of one it backs up, or at a directory inside home above one.
func refuseHomeLinks(home string, changes []homeChange) error {
	paths := []string{filepath.Join(home, filepath.FromSlash(journalRel))}
	backups := map[string]bool{}
	for _, c := range changes {
		paths = append(paths, c.path)
		backups[c.path] = c.backup
	}
	for _, p := range paths {
		if err := refuseDirLink(home, p); err != nil {
			return err
		}
		if to, ok := linkAt(p); ok {
			return linkError(p, to, homeFileFix)
		}
		if backups[p] {
			if err := refuseBackupLinks(p); err != nil {
				return err
			}
		}
	}
	return nil
}

// refuseDirLink refuses a symbolic link among the directories inside home
// that hold p (home itself may be one: it is the path the user gave).
func refuseDirLink(home, p string) error {
	if d, to, ok := dirLinkIn(home, filepath.Dir(p)); ok {
		return linkError(d, to, "install writes nothing through one: replace the link with a real directory")
	}
	return nil
}

// dirLinkIn returns the first directory inside home, on the way down to
// and including dir, that is a symbolic link. The walk stops at the first
// that does not exist: install makes the rest.
func dirLinkIn(home, dir string) (link, to string, ok bool) {
	rel, err := filepath.Rel(home, dir)
	if err != nil || rel == "." || !filepath.IsLocal(rel) {
		return "", "", false
	}
	d := home
	for _, part := range strings.Split(rel, string(filepath.Separator)) {
		d = filepath.Join(d, part)
		if to, ok := linkAt(d); ok {
			return d, to, true
		}
		if _, err := os.Lstat(d); errors.Is(err, fs.ErrNotExist) {
			return "", "", false
		}
	}
	return "", "", false
}

// ownInfo describes the file p itself in tr (Lstat): nil when it does
// not exist, and the link error when it is a symbolic link, which may
// have appeared since refuseHomeLinks looked.
func ownInfo(tr *tree, p string) (fs.FileInfo, error) {
	st, err := tr.lstat(p)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil
	case err != nil:
		return nil, err
	case st.Mode()&fs.ModeSymlink != 0:
		to, _ := linkAt(p)
		return nil, linkError(p, to, homeFileFix)
	}
	return st, nil
}

// chmodNoFollow sets the mode of the file name in tr itself; a symbolic
// link in its place is an error, never followed.
func chmodNoFollow(tr *tree, name string, mode fs.FileMode) error {
	f, err := tr.openNoFollow(name)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Chmod(mode)
}

// readNoFollow reads the file name in tr itself, with what it is; a
// symbolic link in its place is an error, never followed.
func readNoFollow(tr *tree, name string) (fs.FileInfo, []byte, error) {
	f, err := tr.openNoFollow(name)
	if err != nil {
		return nil, nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	data, err := infile.ReadOpen(f, name, homeKind(name))
	return st, data, err
}

// throughLink returns the first directory inside the home, above a path
// the journal names, that is a symbolic link: a journal install wrote
// never names one, and acting on it would rename or remove files outside
// the home.
func (t *txn) throughLink() (link, to string, ok bool) {
	var rels []string
	for _, f := range t.j.Files {
		rels = append(rels, f.Target, f.Staged, f.Undo, f.Backup)
	}
	for _, rel := range append(rels, t.j.Dirs...) {
		if rel == "" {
			continue
		}
		if link, to, ok := dirLinkIn(t.home, filepath.Dir(t.abs(rel))); ok {
			return link, to, true
		}
	}
	return "", "", false
}
