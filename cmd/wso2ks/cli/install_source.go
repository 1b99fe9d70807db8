package cli

import (
	"fmt"
	"strings"

	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/emit"
	"github.com/wso2ks/wso2ks/pkg/gen"
	"github.com/wso2ks/wso2ks/pkg/lifecycle"
)

// source reads --bundle and picks its product, or plans -f's one product,
// whose bundle build makes once the home's keys are known.
func (in *installer) source() error {
	opts := in.opts
	if opts.Bundle != "" {
		b, err := bundle.Read(opts.Bundle)
		if err != nil {
			return err
		}
		env, product, err := pickProduct(b, opts)
		if err != nil {
			return err
		}
		in.b, in.env, in.product = b, env, product
		in.kind, in.version = productKindVersion(b, env, product)
		return nil
	}
	var envs []string
	if opts.Env != "" {
		envs = []string{opts.Env}
	}
	plan, err := loadPlan(in.f, opts.Topology, envs)
	if err != nil {
		return err
	}
	if len(plan.Environments) != 1 {
		var names []string
		for _, e := range plan.Environments {
			names = append(names, e.Name)
		}
		return gen.Several(plan.Topology, "install puts one environment's product into a home, and the topology has several", "--env", names)
	}
	env := plan.Environments[0]
	if len(env.Products) != 1 {
		return &gen.InputError{File: plan.Topology, Msg: fmt.Sprintf("environment %q has %d products, whose truststores must trust each other; run 'wso2ks generate' and install each with --bundle", env.Name, len(env.Products))}
	}
	p := &env.Products[0]
	if opts.Product != "" && opts.Product != p.Name {
		return gen.NoName(plan.Topology, "product", "--product", opts.Product, []string{p.Name}) // every environment has every product
	}
	if p.PasswordMode != gen.PasswordPlain && opts.Secrets == "" && !opts.DryRun {
		return &usageError{fmt.Sprintf("the passwords of environment %q are not in its snippets (password_mode %q); give --secrets FILE to keep them", env.Name, p.PasswordMode)}
	}
	in.plan, in.env, in.product, in.kind, in.version = plan, env.Name, p.Name, string(p.Kind), p.Version
	return nil
}

// build generates -f's bundle around what the home has: every key store of
// its own (not WSO2's default) keeps its key, certificate and password
// where the topology plans the same role, and the vault its ciphertexts.
func (in *installer) build() error {
	p := &in.plan.Environments[0].Products[0]
	h := in.homeKeys(p)
	if in.opts.ReplaceKeys {
		h.Keys = nil // new keys, as asked; compareKeys lists each it replaces
	}
	var err error
	if h.EncryptionKey, err = in.keptEncryptionKey(); err != nil {
		return err
	}
	prior := lifecycle.HomePrior(in.env, p, h)
	r, err := lifecycle.Reconcile(in.plan, prior, in.f.Now())
	if err != nil {
		return err
	}
	if in.b, err = emit.Build(in.plan, emit.BuildOptions{Rand: in.f.Rand, Now: in.f.Now(), Reuse: r.Reuse()}); err != nil {
		return err
	}
	var kept, reissued []string
	for _, c := range r.Changes {
		if c.Product != p.Name || c.Role == gen.RoleTruststore || in.home.key(c.Role) == nil {
			continue
		}
		switch c.Action {
		case lifecycle.ActionKeep:
			kept = append(kept, c.Role)
		case lifecycle.ActionReissue:
			reissued = append(reissued, fmt.Sprintf("%s (%s)", c.Role, c.Reason))
		case lifecycle.ActionNewKey:
			in.reasons[c.Role] = c.Reason
		}
	}
	if len(kept) > 0 {
		in.say("keys: kept the home's %s", strings.Join(kept, ", "))
	}
	if len(reissued) > 0 {
		in.say("keys: kept the home's key, with a new certificate, for %s", strings.Join(reissued, "; "))
	}
	return nil
}
