// Package lock lets one wso2ks process at a time change a target — a
// bundle directory, a deployment.toml — through an advisory lock (flock(2)
// on Unix, LockFileEx on Windows) on a lock file beside the target:
// .<name>.wso2ks.lock in the target's directory, so that it outlives any
// rename or swap of the target itself. The kernel drops the lock when its
// process exits or is killed, so a lock file a dead process left blocks
// nothing: the next writer simply takes it. The holder writes its pid and
// command line into the file, for a waiter to name it.
//
// It holds the locking only: it must not read, write, rename or remove the
// target, and it knows nothing of what a bundle or a deployment.toml is.
package lock

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Suffix ends the name of every lock file.
const Suffix = ".wso2ks.lock"

// DefaultWait is how long Acquire waits for another holder when Options
// gives no wait: long enough for a generate of a few products to finish,
// short enough that a hung process is noticed.
const DefaultWait = 5 * time.Second

// poll is how often a waiter tries the lock again.
const poll = 50 * time.Millisecond

// Options are how Acquire takes a lock.
type Options struct {
	// Command is the holder's command line, written into the lock file so
	// that a waiter can name it.
	Command string
	// Wait is how long to wait for another holder (DefaultWait when zero).
	Wait time.Duration
	// Waiting, when not nil, is called once when the target is held by
	// another process and the wait begins.
	Waiting func(Holder)
}

// A Lock is held until Release, or until the process ends.
type Lock struct {
	file *os.File
	path string
	// made are the directories Acquire created for the lock file, deepest
	// last; Release removes those still empty.
	made []string
}

// File returns the lock file of target: .<name>.wso2ks.lock in target's
// directory, with that directory made absolute and its symbolic links
// resolved, so that every name of one target has one lock.
func File(target string) (string, error) {
	abs, err := filepath.Abs(target)
	if err != nil {
		return "", err
	}
	dir, name := filepath.Split(abs)
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		dir = real
	}
	return filepath.Join(dir, "."+name+Suffix), nil
}

// Acquire takes target's lock, creating the lock file (0600) and any
// missing directory above it (0700). When another process holds it,
// Acquire tries again until the wait is over and then returns a
// *BusyError naming that process.
func Acquire(target string, o Options) (*Lock, error) {
	path, err := File(target)
	if err != nil {
		return nil, err
	}
	wait := o.Wait
	if wait == 0 {
		wait = DefaultWait
	}
	deadline := time.Now().Add(wait)
	l := &Lock{path: path}
	for {
		made, err := makeDirs(filepath.Dir(path))
		l.made = append(l.made, made...)
		if err != nil {
			l.removeMade()
			return nil, err
		}
		f, err := openFile(path)
		if errors.Is(err, fs.ErrNotExist) && dirGone(filepath.Dir(path)) && time.Now().Before(deadline) {
			continue // a releasing holder removed the directory it made
		}
		if err != nil {
			l.removeMade()
			return nil, err
		}
		held, err := l.hold(f, target, deadline, o)
		if err != nil {
			f.Close()
			l.removeMade()
			return nil, err
		}
		if held {
			l.file = f
			return l, l.writeHolder(o.Command)
		}
		f.Close() // the holder we waited for removed this file: open the new one
	}
}

// hold waits for the lock on f and reports whether f is still the lock
// file at l.path once it has it.
func (l *Lock) hold(f *os.File, target string, deadline time.Time, o Options) (bool, error) {
	for waited := false; ; waited = true {
		ok, err := tryLock(f)
		if err != nil {
			return false, err
		}
		if ok {
			return isCurrent(f, l.path)
		}
		if !waited && o.Waiting != nil {
			o.Waiting(readHolder(f))
		}
		if time.Now().After(deadline) {
			return false, &BusyError{Target: target, Holder: readHolder(f)}
		}
		time.Sleep(poll)
	}
}

// isCurrent reports whether f is the file path names: a holder removes
// its lock file before it lets go of it, so a waiter that then gets the
// lock of the removed file must open the path again.
func isCurrent(f *os.File, path string) (bool, error) {
	fst, err := f.Stat()
	if err != nil {
		return false, err
	}
	pst, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return os.SameFile(fst, pst), nil
}

func (l *Lock) writeHolder(command string) error {
	data := []byte(fmt.Sprintf("%d\n%s\n", os.Getpid(), oneLine(command)))
	if err := l.file.Truncate(0); err != nil {
		l.Release()
		return err
	}
	if _, err := l.file.WriteAt(data, 0); err != nil {
		l.Release()
		return err
	}
	return nil
}

// Release lets go of the lock and removes its lock file (where the system
// allows removing an open file) and the directories Acquire made, when
// they are empty. The lock file goes first, while still held, so that a
// waiter that gets the lock of the removed file knows to open it anew.
func (l *Lock) Release() error {
	if l == nil || l.file == nil {
		return nil
	}
	var err error
	if removeOnRelease {
		// Only while it is still ours: someone may have removed it by hand
		// and another process made and locked a new one.
		if ours, _ := isCurrent(l.file, l.path); ours {
			err = os.Remove(l.path)
		}
	}
	if cerr := l.file.Close(); err == nil {
		err = cerr
	}
	l.file = nil
	l.removeMade()
	return err
}

func (l *Lock) removeMade() {
	for i := len(l.made) - 1; i >= 0; i-- {
		os.Remove(l.made[i]) // fails, as it should, once something is in it
	}
	l.made = nil
}

// makeDirs creates dir and its missing parents (0700) and returns those it
// created, outermost first.
func makeDirs(dir string) ([]string, error) {
	var missing []string
	for d := dir; ; d = filepath.Dir(d) {
		_, err := os.Stat(d)
		if err == nil {
			break
		}
		if !errors.Is(err, fs.ErrNotExist) || filepath.Dir(d) == d {
			return nil, err
		}
		missing = append(missing, d)
	}
	var made []string
	for i := len(missing) - 1; i >= 0; i-- {
		err := os.Mkdir(missing[i], 0o700)
		if errors.Is(err, fs.ErrExist) {
			continue // made by another process at the same moment
		}
		if err != nil {
			return made, err
		}
		made = append(made, missing[i])
	}
	return made, nil
}

// dirGone reports whether dir no longer exists. A lock file that cannot be
// created in a directory that does exist (procfs, for one, answers "no such
// file" to every create) is an error, not a race to retry.
func dirGone(dir string) bool {
	_, err := os.Stat(dir)
	return errors.Is(err, fs.ErrNotExist)
}

// checkRegular refuses a lock file that is not a regular file (a FIFO or
// a device someone put in its place).
func checkRegular(f *os.File) error {
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if !st.Mode().IsRegular() {
		return &os.PathError{Op: "lock", Path: f.Name(), Err: errors.New("is not a regular file; remove it")}
	}
	return nil
}
