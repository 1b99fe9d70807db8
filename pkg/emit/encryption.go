package emit

import (
	"encoding/hex"
	"fmt"
	"io"
	"path/filepath"

	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/gen"
)

// The internal data encryption key ([encryption] key) of a product whose
// internal crypto provider is symmetric (gen.InternalProvider): one per
// product per environment, shared by its instances, which share one
// database. It is written to secrets.env and the snippet, never to the
// manifest, stdout or stderr.

// NewEncryptionKey draws a key of chars lower-case hex digits (chars/2
// random bytes) from r.
func NewEncryptionKey(r io.Reader, chars int) (string, error) {
	b := make([]byte, chars/2)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", fmt.Errorf("generate encryption key: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// keyChangeHelp says how to change a product's key on purpose, for the
// errors that refuse to do it by accident.
const keyChangeHelp = "data encrypted with the old key would become unreadable; to change it deliberately, re-encrypt the data first (see the README) and remove %s from %s"

// encryptionKeys picks the key of every product that has one, in plan
// order, so that a seeded source gives the same keys: the key the topology
// names, else the one --passwords gives, else the one the old bundle holds
// (an update never changes it), else a new one. A supplied key that differs
// from the old bundle's is refused.
func encryptionKeys(plan *gen.Plan, opt BuildOptions) (map[string]string, error) {
	keys := map[string]string{}
	for _, env := range plan.Environments {
		for pi := range env.Products {
			p := &env.Products[pi]
			e := p.Encryption
			if e == nil || e.Provider != gen.ProviderSymmetric {
				continue
			}
			key, from := e.SuppliedKey()
			src := e.KeySource
			if !from {
				key, from = opt.Passwords[e.KeyVar]
				src = "--passwords " + e.KeyVar
			}
			old, kept := opt.Reuse.encryptionKey(p.Dir)
			switch {
			case from && kept && key != old:
				file := filepath.Join(opt.Reuse.prior.Dir, env.Name, bundle.SecretsName)
				return nil, &gen.InputError{File: file, Msg: fmt.Sprintf("%s gives %s a different encryption key than %s in this file; an update keeps a product's encryption key: "+keyChangeHelp,
					src, p.Dir, e.KeyVar, e.KeyVar, "this file")}
			case from:
			case kept:
				key = old
			default:
				var err error
				if key, err = NewEncryptionKey(opt.Rand, e.KeyChars); err != nil {
					return nil, err
				}
			}
			keys[p.Dir] = key
		}
	}
	return keys, nil
}

// encryptionKey is the key the old bundle holds for the product directory
// dir, when the reconciliation keeps it.
func (r *Reconciliation) encryptionKey(dir string) (string, bool) {
	if r == nil {
		return "", false
	}
	key, ok := r.encKeys[dir]
	return key, ok
}
