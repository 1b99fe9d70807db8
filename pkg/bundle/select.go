package bundle

import "github.com/wso2ks/wso2ks/pkg/gen"

// Names returns the environments, the products and the env/product pairs
// the manifest's stores name, each once, in the order the manifest holds
// them.
func (m Manifest) Names() (envs, products, pairs []string) {
	for _, s := range m.Stores {
		envs = gen.AppendNew(envs, s.Env)
		products = gen.AppendNew(products, s.Product)
		pairs = gen.AppendNew(pairs, s.Env+"/"+s.Product)
	}
	return envs, products, pairs
}

// CheckSelection refuses an --env or --product value that names nothing in
// the manifest, whose file is file, with the wording every command shares
// (gen.CheckNames). Empty envs or products select all.
func (m Manifest) CheckSelection(file string, envs, products []string) error {
	pairs := make([][2]string, len(m.Stores))
	for i, s := range m.Stores {
		pairs[i] = [2]string{s.Env, s.Product}
	}
	return gen.CheckNames(file, pairs, envs, products)
}
