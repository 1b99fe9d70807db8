package bundle

import (
	"slices"

	"github.com/wso2ks/wso2ks/pkg/gen"
)

// Names returns the environments, the products and the env/product pairs
// the manifest's stores name, each once, in the order the manifest holds
// them.
func (m Manifest) Names() (envs, products, pairs []string) {
	for _, s := range m.Stores {
		envs = appendNew(envs, s.Env)
		products = appendNew(products, s.Product)
		pairs = appendNew(pairs, s.Env+"/"+s.Product)
	}
	return envs, products, pairs
}

// CheckSelection refuses an --env or --product value that names nothing in
// the manifest, whose file is file, with the wording every command shares
// (gen.NoName), offering the products of the environments asked for; and
// a product in none of those environments (gen.NoPair). Empty envs or
// products select all.
func (m Manifest) CheckSelection(file string, envs, products []string) error {
	haveEnvs, haveProducts, pairs := m.Names()
	for _, e := range envs {
		if !slices.Contains(haveEnvs, e) {
			return gen.NoName(file, "environment", "--env", e, haveEnvs)
		}
	}
	// A product that is nowhere is refused with the products of the
	// environments asked for.
	offered := haveProducts
	if len(envs) > 0 {
		offered = nil
		for _, s := range m.Stores {
			if slices.Contains(envs, s.Env) {
				offered = appendNew(offered, s.Product)
			}
		}
	}
	for _, p := range products {
		if !slices.Contains(haveProducts, p) {
			return gen.NoName(file, "product", "--product", p, offered)
		}
		if len(envs) > 0 && !slices.ContainsFunc(envs, func(e string) bool { return slices.Contains(pairs, e+"/"+p) }) {
			return gen.NoPair(file, envs[0], p, pairs)
		}
	}
	return nil
}

func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}
