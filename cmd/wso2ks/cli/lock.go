package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/wso2ks/wso2ks/internal/crashpoint"
	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/lock"
)

// How commands that write take turns. Every writer holds the lock of its
// target (pkg/lock) from before it reads what it changes until it has
// written: generate, renew, rotate, csr, import-cert and generate --update
// the bundle directory; k8s its output directory (the bundle's, when the
// output is inside it); merge the deployment.toml; install the home and
// then its deployment.toml (install_recover.go). A second writer waits
// Factory.LockWait, then fails (exit 2) naming the holder. Once it holds
// the lock, a writer puts right what an interrupted run left at its target
// and says so on stderr, one line each. Readers (plan, verify, merge
// --dry-run, install --dry-run) take no lock: every write replaces its
// target in one rename, and a home with an unfinished install's journal is
// refused (pendingInstall).

// lockBundle takes the lock of the bundle directory dir and then restores
// or removes what an interrupted write left beside it (bundle.Recover). Call
// release when done.
func lockBundle(f *Factory, dir string) (release func(), err error) {
	release, err = takeLock(f, dir)
	if err != nil {
		return nil, err
	}
	if err := recoverBundle(f, dir); err != nil {
		release()
		return nil, err
	}
	return release, nil
}

// recoverBundle runs bundle.Recover for dir, whose lock the caller holds.
func recoverBundle(f *Factory, dir string) error {
	notes, err := bundle.Recover(dir)
	printRecovered(f, notes)
	if err != nil {
		return fmt.Errorf("recover %s: %w", dir, err)
	}
	return nil
}

// lockDeployment takes the lock of the deployment.toml name, as given
// (pkg/lock resolves the links of its directory, so every path to one
// file has one lock; the file itself is never a symbolic link merge or
// install writes through, see links.go), finishes or undoes an interrupted
// install into the home it sits in (recoverHomesOf), and removes, in tr
// (the tree of the home or of name's directory), the staged copies an
// interrupted merge or install left. A name that does not exist gets no
// lock: reading it fails next, with the error the user needs.
func lockDeployment(f *Factory, tr *tree, name string) (release func(), err error) {
	if _, err := os.Lstat(name); err != nil {
		return func() {}, nil
	}
	release, err = takeLock(f, name)
	if err != nil {
		return nil, err
	}
	// The home by the path given and by its directory's real path.
	resolved := name
	if dir, err := filepath.EvalSymlinks(filepath.Dir(name)); err == nil {
		resolved = filepath.Join(dir, filepath.Base(name))
	}
	// An install's journal first: it may name a staged deployment.toml.
	if err := recoverHomesOf(f, name, resolved); err != nil {
		release()
		return nil, err
	}
	if _, _, ok := dirLinkIn(tr.dir, filepath.Dir(name)); ok {
		return release, nil // install refuses a link there; it staged nothing
	}
	notes, err := removeStaged(tr, name)
	printRecovered(f, notes)
	if err != nil {
		release()
		return nil, fmt.Errorf("recover %s: %w", name, err)
	}
	return release, nil
}

// takeLock takes target's lock, waiting f.LockWait for another holder; on
// a terminal, it says whom it waits for.
func takeLock(f *Factory, target string) (release func(), err error) {
	o := lock.Options{Command: f.command, Wait: f.LockWait}
	if f.StderrIsTerminal {
		o.Waiting = func(h lock.Holder) {
			fmt.Fprintf(f.Stderr, "waiting for %s to finish with %s\n", h, target)
		}
	}
	l, err := lock.Acquire(target, o)
	switch {
	case errors.Is(err, lock.ErrBusy):
		return nil, err
	case errors.Is(err, fs.ErrPermission):
		return nil, fmt.Errorf("lock %s: %w; wso2ks keeps its lock file beside it, so run it as a user who may write in %s", target, err, filepath.Dir(target))
	case err != nil:
		return nil, fmt.Errorf("lock %s: %w; wso2ks keeps its lock file beside it, so %s must be a directory where files can be created", target, err, filepath.Dir(target))
	}
	crashpoint.Reached(crashpoint.LockHeld)
	return func() {
		crashpoint.Reached(crashpoint.LockReleasing)
		l.Release()
	}, nil
}

func printRecovered(f *Factory, notes []string) {
	for _, n := range notes {
		fmt.Fprintf(f.Stderr, "wso2ks: %s\n", n)
	}
}

// commandLine is how a lock names the running command: wso2ks and its
// arguments, quoted as a shell would need them. No command takes a secret
// as an argument.
func commandLine(args []string) string {
	parts := []string{"wso2ks"}
	for _, a := range args {
		if a == "" || strings.ContainsFunc(a, func(r rune) bool {
			return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || strings.ContainsRune("-_./=:,@+%", r))
		}) {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		parts = append(parts, a)
	}
	return strings.Join(parts, " ")
}
