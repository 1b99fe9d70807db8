package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"

	"github.com/wso2ks/wso2ks/pkg/gen"
	"github.com/wso2ks/wso2ks/pkg/infile"
)

// How merge and install change files once their checks have passed
// (links.go): through a tree, an *os.Root opened on the directory they
// write in — a home, the directory of a deployment.toml or of a --secrets
// file — by the path the user gave. Opening it follows the links on that
// path once; then it holds on to the directory itself. Every operation in
// it (create, rename, link, chmod, chown, remove, read, make a directory)
// finds its path beneath that directory as it is done and fails where a
// symbolic link on the way leads out of it. So a link put in place of a
// directory inside a home after the checks (repository/conf → /etc/x)
// makes the run fail (exit 2, linkAppeared), and never makes it write,
// rename or remove a file in /etc/x. A tree takes the paths the user
// knows (its directory joined with a path below it), and its errors name
// them.

// tree is a directory wso2ks changes files in.
type tree struct {
	dir  string   // as the user gave it
	root *os.Root // nil when dir could not be opened
	err  error    // why not: every operation fails with it
}

// openTree opens dir. Close it when done.
func openTree(dir string) *tree {
	r, err := os.OpenRoot(dir)
	return &tree{dir: dir, root: r, err: err}
}

func (tr *tree) Close() {
	if tr != nil && tr.root != nil {
		tr.root.Close()
	}
}

// do runs op with name's path below the tree; its error names name, and
// says so when a symbolic link on the way is why it failed.
func (tr *tree) do(name string, op func(rel string) error) error {
	if tr.err != nil {
		return tr.err
	}
	rel, err := filepath.Rel(tr.dir, name)
	if err != nil || !filepath.IsLocal(rel) && rel != "." {
		// Not reached: every name is the tree's directory joined with a
		// path below it.
		return &fs.PathError{Op: "open", Path: name, Err: errors.New("not below " + tr.dir)}
	}
	return tr.fail(name, op(rel))
}

// fail names name in err, the error of an operation on it, or returns
// linkAppeared when a directory on the way to name, or name itself, is a
// symbolic link: the checks found none, so one appeared during the run.
func (tr *tree) fail(name string, err error) error {
	if err == nil || errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrExist) {
		return named(err, name)
	}
	if link, to, ok := dirLinkIn(tr.dir, name); ok {
		return linkAppeared(tr.dir, link, to)
	}
	return named(err, name)
}

// linkAppeared is the error of an operation a symbolic link at link,
// inside dir, stopped: someone put it there during the run. It is an
// input error (exit 2).
func linkAppeared(dir, link, to string) error {
	return &linkAppearedError{gen.InputError{File: link, Msg: fmt.Sprintf("is a symbolic link to %s that appeared during the run (%s changed under wso2ks), and wso2ks does not write through symbolic links: nothing was written through it; put back what was there, then run wso2ks again", to, dir)}}
}

// linkAppearedError is linkAppeared's error: an *gen.InputError a caller
// can tell apart (isLinkAppeared).
type linkAppearedError struct{ gen.InputError }

func (e *linkAppearedError) Unwrap() error { return &e.InputError }

// isLinkAppeared reports whether err is, or wraps, linkAppeared's.
func isLinkAppeared(err error) bool {
	var la *linkAppearedError
	return errors.As(err, &la)
}

// named is err with the path of its *fs.PathError set to name: os.Root
// names the path below it.
func named(err error, name string) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		pe.Path = name
	}
	return err
}

// namedLink is err with the paths of its *os.LinkError set to from and
// to.
func namedLink(err error, from, to string) error {
	var le *os.LinkError
	if errors.As(err, &le) {
		le.Old, le.New = from, to
	}
	return err
}

func (tr *tree) lstat(name string) (st fs.FileInfo, err error) {
	err = tr.do(name, func(rel string) error { st, err = tr.root.Lstat(rel); return err })
	return st, err
}

func (tr *tree) stat(name string) (st fs.FileInfo, err error) {
	err = tr.do(name, func(rel string) error { st, err = tr.root.Stat(rel); return err })
	return st, err
}

// present reports whether name exists (a symbolic link does); any error
// but its absence is returned.
func (tr *tree) present(name string) (bool, error) {
	_, err := tr.lstat(name)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

func (tr *tree) remove(name string) error {
	return tr.do(name, func(rel string) error { return tr.root.Remove(rel) })
}

func (tr *tree) removeIfExists(name string) error {
	if err := tr.remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

func (tr *tree) mkdir(name string, perm fs.FileMode) error {
	return tr.do(name, func(rel string) error { return tr.root.Mkdir(rel, perm) })
}

// rename renames from to to, both in the tree; a symbolic link at to is
// replaced, not followed.
func (tr *tree) rename(from, to string) error {
	return tr.do(from, func(src string) error {
		return tr.do(to, func(dst string) error { return namedLink(tr.root.Rename(src, dst), from, to) })
	})
}

// link is os.Root's Link, which a test makes fail as link(2) does on a
// file system without hard links.
var link = (*os.Root).Link

// link gives from, in the tree, the second name to, never replacing a
// file there (fs.ErrExist).
func (tr *tree) link(from, to string) error {
	return tr.do(from, func(src string) error {
		return tr.do(to, func(dst string) error { return namedLink(link(tr.root, src, dst), from, to) })
	})
}

// createTemp creates a new file, 0600, beside name: a staged copy of it,
// .<name>.wso2ks-<digits> (stagedRE), as os.CreateTemp would name it.
func (tr *tree) createTemp(name string) (f *os.File, staged string, err error) {
	for range 10000 {
		staged = filepath.Join(filepath.Dir(name), "."+filepath.Base(name)+".wso2ks-"+strconv.FormatUint(uint64(rand.Uint32()), 10))
		err = tr.do(staged, func(rel string) error {
			f, err = tr.root.OpenFile(rel, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
			return err
		})
		if !errors.Is(err, fs.ErrExist) {
			return f, staged, err
		}
	}
	return nil, "", err
}

// readDir lists the directory name.
func (tr *tree) readDir(name string) (entries []fs.DirEntry, err error) {
	err = tr.do(name, func(rel string) error {
		d, err := tr.root.Open(rel)
		if err != nil {
			return err
		}
		defer d.Close()
		entries, err = d.ReadDir(-1)
		return err
	})
	return entries, err
}

// readFile reads name as infile.Read does, its last element a symbolic
// link only to a file in the tree.
func (tr *tree) readFile(name string, k infile.Kind) (data []byte, err error) {
	err = tr.do(name, func(rel string) error {
		data, err = infile.ReadIn(tr.root, rel, k)
		var re *infile.Error
		if errors.As(err, &re) {
			re.Path = name
		}
		return err
	})
	return data, err
}

// syncParent flushes the directory that holds name, so that a rename in it
// survives a power loss. The rename is done by then: a failure to flush is
// not reported as a failure to write.
func (tr *tree) syncParent(name string) {
	tr.do(filepath.Dir(name), func(rel string) error {
		d, err := tr.root.Open(rel)
		if err != nil {
			return err
		}
		d.Sync()
		return d.Close()
	})
}
