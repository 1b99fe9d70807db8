package cli

import (
	"fmt"
	"sort"

	"github.com/wso2ks/wso2ks/pkg/emit"
	"github.com/wso2ks/wso2ks/pkg/gen"
)

// readPasswords reads a --passwords file (the secrets.env format) and checks
// it against the plan: one environment, every variable a store of it or a
// product's encryption key, every password acceptable to keytool and Java,
// every key one the product reads.
func readPasswords(f *Factory, file string, plan *gen.Plan) (map[string]string, error) {
	if file == "" {
		return nil, nil
	}
	fail := func(format string, args ...any) error {
		return &gen.InputError{File: file, Msg: fmt.Sprintf(format, args...)}
	}
	if len(plan.Environments) != 1 {
		return nil, fail("--passwords holds one environment's passwords, and the topology has %d; choose one with --env NAME", len(plan.Environments))
	}
	data, err := f.ReadFile(file)
	if err != nil {
		return nil, fail("cannot read the passwords file (%v); give the secrets.env of an earlier bundle", unwrap(err))
	}
	vars, err := emit.ParseSecretsEnv(data)
	if err != nil {
		return nil, fail("%v; write NAME=value lines as secrets.env has them", err)
	}
	known := map[string]bool{}
	keys := map[string]*gen.Product{} // encryption key variables, checked as keys
	for i, p := range plan.Environments[0].Products {
		for _, s := range p.Stores {
			known[s.PasswordVar] = true
		}
		if e := p.Encryption; e != nil && e.Provider == gen.ProviderSymmetric {
			keys[e.KeyVar] = &plan.Environments[0].Products[i]
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
			return nil, fail("%s names no store of environment %q; remove the line", name, plan.Environments[0].Name)
		}
		if msg := gen.CheckPassword(vars[name]); msg != "" {
			return nil, fail("the password in %s %s", name, msg)
		}
	}
	return vars, nil
}

// unwrap drops the path from an *fs.PathError's text: the caller names it.
func unwrap(err error) string {
	type unwrapper interface{ Unwrap() error }
	if u, ok := err.(unwrapper); ok && u.Unwrap() != nil {
		return u.Unwrap().Error()
	}
	return err.Error()
}
