package bundle

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"

	"github.com/wso2ks/wso2ks/pkg/gen"
	"github.com/wso2ks/wso2ks/pkg/infile"
	"github.com/wso2ks/wso2ks/pkg/keystore"
)

// State is a bundle read back to be changed in place (renew, and the
// commands that change one store of a bundle) or to be installed: every
// file by path, with its mode, and each environment's passwords once read.
type State struct {
	// Dir is where the bundle was read from, for messages; "" for one
	// built in memory.
	Dir string
	// Bundle is the bundle itself; the files State returns are its own.
	Bundle    *Bundle
	files     map[string]*File
	passwords map[string]map[string]string // by environment, then variable
}

// Open reads the bundle at dir (Read) and every other file in
// it (an internal CA's certificate and key, anything else), so that
// writing b back keeps them.
func Open(dir string) (*State, error) {
	b, err := Read(dir)
	if err != nil {
		return nil, err
	}
	if err := ReadRest(dir, b); err != nil {
		return nil, err
	}
	st := NewState(b)
	st.Dir = dir
	return st, nil
}

// NewState indexes the files of b by path.
func NewState(b *Bundle) *State {
	st := &State{Bundle: b, files: map[string]*File{}, passwords: map[string]map[string]string{}}
	for i := range b.Files {
		st.files[b.Files[i].Path] = &b.Files[i]
	}
	return st
}

// ReadRest adds the files Read does not read (an internal CA's
// certificate and key, anything else in dir) with their modes, so that
// writing the bundle back keeps them.
func ReadRest(dir string, b *Bundle) error {
	have := map[string]bool{}
	for _, f := range b.Files {
		have[f.Path] = true
	}
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if !d.Type().IsRegular() {
			return Errorf("%s is not a regular file; a bundle holds only the files 'wso2ks generate' writes", p)
		}
		if have[rel] {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		data, err := infile.Read(p, infile.BundleFile)
		var re *infile.Error
		if errors.As(err, &re) {
			return Errorf("%s", re)
		}
		if err != nil {
			return err
		}
		b.Files = append(b.Files, File{Path: rel, Data: data, Mode: info.Mode().Perm()})
		return nil
	})
}

// File returns the file of the bundle at path p, or nil.
func (st *State) File(p string) *File {
	if st == nil {
		return nil
	}
	return st.files[p]
}

// Secrets returns environment env's secrets.env, parsed once: its
// variables by name.
func (st *State) Secrets(env string) (map[string]string, error) {
	vars := st.passwords[env]
	if vars == nil {
		f := st.files[path.Join(env, SecretsName)]
		if f == nil {
			return nil, Errorf("%s/%s is missing", env, SecretsName)
		}
		var err error
		if vars, err = ParseSecretsEnv(f.Data); err != nil {
			return nil, fmt.Errorf("%s/%s: %w", env, SecretsName, err)
		}
		st.passwords[env] = vars
	}
	return vars, nil
}

// Password returns the password of store s from its environment's
// secrets.env.
func (st *State) Password(s ManifestStore) (string, error) {
	env, err := st.Secrets(s.Env)
	if err != nil {
		return "", err
	}
	name := gen.PasswordVar(s.Product, s.Role)
	pw, ok := env[name]
	if !ok {
		return "", Errorf("%s/%s has no %s for %s", s.Env, SecretsName, name, s.Path)
	}
	return pw, nil
}

// Decode opens store s with its password, and returns both.
func (st *State) Decode(s ManifestStore) (*keystore.DecodedStore, string, error) {
	pw, err := st.Password(s)
	if err != nil {
		return nil, "", err
	}
	got, err := keystore.Decode(keystore.Format(s.Type), st.files[s.Path].Data, pw)
	if err != nil {
		return nil, "", storeUnreadable(filepath.Join(st.Dir, filepath.FromSlash(s.Path)), s, err)
	}
	return got, pw, nil
}

// storeUnreadable says why store s of a bundle, at file, does not open,
// and what to do; the decoder's own words (ASN.1 offsets) do not help the
// user.
func storeUnreadable(file string, s ManifestStore, err error) error {
	if errors.Is(err, keystore.ErrIncorrectPassword) {
		return Errorf("%s does not open with its password in %s/%s (a wrong password, or a changed file); restore both from one copy of the bundle, or regenerate the bundle with 'wso2ks generate'",
			file, s.Env, SecretsName)
	}
	return Errorf("%s is not a readable %s store (damaged, truncated or of another type); restore it from a copy of the bundle, or regenerate the bundle with 'wso2ks generate'", file, s.Type)
}

// Profile is the PKCS#12 profile store s was written with (empty for
// JKS), so that rewriting it keeps it.
func (st *State) Profile(s ManifestStore) keystore.Profile {
	if keystore.Format(s.Type) != keystore.PKCS12 {
		return ""
	}
	return keystore.ProfileOf(st.files[s.Path].Data)
}

// Seal writes the (changed) manifest into manifest.json's file.
func (st *State) Seal() error {
	data, err := st.Bundle.Manifest.Encode()
	if err != nil {
		return err
	}
	st.files[ManifestName].Data = data
	return nil
}

// Put adds f to the bundle, or replaces the file of the same path.
func (st *State) Put(f File) {
	if old := st.files[f.Path]; old != nil {
		*old = f
		return
	}
	st.Bundle.Files = append(st.Bundle.Files, f)
	// Appending may have moved the slice: index every file again.
	for i := range st.Bundle.Files {
		st.files[st.Bundle.Files[i].Path] = &st.Bundle.Files[i]
	}
}
