package emit

import (
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/wso2ks/wso2ks/pkg/certs"
	"github.com/wso2ks/wso2ks/pkg/gen"
	"github.com/wso2ks/wso2ks/pkg/infile"
	"github.com/wso2ks/wso2ks/pkg/keystore"
)

// bundleState is a bundle read back to be changed in place (renew, and
// the commands that change one store of a bundle): every file by path,
// with its mode, and each environment's passwords once read.
type bundleState struct {
	// dir is where the bundle was read from, for messages; "" for one
	// built in memory.
	dir       string
	b         *Bundle
	files     map[string]*File
	passwords map[string]map[string]string // by environment, then variable
}

// openBundle reads the bundle at dir (ReadBundle) and every other file in
// it (an internal CA's certificate and key, anything else), so that
// writing b back keeps them.
func openBundle(dir string) (*bundleState, error) {
	b, err := ReadBundle(dir)
	if err != nil {
		return nil, err
	}
	if err := readRest(dir, b); err != nil {
		return nil, err
	}
	st := newBundleState(b)
	st.dir = dir
	return st, nil
}

// newBundleState indexes the files of b by path.
func newBundleState(b *Bundle) *bundleState {
	st := &bundleState{b: b, files: map[string]*File{}, passwords: map[string]map[string]string{}}
	for i := range b.Files {
		st.files[b.Files[i].Path] = &b.Files[i]
	}
	return st
}

// readRest adds the files ReadBundle does not read (an internal CA's
// certificate and key, anything else in dir) with their modes, so that
// writing the bundle back keeps them.
func readRest(dir string, b *Bundle) error {
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
			return badBundle("%s is not a regular file; a bundle holds only the files 'wso2ks generate' writes", p)
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
			return badBundle("%s", re)
		}
		if err != nil {
			return err
		}
		b.Files = append(b.Files, File{Path: rel, Data: data, Mode: info.Mode().Perm()})
		return nil
	})
}

// password returns the password of store s from its environment's
// secrets.env.
func (st *bundleState) password(s ManifestStore) (string, error) {
	env := st.passwords[s.Env]
	if env == nil {
		f := st.files[path.Join(s.Env, SecretsName)]
		if f == nil {
			return "", badBundle("%s/%s is missing", s.Env, SecretsName)
		}
		var err error
		if env, err = ParseSecretsEnv(f.Data); err != nil {
			return "", fmt.Errorf("%s/%s: %w", s.Env, SecretsName, err)
		}
		st.passwords[s.Env] = env
	}
	name := gen.PasswordVar(s.Product, s.Role)
	pw, ok := env[name]
	if !ok {
		return "", badBundle("%s/%s has no %s for %s", s.Env, SecretsName, name, s.Path)
	}
	return pw, nil
}

// decode opens store s with its password, and returns both.
func (st *bundleState) decode(s ManifestStore) (*keystore.DecodedStore, string, error) {
	pw, err := st.password(s)
	if err != nil {
		return nil, "", err
	}
	got, err := keystore.Decode(keystore.Format(s.Type), st.files[s.Path].Data, pw)
	if err != nil {
		return nil, "", storeUnreadable(filepath.Join(st.dir, filepath.FromSlash(s.Path)), s, err)
	}
	return got, pw, nil
}

// storeUnreadable says why store s of a bundle, at file, does not open,
// and what to do; the decoder's own words (ASN.1 offsets) do not help the
// user.
func storeUnreadable(file string, s ManifestStore, err error) error {
	if errors.Is(err, keystore.ErrIncorrectPassword) {
		return badBundle("%s does not open with its password in %s/%s (a wrong password, or a changed file); restore both from one copy of the bundle, or regenerate the bundle with 'wso2ks generate'",
			file, s.Env, SecretsName)
	}
	return badBundle("%s is not a readable %s store (damaged, truncated or of another type); restore it from a copy of the bundle, or regenerate the bundle with 'wso2ks generate'", file, s.Type)
}

// profile is the PKCS#12 profile store s was written with (empty for
// JKS), so that rewriting it keeps it.
func (st *bundleState) profile(s ManifestStore) keystore.Profile {
	if keystore.Format(s.Type) != keystore.PKCS12 {
		return ""
	}
	return keystore.ProfileOf(st.files[s.Path].Data)
}

// internalCA returns env's internal CA, or nils when it has none (no CA,
// or an external CA whose key is not in the bundle).
func (st *bundleState) internalCA(env string) (*x509.Certificate, crypto.Signer, error) {
	for _, ca := range st.b.Manifest.CAs {
		if ca.Env != env {
			continue
		}
		keyFile, certFile := st.files[path.Join(path.Dir(ca.Path), "ca.key")], st.files[ca.Path]
		if keyFile == nil || certFile == nil {
			return nil, nil, nil
		}
		block, _ := pem.Decode(certFile.Data)
		if block == nil {
			return nil, nil, badBundle("%s holds no PEM certificate", ca.Path)
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", ca.Path, err)
		}
		key, err := certs.ParseKeyPEM(keyFile.Data, nil)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", keyFile.Path, err)
		}
		return cert, key, nil
	}
	return nil, nil, nil
}

// sealManifest writes the (changed) manifest into manifest.json's file.
func (st *bundleState) sealManifest() error {
	data, err := st.b.Manifest.encode()
	if err != nil {
		return err
	}
	st.files[ManifestName].Data = data
	return nil
}

// PreviousSuffix marks the truststore alias of a certificate being rotated
// out ('wso2ks rotate'): "<product>-tls-previous" stays trusted beside the
// new "<product>-tls" until 'wso2ks rotate --finish' removes it. A bundle
// with such an entry has a rotation in progress.
const PreviousSuffix = "-previous"

// checkNoRotation refuses a bundle whose truststores in env (in every
// environment when env is "") still trust a tls certificate being rotated
// out: rebuilding or re-trusting them now would end the overlap a rolling
// restart relies on. It names the command that finishes the rotation.
func checkNoRotation(dir string, m Manifest, env string) error {
	for _, s := range m.Stores {
		if s.Role != gen.RoleTruststore || (env != "" && s.Env != env) {
			continue
		}
		for _, e := range s.Entries {
			if !strings.HasSuffix(e, PreviousSuffix) {
				continue
			}
			product := strings.TrimSuffix(strings.TrimSuffix(e, PreviousSuffix), "-"+gen.RoleTLS)
			if i := slices.IndexFunc(m.Stores, func(t ManifestStore) bool { return t.Env == s.Env && t.Role == gen.RoleTLS }); product == gen.SharedTLSOwner && i >= 0 {
				product = m.Stores[i].Product // a shared tls store: any of its products names it
			}
			return badBundle("%s holds %s: a tls rotation is in progress; finish it first with 'wso2ks rotate %s --role tls --product %s --env %s --finish'",
				filepath.Join(dir, s.Path), e, dir, product, s.Env)
		}
	}
	return nil
}
