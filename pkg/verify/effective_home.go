package verify

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"

	"github.com/wso2ks/wso2ks/pkg/infile"
	"github.com/wso2ks/wso2ks/pkg/keystore"
)

// Effective is what a product's configuration makes the server use, read as an audit reads
// it (WSO2's defaults, placeholders resolved, stores opened) but without judging it: for a
// caller that must know what a home runs with before it changes the home (wso2ks install).
type Effective struct {
	// Hostname is [server] hostname, resolved; "localhost", the product's default, when
	// deployment.toml does not set it. HostnameErr says why it does not resolve.
	Hostname    string
	HostnameErr error
	// Stores are primary, internal, tls, the WS-Security stores, MI's internal API store,
	// truststore and MI's internal API truststore, in that order, as configured.
	Stores []EffectiveStore
	// Secrets are the ciphertexts of deployment.toml's [secrets], by alias.
	Secrets map[string]string
	// EncryptionKey is [encryption] key.
	EncryptionKey EffectiveValue
}

// EffectiveValue is one setting of deployment.toml: as written (Raw, Set
// when the file sets it) and resolved (Value), or why it does not resolve
// (Err).
type EffectiveValue struct {
	Raw   string
	Set   bool
	Value string
	Err   error
}

// Store returns the effective store of role, or nil.
func (e *Effective) Store(role string) *EffectiveStore {
	for i := range e.Stores {
		if e.Stores[i].Role == role {
			return &e.Stores[i]
		}
	}
	return nil
}

// EffectiveStore is one store as the server would open it.
type EffectiveStore struct {
	Role  string
	Table string // where its values come from, for messages: "[keystore.tls]"
	// File is the path the server opens; empty when file_name does not resolve.
	File                         string
	Type                         keystore.Format
	Password, Alias, KeyPassword string
	// PasswordRaw is the password as deployment.toml writes it: a
	// placeholder, or the password itself.
	PasswordRaw string
	// Unresolved says which of its settings does not resolve and why
	// ("[keystore.primary] password: $env{X} is not set"); the store is
	// then not opened.
	Unresolved error
	// Missing: File does not exist.
	Missing bool
	// Data is the file's bytes, Store what they hold when they open with
	// the store's passwords; OpenErr says why they do not.
	Data    []byte
	Store   *keystore.DecodedStore
	OpenErr error
	// Key is the entry a key store serves (its alias, or its one key where
	// none need be named); nil for a truststore or when there is none.
	Key *keystore.KeyEntry
}

// ReadEffective reads the configuration of p (a home) and opens every store it names.
// Unusable input (no deployment.toml, bad TOML) is an error that matches gen.ErrInput; a
// store that cannot be resolved or opened is described in its EffectiveStore instead.
func ReadEffective(p Product, o Options) (*Effective, error) {
	if o.FS == nil {
		o.FS = OSFS
	}
	if o.Getenv == nil {
		o.Getenv = func(string) (string, bool) { return "", false }
	}
	c, r, err := readProduct(p, o, false)
	if err != nil {
		return nil, err
	}
	e := &Effective{Hostname: c.cfg.hostname, Secrets: map[string]string{}}
	if h, err := r.resolve(c.cfg.hostname, 0); err != nil {
		e.HostnameErr = err
	} else {
		e.Hostname = h
	}
	if t, ok := table(c.cfg.doc, "secrets"); ok {
		for alias := range t {
			e.Secrets[alias], _ = stringValue(t, alias)
		}
	}
	enc, _ := table(c.cfg.doc, "encryption")
	if raw, ok := stringValue(enc, "key"); ok {
		e.EncryptionKey = EffectiveValue{Raw: raw, Set: true}
		e.EncryptionKey.Value, e.EncryptionKey.Err = r.resolve(raw, 0)
	}
	for _, s := range c.cfg.stores {
		e.Stores = append(e.Stores, c.effective(r, s))
	}
	return e, nil
}

// readProduct reads p's configuration for a reader that opens its stores without auditing
// them (ReadEffective, verify --connect): a checker with no findings, and its resolver.
// homePasswords: a home's password files may give the vault store's password, as in an
// audit (verify --connect); install (ReadEffective) does not read them.
func readProduct(p Product, o Options, homePasswords bool) (*checker, *resolver, error) {
	c := &checker{p: p, o: o, stores: map[string]*openStore{}, homePasswords: homePasswords}
	data, err := readInput(o.FS, p.Config, infile.Deployment)
	if err != nil {
		return nil, nil, err
	}
	if c.cfg, err = readConfig(o.FS, p, data); err != nil {
		return nil, nil, err
	}
	return c, &resolver{p: p, o: o, doc: c.cfg.doc, secret: c.decryptSecret}, nil
}

// effective resolves and opens one store.
func (c *checker) effective(r *resolver, s *storeConf) EffectiveStore {
	got, errs := resolveKeys(r, s)
	es := EffectiveStore{Role: s.Role, Table: s.Table, PasswordRaw: s.raw["password"]}
	if len(errs) > 0 {
		es.Unresolved = fmt.Errorf("%s %s: %w", s.Table, errs[0].key, errs[0].err)
		if !slices.ContainsFunc(errs, func(e keyError) bool { return e.key == "file_name" }) {
			es.File = storePath(c.p, got["file_name"])
			es.Missing = missing(c.o.FS, es.File)
		}
		return es
	}
	es.File, es.Type = s.File, s.Type
	es.Password, es.Alias, es.KeyPassword = s.Password, s.Alias, s.KeyPassword
	if es.Missing = missing(c.o.FS, s.File); es.Missing {
		return es
	}
	if s.Type != keystore.JKS && s.Type != keystore.PKCS12 {
		es.OpenErr = fmt.Errorf("%s type %q is neither JKS nor PKCS12", s.Table, s.Type)
		return es
	}
	o := c.decode(s)
	es.Data, es.Store, es.OpenErr = o.data, o.store, o.err
	if o.err == nil && !s.trusts() {
		es.Key = keyEntry(s, o.store)
		if es.Key == nil {
			var aliases []string
			for _, k := range o.store.Keys {
				aliases = append(aliases, k.Alias)
			}
			es.OpenErr = fmt.Errorf("it has no key entry %q (its keys: %s)", s.Alias, listOrNone(aliases))
		}
	}
	return es
}

// missing reports whether file does not exist; a file that cannot be
// looked at is not missing: opening it says why.
func missing(fsys FS, file string) bool {
	_, err := fsys.Stat(file)
	return errors.Is(err, fs.ErrNotExist)
}
