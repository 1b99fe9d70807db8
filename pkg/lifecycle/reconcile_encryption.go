package lifecycle

import (
	"fmt"
	"path"
	"path/filepath"

	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/emit"
	"github.com/wso2ks/wso2ks/pkg/gen"
)

// RoleEncryptionKey is the Change.Role of a product's internal data
// encryption key, whose Path is the secrets.env that holds it.
const RoleEncryptionKey = "encryption-key"

// decideEncryption keeps the key the old bundle's secrets.env holds for
// product p: replacing it would leave the data encrypted with it
// unreadable. A bundle made before wso2ks wrote keys has none: the update
// makes one and says so. A key the topology names must be the old one.
func (r *Reconciliation) decideEncryption(env string, p *gen.Product) (*Change, error) {
	e := p.Encryption
	if e == nil || e.Provider != gen.ProviderSymmetric {
		return nil, nil
	}
	file := path.Join(env, bundle.SecretsName)
	c := &Change{Env: env, Product: p.Name, Role: RoleEncryptionKey, Path: file, Action: ActionNew}
	old, had := r.prior.password(env, e.KeyVar)
	supplied, named := e.SuppliedKey()
	full := filepath.Join(r.prior.Dir, file)
	switch {
	case had:
		// A home's key is kept as it is: the home runs with it (IS 5.11 to
		// 7.0 also take 16- and 24-character keys wso2ks does not make).
		if msg := p.CheckEncryptionKey(old); msg != "" && !r.prior.home {
			return nil, &gen.InputError{File: full, Msg: fmt.Sprintf("the encryption key in %s %s", e.KeyVar, msg)}
		}
		if named && supplied != old {
			return nil, &gen.InputError{File: full, Msg: fmt.Sprintf("the topology's encryption_key (%s) for %s differs from the key in %s; an update keeps a product's encryption key: "+emit.KeyChangeHelp,
				e.KeySource, p.Dir, e.KeyVar, e.KeyVar, "this file")}
		}
		c.Action = ActionKeep
		r.encKeys[p.Dir] = old
	case named:
		c.Reason = "from " + e.KeySource
	}
	if !had && r.hadProduct(env, p.Name) {
		c.Reason = joinReasons(c.Reason, "the bundle had none")
	}
	return c, nil
}

// hadProduct reports whether the old bundle holds stores of env/product.
func (r *Reconciliation) hadProduct(env, product string) bool {
	for _, s := range r.prior.manifest.Stores {
		if s.Env == env && s.Product == product {
			return true
		}
	}
	return false
}

// droppedKeys lists the encryption keys the old bundle's secrets.env holds
// for products the plan gives none (a product or environment dropped).
func (r *Reconciliation) droppedKeys(planned map[string]bool) []Change {
	var out []Change
	for _, p := range r.prior.manifest.Products() {
		if planned[p.Env+"/"+p.Name+"/"+RoleEncryptionKey] {
			continue
		}
		if _, ok := r.prior.password(p.Env, gen.EncryptionKeyVar(p.Name)); ok {
			out = append(out, Change{Env: p.Env, Product: p.Name, Role: RoleEncryptionKey, Path: path.Join(p.Env, bundle.SecretsName), Action: ActionRemove})
		}
	}
	return out
}
