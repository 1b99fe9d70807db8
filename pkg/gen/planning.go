package gen

import (
	"slices"
)

// Plan resolves the stores of every product in the named environments (all
// when envs is empty).
func (c *Config) Plan(envs []string) (*Plan, error) {
	plan := &Plan{Topology: c.Source}
	err := c.PlanEach(envs, func(env *Environment) error {
		plan.Environments = append(plan.Environments, *env)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return plan, nil
}

// PlanEach plans the named environments (all when envs is empty) one at a
// time and hands each to fn, in the topology's order, stopping at fn's
// first error. A caller that prints each and lets it go holds one
// environment at a time: memory stays that of the largest environment, not
// of the whole plan.
func (c *Config) PlanEach(envs []string, fn func(*Environment) error) error {
	selected, err := c.selectEnvs(envs)
	if err != nil {
		return err
	}
	for _, e := range selected {
		env := Environment{Name: e.Name}
		for _, pc := range c.Products {
			env.Products = append(env.Products, c.planProduct(e, pc))
		}
		if c.TLS.Shared {
			c.shareTLS(&env)
		}
		if c.TLS.Issuer == IssuerInternalCA || c.External != nil {
			c.planCA(&env)
		}
		if err := addTrust(&env, c); err != nil {
			return err
		}
		if err := fn(&env); err != nil {
			return err
		}
	}
	return nil
}

func (c *Config) selectEnvs(names []string) ([]EnvConfig, error) {
	if len(names) == 0 {
		return c.Environments, nil
	}
	var out []EnvConfig
	var known []string
	for _, e := range c.Environments {
		known = append(known, e.Name)
	}
	for _, n := range names {
		i := slices.IndexFunc(c.Environments, func(e EnvConfig) bool { return e.Name == n })
		if i < 0 {
			return nil, NoName(c.Source, "environment", "--env", n, known)
		}
		if !slices.ContainsFunc(out, func(e EnvConfig) bool { return e.Name == n }) {
			out = append(out, c.Environments[i])
		}
	}
	// Keep the topology's order whatever order the flags came in.
	slices.SortFunc(out, func(a, b EnvConfig) int {
		return slices.Index(known, a.Name) - slices.Index(known, b.Name)
	})
	return out, nil
}
