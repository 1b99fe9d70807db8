package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/wso2ks/wso2ks/pkg/emit"
	"github.com/wso2ks/wso2ks/pkg/gen"
)

// installFailAt, when set by a test, fails the swap before change i, to
// prove the rollback.
var installFailAt = -1

// applyChanges writes every change or none: each new file is staged beside
// its target first, every file it replaces is backed up beside itself, and
// only then are the staged files renamed into place. A failure part-way
// puts back every file already swapped, removes what was created and the
// backups, and leaves the home as it was. It returns the backups written.
func applyChanges(changes []homeChange) (_ []string, err error) {
	var backups []string
	var created []string // directories made, deepest last
	staged := make([]string, len(changes))
	swapped := 0
	defer func() {
		if err == nil {
			return
		}
		for i := swapped - 1; i >= 0; i-- {
			c := changes[i]
			if c.old == nil {
				os.Remove(c.path)
			} else if rerr := replaceFile(c.path, c.old, c.mode, ownerOf(c.path)); rerr != nil {
				err = fmt.Errorf("%w; and %s could not be put back (%v)", err, c.path, rerr)
			}
		}
		for _, tmp := range staged {
			if tmp != "" {
				os.Remove(tmp)
			}
		}
		for _, b := range backups {
			os.Remove(b)
		}
		for i := len(created) - 1; i >= 0; i-- {
			os.Remove(created[i]) // only if empty
		}
	}()
	for i, c := range changes {
		if st, err := os.Stat(c.path); err == nil && st.Mode().Perm()&0o200 == 0 {
			return nil, &gen.InputError{File: c.path, Msg: "the file is read-only; make it writable (chmod u+w) and install again"}
		}
		// Files and directories install makes belong to whoever owns what
		// they replace, or the nearest existing directory: root installing
		// into a home owned by the product's user must not leave it files
		// it cannot read.
		owner := ownerOf(c.path)
		dirs, err := mkdirs(filepath.Dir(c.path))
		created = append(created, dirs...)
		if err != nil {
			return nil, err
		}
		for _, d := range dirs {
			if err := chownLike(d, owner); err != nil {
				return nil, err
			}
		}
		if st, err := os.Stat(filepath.Dir(c.path)); err == nil && st.Mode().Perm()&0o200 == 0 {
			return nil, &gen.InputError{File: filepath.Dir(c.path), Msg: "the directory is read-only; make it writable and install again"}
		}
		if staged[i], err = stageFile(c.path, c.data, c.mode, owner); err != nil {
			return nil, err
		}
		if c.backup {
			st, err := os.Stat(c.path)
			if err != nil {
				return nil, err
			}
			b, err := writeBackup(c.path, c.old, c.backupMode, st)
			if err != nil {
				return nil, fmt.Errorf("back up %s: %w", c.path, err)
			}
			backups = append(backups, b)
		}
	}
	for i, c := range changes {
		if i == installFailAt {
			return nil, errors.New("injected failure")
		}
		if err := os.Rename(staged[i], c.path); err != nil {
			return nil, err
		}
		staged[i] = ""
		swapped = i + 1
	}
	return backups, nil
}

// mkdirs makes dir and its missing parents with DirMode, returning the
// ones it made, outermost first.
func mkdirs(dir string) ([]string, error) {
	var missing []string
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(d); err == nil {
			break
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		missing = append([]string{d}, missing...)
		if filepath.Dir(d) == d {
			break
		}
	}
	var made []string
	for _, d := range missing {
		if err := os.Mkdir(d, emit.DirMode); err != nil {
			return made, err
		}
		made = append(made, d)
	}
	return made, nil
}

// writeNewSecretFile writes an environment's secrets.env to a new file.
func writeNewSecretFile(name string, b *emit.Bundle, env string) error {
	for _, f := range b.Files {
		if f.Path != filepath.ToSlash(filepath.Join(env, emit.SecretsName)) {
			continue
		}
		fh, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, emit.FileMode)
		if errors.Is(err, fs.ErrExist) {
			return &gen.InputError{File: name, Msg: "exists; give --secrets a new file"}
		}
		if err != nil {
			return err
		}
		if _, err := fh.Write(f.Data); err != nil {
			fh.Close()
			os.Remove(name)
			return err
		}
		return fh.Close()
	}
	return fmt.Errorf("the bundle has no %s for environment %q", emit.SecretsName, env)
}

// ownerOf describes the file at p, or its nearest existing ancestor.
func ownerOf(p string) fs.FileInfo {
	for {
		if st, err := os.Stat(p); err == nil {
			return st
		}
		parent := filepath.Dir(p)
		if parent == p {
			return nil
		}
		p = parent
	}
}

// chownLike gives dir the owner of like, where the system allows it.
func chownLike(dir string, like fs.FileInfo) error {
	if like == nil {
		return nil
	}
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := emit.SameOwner(f, like); err != nil && !errors.Is(err, fs.ErrPermission) {
		return err
	}
	return nil
}
