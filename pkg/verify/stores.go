package verify

import (
	"fmt"
	"strings"

	"github.com/wso2ks/wso2ks/pkg/infile"
	"github.com/wso2ks/wso2ks/pkg/keystore"
)

// StoreRef is one store file a target names, found and resolved as the audit finds and resolves
// it: for `wso2ks inspect`, which shows what a store holds without judging it.
type StoreRef struct {
	Target  string // the PATH it was found under
	Env     string // empty for a home
	Product string
	// Roles names every store of the configuration that is this file, in the audit's order: a
	// home without [keystore.internal] or [keystore.tls] serves them from the primary store.
	Roles []string
	// File is the store's path; empty when its file name does not resolve (Problem says why).
	File string
	Type keystore.Format
	// Password opens the store and KeyPassword its keys; both empty when the password does not
	// resolve, and then Problem says why and how to give it.
	Password, KeyPassword string
	Problem               string
}

// Stores returns the stores of path — a bundle, a product directory of one, or a WSO2 home —
// with the passwords the configuration gives them: a bundle's secrets.env, $env{...}
// from o.Getenv, $secret{...} decrypted with the secure vault's store opened with o.Password. A
// path that is none of these is an error that matches gen.ErrInput. It reads no store.
func Stores(path string, o Options) ([]StoreRef, error) {
	if o.FS == nil {
		o.FS = OSFS
	}
	if o.Getenv == nil {
		o.Getenv = func(string) (string, bool) { return "", false }
	}
	products, err := Discover(o.FS, path)
	if err != nil {
		return nil, err
	}
	var out []StoreRef
	for _, p := range products {
		refs, err := productStores(p, o)
		if err != nil {
			return nil, err
		}
		out = append(out, refs...)
	}
	return out, nil
}

// productStores resolves the stores of one product's configuration, one StoreRef per file.
func productStores(p Product, o Options) ([]StoreRef, error) {
	data, err := readInput(o.FS, p.Config, infile.Deployment)
	if err != nil {
		return nil, err
	}
	cfg, err := readConfig(o.FS, p, data)
	if err != nil {
		return nil, err
	}
	c := &checker{p: p, o: o, cfg: cfg, stores: map[string]*openStore{}}
	r := &resolver{p: p, o: o, doc: cfg.doc, secret: c.decryptSecret}
	var out []StoreRef
	byFile := map[string]int{}
	for _, s := range cfg.stores {
		ref := StoreRef{Target: p.Target, Env: p.Env, Product: p.Name, Roles: []string{s.Role}}
		got, errs := resolveKeys(r, s)
		var missing []string
		for _, e := range errs {
			switch e.key {
			case "file_name", "type":
				ref.Problem = fmt.Sprintf("%s %s: %v", s.Table, e.key, e.err)
			case "password", "key_password":
				missing = append(missing, fmt.Sprintf("%s %s: %v", s.Table, e.key, e.err))
			}
		}
		if ref.Problem != "" {
			out = append(out, ref)
			continue
		}
		ref.File, ref.Type = storePath(p, got["file_name"]), keystore.Format(strings.ToUpper(got["type"]))
		if len(missing) > 0 {
			ref.Problem = strings.Join(missing, "; ")
		} else {
			ref.Password, ref.KeyPassword = got["password"], got["key_password"]
			if s.trusts() {
				ref.KeyPassword = ref.Password
			}
		}
		if i, ok := byFile[ref.File]; ok {
			seen := &out[i]
			seen.Roles = append(seen.Roles, s.Role)
			if seen.Password == "" && ref.Password != "" {
				seen.Password, seen.KeyPassword, seen.Problem = ref.Password, ref.KeyPassword, ""
			}
			continue
		}
		byFile[ref.File] = len(out)
		out = append(out, ref)
	}
	return out, nil
}
