package cli

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/deploytoml"
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
	// The deployment.toml's lock file goes beside it: not through a
	// directory of the home that is a link.
	deployment := filepath.Join(home, filepath.FromSlash(layout.Deployment))
	if err := refuseDirLink(home, deployment); err != nil {
		releaseHome()
		// A pending journal's refusal says more: what the link stops.
		if t, jerr := readJournal(home); jerr != nil {
			return nil, jerr
		} else if t != nil {
			t.Close()
		}
		return nil, err
	}
	tr := openTree(home)
	defer tr.Close()
	releaseDep, err := lockDeployment(f, tr, deployment)
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
		defer t.Close()
		if err := t.recover(f); err != nil {
			return err
		}
	}
	tr := openTree(home)
	defer tr.Close()
	// The journal's own staged copy, should a run stop while writing it.
	notes, err := removeStagedIn(tr, home, filepath.Base(journalRel))
	printRecovered(f, notes)
	if err != nil {
		return fmt.Errorf("recover %s: %w", home, err)
	}
	for _, d := range installDirs {
		dir := filepath.Join(home, filepath.FromSlash(d))
		if _, _, ok := dirLinkIn(home, dir); ok {
			continue // install writes nothing there (links.go), so staged nothing
		}
		notes, err := removeStagedIn(tr, dir, "")
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
	forward, err := t.forwardable()
	if err != nil {
		return fmt.Errorf("finish or undo the interrupted install into %s (its journal %s is kept): %w", home, t.abs(journalRel), err)
	}
	if forward {
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
