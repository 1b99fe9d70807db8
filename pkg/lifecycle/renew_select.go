package lifecycle

import (
	"path/filepath"
	"slices"
	"strings"

	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/gen"
)

// A renewal of part of a bundle: 'wso2ks renew --env E --product P' renews
// the key stores of those environments and products only, so that each
// environment (prod on its own) is renewed in its own change window. The
// truststores of a selected environment that hold a renewed certificate
// follow, whichever product they belong to; nothing of an environment
// left out changes. The internal CA is read to sign again, never
// re-issued, so the selection has no bearing on it.

// selection is the environments and products asked for; empty means all.
type selection struct{ envs, products []string }

// has reports whether the store is in the selection.
func (sel selection) has(s bundle.ManifestStore) bool {
	return sel.hasEnv(s.Env) && (len(sel.products) == 0 || slices.Contains(sel.products, s.Product))
}

// hasEnv reports whether env is in the selection.
func (sel selection) hasEnv(env string) bool {
	return len(sel.envs) == 0 || slices.Contains(sel.envs, env)
}

// Flags are the command-line options that make the selection, "" for all.
func (sel selection) Flags() string {
	var parts []string
	for _, e := range sel.envs {
		parts = append(parts, "--env "+e)
	}
	for _, p := range sel.products {
		parts = append(parts, "--product "+p)
	}
	return strings.Join(parts, " ")
}

// check refuses an environment or product the manifest of the bundle at
// dir does not have, and a product in none of the selected environments,
// as every command words it (bundle.Manifest.CheckSelection).
func (sel selection) check(dir string, m bundle.Manifest) error {
	return m.CheckSelection(filepath.Join(dir, bundle.ManifestName), sel.envs, sel.products)
}

// checkWhole refuses to renew a certificate that stores inside and
// outside the selection hold (a tls store every product of an environment
// shares): renewing some of its copies would leave the others with a
// certificate the truststores no longer hold. It names what to add.
func (sel selection) checkWhole(dir string, m bundle.Manifest, stores []int) error {
	var in, out, add []string
	for _, i := range stores {
		s := m.Stores[i]
		if sel.has(s) {
			in = gen.AppendNew(in, s.Env+"/"+s.Product)
			continue
		}
		out = gen.AppendNew(out, s.Env+"/"+s.Product)
		if !sel.hasEnv(s.Env) {
			add = gen.AppendNew(add, "--env "+s.Env)
		}
		if len(sel.products) > 0 && !slices.Contains(sel.products, s.Product) {
			add = gen.AppendNew(add, "--product "+s.Product)
		}
	}
	if len(out) == 0 || len(in) == 0 {
		return nil
	}
	return &gen.InputError{File: filepath.Join(dir, bundle.ManifestName), Msg: "the " + m.Stores[stores[0]].Role +
		" certificate of " + strings.Join(in, ", ") + " is also the one of " + strings.Join(out, ", ") +
		" (one store shared); renew them together: add " + strings.Join(add, " ")}
}
