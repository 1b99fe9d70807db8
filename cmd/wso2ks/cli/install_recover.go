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

	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/deploytoml"
	"github.com/wso2ks/wso2ks/pkg/gen"
	"github.com/wso2ks/wso2ks/pkg/lock"
)

// How install takes turns and how the next command puts right what an
// interrupted one left in a home (see install_journal.go). install holds
// two locks from before it reads the home until it has written it: the
// home's (homeLockRel: its lock file, .install.wso2ks.lock, is at the top
// of the home, where whoever may install into it may write, rather than
// beside the home in a directory such as /opt), and then the one merge
// takes for the home's deployment.toml. Always in that order, so that install
// and merge never wait for each other. Holding the deployment.toml lock,
// a command finishes or undoes an interrupted install (recoverHome) and
// removes the copies staged in the home's directories.

// homeLockRel names a home's lock (pkg/lock keeps it beside this name).
const homeLockRel = "install"

// installDirs are the directories of a home install writes files in.
var installDirs = []string{"repository/resources/security", "repository/conf", "repository/conf/security", "conf", "conf/security"}

// lockHome takes the locks of home and of its deployment.toml, which puts
// right what an interrupted install left (lockDeployment); release lets go
// of both.
func lockHome(f *Factory, home string, layout deploytoml.HomeLayout) (release func(), err error) {
	releaseHome, err := takeLock(f, filepath.Join(home, filepath.FromSlash(homeLockRel)))
	var busy *lock.BusyError
	if errors.As(err, &busy) {
		busy.Target = home
	}
	if err != nil {
		return nil, err
	}
	releaseDep, err := lockDeployment(f, filepath.Join(home, filepath.FromSlash(layout.Deployment)))
	if err != nil {
		releaseHome()
		return nil, err
	}
	return func() {
		releaseDep()
		releaseHome()
	}, nil
}

// recoverHomesOf recovers the home that the deployment.toml name (as
// given, or resolved, by its directory's real path) sits in, if any. The
// caller holds its lock.
func recoverHomesOf(f *Factory, name, resolved string) error {
	seen := map[string]bool{}
	for _, p := range []string{name, resolved} {
		abs, err := filepath.Abs(p)
		if err != nil {
			continue
		}
		for _, suffix := range []string{"repository/conf/deployment.toml", "conf/deployment.toml"} {
			home, ok := strings.CutSuffix(filepath.ToSlash(abs), "/"+suffix)
			if !ok || seen[home] {
				continue
			}
			seen[home] = true
			if err := recoverHome(f, filepath.FromSlash(home)); err != nil {
				return err
			}
		}
	}
	return nil
}

// recoverHome finishes or undoes the install a journal in home records,
// then removes every copy staged in the directories install writes, and
// says what it did. The caller holds the lock of home's deployment.toml.
func recoverHome(f *Factory, home string) error {
	t, err := readJournal(home)
	if err != nil {
		return err
	}
	if t != nil {
		if err := t.recover(f); err != nil {
			return err
		}
	}
	// The journal's own staged copy, should a run stop while writing it.
	notes, err := removeStagedIn(home, filepath.Base(journalRel))
	printRecovered(f, notes)
	if err != nil {
		return fmt.Errorf("recover %s: %w", home, err)
	}
	for _, d := range installDirs {
		dir := filepath.Join(home, filepath.FromSlash(d))
		if _, _, ok := dirLinkIn(home, dir); ok {
			continue // install writes nothing there (links.go), so staged nothing
		}
		notes, err := removeStagedIn(dir, "")
		printRecovered(f, notes)
		if err != nil {
			return fmt.Errorf("recover %s: %w", home, err)
		}
	}
	return nil
}

// recover finishes or undoes the transaction and says which.
func (t *txn) recover(f *Factory) error {
	home, state := t.home, t.j.State
	if state == "" && t.forwardable() {
		if err := t.commit(); err != nil {
			return fmt.Errorf("finish the interrupted install into %s (its journal %s is kept): %w", home, t.abs(journalRel), err)
		}
		done := fmt.Sprintf("finished an interrupted wso2ks install into %s: its %d files are in place", home, len(t.j.Files))
		if s := t.j.Secrets; s != nil {
			done += ", and the environment's " + bundle.SecretsName + " is " + t.abs(s.Target)
		}
		printRecovered(f, []string{done})
		return nil
	}
	notes, err := t.rollback()
	if err != nil {
		printRecovered(f, notes)
		return fmt.Errorf("undo the interrupted install into %s (its journal %s is kept): %w", home, t.abs(journalRel), err)
	}
	done := map[string]string{
		"":           "undid an interrupted wso2ks install into %s, a file of which had gone: the home is as it was before it",
		stateStaging: "undid an interrupted wso2ks install into %s, stopped while it staged its files: the home is as it was before it",
		stateUndoing: "finished undoing an interrupted wso2ks install into %s: the home is as it was before it",
	}[state]
	done = fmt.Sprintf(done, home)
	if s := t.j.Secrets; s != nil {
		done += ", and its --secrets file " + t.abs(s.Target) + " is not written"
	}
	printRecovered(f, append([]string{done}, notes...))
	return nil
}

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
	fh, err := os.Open(name)
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
	return t, nil
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
