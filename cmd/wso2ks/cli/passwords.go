package cli

import (
	"fmt"
	"slices"
	"sort"
	"strconv"

	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/gen"
	"github.com/wso2ks/wso2ks/pkg/infile"
)

// readPasswords reads a --passwords file (the secrets.env format) and checks
// it against the plan: one environment, the one a wso2ks secrets.env names
// in its first line; every variable one of its products' (knownVars): a
// store's password, acceptable to keytool and Java, or a product's
// encryption key, one the product reads; and, in a wso2ks secrets.env, a
// variable for every product, since a file from another product set would
// keep some products' passwords and silently make the rest anew.
func readPasswords(f *Factory, file string, plan *gen.Plan) (map[string]string, error) {
	if file == "" {
		return nil, nil
	}
	// Errors name the file "--passwords FILE", never by its name: the
	// value may be a password given by mistake.
	fail := func(format string, args ...any) error {
		return &gen.InputError{Msg: "--passwords FILE: " + fmt.Sprintf(format, args...)}
	}
	data, err := f.ReadFile(file, infile.SecretsEnv)
	if err != nil {
		return nil, secretFileError("--passwords", file, "the secrets.env of an earlier bundle", false, err)
	}
	if len(plan.Environments) != 1 {
		return nil, fail("holds one environment's passwords, and the topology has %d; choose one with --env NAME", len(plan.Environments))
	}
	vars, err := bundle.ParseSecretsEnv(data)
	if err != nil {
		return nil, fail("%v; write NAME=value lines as secrets.env has them", err)
	}
	env := &plan.Environments[0]
	from, byWSO2KS := bundle.SecretsEnvOf(data)
	if byWSO2KS && from != env.Name {
		return nil, fail("the file is the secrets.env of environment %q (its first line says so), but this run generates %q; give --passwords the secrets.env of %q", from, env.Name, env.Name)
	}
	known := map[string]bool{}
	keys := map[string]*gen.Product{} // encryption key variables, checked as keys
	for i := range env.Products {
		p := &env.Products[i]
		for _, name := range knownVars(p) {
			known[name] = true
		}
		if e := p.Encryption; e != nil && e.Provider == gen.ProviderSymmetric {
			keys[e.KeyVar] = p
		}
	}
	names := make([]string, 0, len(vars))
	for name := range vars {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if p := keys[name]; p != nil {
			if msg := p.CheckEncryptionKey(vars[name]); msg != "" {
				return nil, fail("the encryption key in %s %s", name, msg)
			}
			continue
		}
		if !known[name] {
			return nil, fail("%s names no store of environment %q; remove the line", name, env.Name)
		}
		if msg := gen.CheckPassword(vars[name]); msg != "" {
			return nil, fail("the password in %s %s", name, msg)
		}
	}
	if !byWSO2KS {
		return vars, nil // written by hand: it may give some passwords only
	}
	var missing []string
	for _, p := range env.Products {
		if !slices.ContainsFunc(knownVars(&p), func(name string) bool { _, ok := vars[name]; return ok }) {
			missing = append(missing, strconv.Quote(p.Name))
		}
	}
	if len(missing) > 0 {
		what := "product " + missing[0]
		if len(missing) > 1 {
			what = "products " + andList(missing)
		}
		return nil, fail("the file has no password of %s, which environment %q plans: the file is from another product set; to add products to an existing bundle, run 'wso2ks generate -f TOPOLOGY --update DIR' on that bundle instead", what, env.Name)
	}
	return vars, nil
}

// knownVars are the secrets.env variables a bundle holds for product p:
// the password of each of its stores, and its encryption key.
func knownVars(p *gen.Product) []string {
	var names []string
	for _, s := range p.Stores {
		names = append(names, s.PasswordVar)
	}
	if e := p.Encryption; e != nil && e.Provider == gen.ProviderSymmetric {
		names = append(names, e.KeyVar)
	}
	return names
}

// unwrap drops the path from an *fs.PathError's text: the caller names it.
func unwrap(err error) string {
	type unwrapper interface{ Unwrap() error }
	if u, ok := err.(unwrapper); ok && u.Unwrap() != nil {
		return u.Unwrap().Error()
	}
	return err.Error()
}
