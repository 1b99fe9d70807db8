package lifecycle

import (
	"crypto"
	"crypto/x509"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/emit"
	"github.com/wso2ks/wso2ks/pkg/gen"
	"github.com/wso2ks/wso2ks/pkg/keystore"
)

// Prior is what an existing bundle gives a new build of the same
// directory: each environment's internal CA, and for 'generate --update'
// every store's key, chain and password, every truststore's entries and
// every vault ciphertext, so that what the topology did not change stays.
type Prior struct {
	Dir string
	// home: the prior is a WSO2 home's stores (HomePrior), not a bundle.
	home bool
	cas  map[string]*emit.KeptCA // by environment
	// signers are the first certificates of each environment's old
	// ca/ca.crt, internal or external: what old leaves may be signed by.
	signers map[string]*x509.Certificate
	keys    map[string]*priorStore // by env/product/role
	trust   map[string]*priorTrust // by env/product/truststore
	// manifest is the old manifest: what a plan may remove.
	manifest bundle.Manifest
	secrets  map[string]map[string]string
	vault    map[string]map[string]string // by product directory: alias → ciphertext
	bundle   *bundle.State                // every file of the old directory; nil for a home
	owned    map[string]bool              // the files the old bundle wrote
}

// priorStore is one old key store: its manifest entry, the key and chain
// it holds, its password and PKCS#12 profile.
type priorStore struct {
	m        bundle.ManifestStore
	key      crypto.Signer
	chain    []*x509.Certificate
	password string
	profile  keystore.Profile
	// data is the file's bytes; nil when they cannot be written again as
	// they are.
	data []byte
	// file names the store in messages when it is not Dir/m.Path.
	file string
}

// where names an old store's file in messages.
func (pr *Prior) where(s *priorStore) string {
	if s.file != "" {
		return s.file
	}
	return filepath.Join(pr.Dir, s.m.Path)
}

// priorTrust is one old truststore: its entries, password and profile.
type priorTrust struct {
	m        bundle.ManifestStore
	entries  []keystore.TrustedCert
	password string
	profile  keystore.Profile
	data     []byte
}

// ReadPrior reads the bundle at dir for 'generate --update' and 'plan
// --against': every store opened with its password from secrets.env, the
// internal CAs checked, the vault ciphertexts. A bundle with a rotation in
// progress is refused.
func ReadPrior(dir string) (*Prior, error) {
	b, err := bundle.Read(dir)
	if err != nil {
		return nil, err
	}
	if err := checkNoRotation(dir, b.Manifest, ""); err != nil {
		return nil, err
	}
	// bundle.Read's files are the bundle's own; so are the CAs' files.
	owned := map[string]bool{}
	for _, f := range b.Files {
		owned[f.Path] = true
	}
	// Every environment's CA files, those the manifest lists and any the
	// directory holds besides, read first so that a bad one is named.
	pr := &Prior{Dir: dir, cas: map[string]*emit.KeptCA{}, signers: map[string]*x509.Certificate{},
		keys: map[string]*priorStore{}, trust: map[string]*priorTrust{}, secrets: map[string]map[string]string{},
		vault: map[string]map[string]string{}, owned: owned, manifest: b.Manifest}
	var envs []string
	for _, s := range append(b.Manifest.CAs, b.Manifest.Stores...) {
		if !slices.Contains(envs, s.Env) {
			envs = append(envs, s.Env)
		}
	}
	for _, env := range envs {
		get := func(rel string) ([]byte, bool, error) {
			data, ok, err := pr.readCAFile(rel)
			if ok {
				owned[rel] = true
			}
			return data, ok, err
		}
		if err := pr.readCA(env, get); err != nil {
			return nil, err
		}
	}
	if err := bundle.ReadRest(dir, b); err != nil {
		return nil, err
	}
	st := bundle.NewState(b)
	st.Dir = dir
	pr.bundle = st
	for _, s := range b.Manifest.Stores {
		got, pw, err := st.Decode(s)
		if err != nil {
			return nil, err
		}
		if pr.secrets[s.Env] == nil {
			if pr.secrets[s.Env], err = st.Secrets(s.Env); err != nil {
				return nil, err
			}
		}
		data, profile := st.File(s.Path).Data, st.Profile(s)
		if s.Role == gen.RoleTruststore {
			pr.trust[s.Env+"/"+s.Product+"/"+s.Role] = &priorTrust{m: s, entries: got.Trusted, password: pw, profile: profile, data: data}
			continue
		}
		if len(got.Keys) != 1 {
			return nil, bundle.Errorf("%s holds %d key entries, want 1; regenerate the bundle with 'wso2ks generate'", path.Join(dir, s.Path), len(got.Keys))
		}
		k := got.Keys[0]
		pr.keys[s.Env+"/"+s.Product+"/"+s.Role] = &priorStore{m: s, key: k.Key, chain: k.Chain, password: pw, profile: profile, data: data}
	}
	for _, f := range b.Files {
		if path.Base(f.Path) == gen.CipherTextName && pr.owned[f.Path] {
			pr.vault[productDir(f.Path)] = bundle.ParseProperties(f.Data)
		}
	}
	return pr, nil
}

// productDir is the <env>/<product> directory a bundle path is in.
func productDir(p string) string {
	parts := strings.SplitN(p, "/", 3)
	if len(parts) < 2 {
		return p
	}
	return parts[0] + "/" + parts[1]
}

// password returns the old password of a store's secrets.env variable.
func (pr *Prior) password(env, name string) (string, bool) {
	if pr == nil {
		return "", false
	}
	pw, ok := pr.secrets[env][name]
	return pw, ok
}

// file returns the bytes of an old file, if there was one.
func (pr *Prior) file(p string) ([]byte, bool) {
	if pr == nil || pr.bundle.File(p) == nil {
		return nil, false
	}
	return pr.bundle.File(p).Data, true
}

// envOf is the environment a bundle path belongs to.
func envOf(p string) string { e, _, _ := strings.Cut(p, "/"); return e }
