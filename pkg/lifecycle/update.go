package lifecycle

import (
	"bytes"
	"path"
	"slices"
	"strings"

	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/emit"
	"github.com/wso2ks/wso2ks/pkg/gen"
)

// Update builds plan into the bundle prior was read from, following r (the
// Reconcile of plan against prior): kept keys, certificates, passwords and
// unchanged files' bytes stay; what the plan dropped goes; files the old
// bundle did not write itself (DIR/k8s, a CSR) are kept unless the new
// bundle writes the same path. It reports whether any file differs from
// what the directory holds: when none does, there is nothing to write.
func Update(plan *gen.Plan, r *Reconciliation, opt emit.BuildOptions) (*bundle.Bundle, bool, error) {
	opt.Reuse = r.Reuse()
	b, err := emit.Build(plan, opt)
	if err != nil {
		return nil, false, err
	}
	pr := r.prior
	written := map[string]bool{}
	changed := false
	for _, f := range b.Files {
		written[f.Path] = true
		if old, ok := pr.file(f.Path); !ok || !bytes.Equal(old, f.Data) {
			changed = true
		}
	}
	for p := range pr.owned {
		if !written[p] {
			changed = true // removed
		}
	}
	var kept []bundle.File
	for _, f := range pr.bundle.Bundle.Files {
		if !pr.owned[f.Path] && !written[f.Path] {
			kept = append(kept, f)
		}
	}
	slices.SortFunc(kept, func(a, b bundle.File) int { return strings.Compare(a.Path, b.Path) })
	b.Files = append(b.Files, kept...)
	return b, changed, nil
}

// What an update loses. 'generate --update' removes the environments,
// products, stores and CAs the topology no longer has, and replaces a
// primary or internal key whose store the plan gives a new one: tokens it
// signed stop verifying and what it encrypted can no longer be read. The
// CLI does neither without --prune; 'plan --against' says so.
//
// A new key for a tls or wssec store (its key type changed) is no loss:
// the topology asked for it, and nothing stays encrypted under the old one.
// A store that changes format keeps its key, so is no loss either.

// Kinds of Loss.
const (
	LossEnvironment = "environment"
	LossProduct     = "product"
	LossStore       = "store"
	LossCA          = "CA"
	// LossKey is a primary or internal key replaced by a new one.
	LossKey = "key"
)

// Loss is one thing a bundle holds that an update removes or replaces:
// Path is "prod" for an environment, "dev/mi" for a product, "dev/iam/wssec"
// for a store or a key, "dev/ca" for a CA.
type Loss struct {
	Kind string `json:"kind"`
	Path string `json:"path"`
}

// String names the loss as a sentence lists it: "prod (environment)", or
// "the primary key of dev/iam".
func (l Loss) String() string {
	if l.Kind == LossKey {
		dir, role := path.Split(l.Path)
		return "the " + role + " key of " + strings.TrimSuffix(dir, "/")
	}
	return l.Path + " (" + l.Kind + ")"
}

// Losses lists what the update r describes removes or replaces, sorted by
// path: an environment the plan dropped is one loss, not one per store, and
// so is a product.
func (r *Reconciliation) Losses() []Loss {
	kept := map[string]bool{} // environments and env/product the plan has
	for _, c := range r.Changes {
		if c.Action != ActionRemove {
			kept[c.Env] = true
			kept[c.Env+"/"+c.Product] = true
		}
	}
	var out []Loss
	add := func(kind, p string) {
		l := Loss{Kind: kind, Path: p}
		if !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	for _, c := range r.Changes {
		switch {
		case c.Action == ActionRemove && !kept[c.Env]:
			add(LossEnvironment, c.Env)
		case c.Action == ActionRemove && c.Role == gen.RoleCA:
			add(LossCA, path.Join(c.Env, gen.CADir))
		case c.Action == ActionRemove && !kept[c.Env+"/"+c.Product]:
			add(LossProduct, c.Env+"/"+c.Product)
		case c.Action == ActionRemove:
			add(LossStore, c.Env+"/"+c.Product+"/"+c.Role)
		case c.Action == ActionNewKey && (c.Role == gen.RolePrimary || c.Role == gen.RoleInternal):
			// Reconcile keeps the old key of these roles (keep, reissue)
			// unless its key type changed: new-key is the one way it goes.
			add(LossKey, c.Env+"/"+c.Product+"/"+c.Role)
		}
	}
	slices.SortFunc(out, func(a, b Loss) int { return strings.Compare(a.Path, b.Path) })
	return out
}
