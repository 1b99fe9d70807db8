package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"

	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/gen"
)

// How install -f writes --secrets FILE, the environment's secrets.env: as
// part of the transaction (install_journal.go), so that FILE exists once
// the install is complete and not otherwise. The journal names FILE before
// anything is staged; its copy is staged beside it (.<name>.wso2ks-<n>)
// with the home's files and renamed into place after them, never over a
// file. Undoing the install removes the copy, and FILE itself when it is
// a secrets.env wso2ks wrote. FILE is the one path outside the home a
// journal may name, and only as a file that did not exist.

// secretsFile is what install writes to --secrets.
type secretsFile struct {
	path string // absolute
	data []byte
}

// newSecretsFile returns the environment's secrets.env to write to name,
// which must not exist, in a directory that does.
func newSecretsFile(name string, b *bundle.Bundle, env string) (*secretsFile, error) {
	for _, f := range b.Files {
		if f.Path != path.Join(env, bundle.SecretsName) {
			continue
		}
		if _, err := os.Lstat(name); err == nil {
			return nil, &gen.InputError{File: name, Msg: "exists; give --secrets a new file"}
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		abs, err := filepath.Abs(name)
		if err != nil {
			return nil, err
		}
		if st, err := os.Stat(filepath.Dir(abs)); err != nil || !st.IsDir() {
			return nil, &gen.InputError{File: name, Msg: "its directory does not exist; give --secrets a new file in an existing directory"}
		}
		return &secretsFile{path: abs, data: f.Data}, nil
	}
	return nil, fmt.Errorf("the bundle has no %s for environment %q", bundle.SecretsName, env)
}

// isSecretsFile reports whether p, in tr, is a regular file that holds a
// secrets.env wso2ks wrote: the --secrets file an undo may remove.
func isSecretsFile(tr *tree, p string) bool {
	_, data, err := readNoFollow(tr, p)
	if err != nil {
		return false
	}
	_, byWSO2KS := bundle.SecretsEnvOf(data)
	return byWSO2KS
}

// validSecrets reports whether the journal's --secrets file is one
// install makes: an absolute, clean path that is no other file of the
// journal, created, with its copy (once staged) beside it.
func (t *txn) validSecrets() bool {
	s := t.j.Secrets
	if s == nil {
		return true
	}
	p := filepath.FromSlash(s.Target)
	if !filepath.IsAbs(p) || filepath.Clean(p) != p || filepath.Dir(p) == p ||
		s.Existed || s.Undo != "" || s.Backup != "" || s.Mode != 0 || p == t.abs(journalRel) {
		return false
	}
	for _, f := range t.j.Files {
		if t.abs(f.Target) == p {
			return false
		}
	}
	if (s.Staged == "") != (t.j.State == stateStaging) {
		return false // staged with the home's files, before their journal
	}
	if s.Staged == "" {
		return true
	}
	staged := filepath.FromSlash(s.Staged)
	m := stagedRE.FindStringSubmatch(filepath.Base(staged))
	return filepath.Clean(staged) == staged && filepath.Dir(staged) == filepath.Dir(p) && m != nil && m[1] == filepath.Base(p)
}
