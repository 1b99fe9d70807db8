package verify

import (
	"fmt"
	"strings"

	"github.com/wso2ks/wso2ks/pkg/gen"
)

// instanceKey says which audited products are instances of one product: the same kind and
// version, and in a bundle the same environment and product name. Homes carry no product
// name, so every home of one kind and version given together is taken as one cluster.
func instanceKey(p Product) string {
	key := string(p.Kind) + " " + p.Version.String()
	if p.Env != "" {
		key += " " + p.Env + "/" + p.Name
	}
	return key
}

// compareInstances raises instances-identical: nodes of one product share a database and
// must decrypt each other's data, so primary, internal and tls must be the same on all.
func compareInstances(checked []*checker) []Finding {
	groups := map[string][]*checker{}
	var order []string
	for _, c := range checked {
		k := instanceKey(c.p)
		if groups[k] == nil {
			order = append(order, k)
		}
		groups[k] = append(groups[k], c)
	}
	var out []Finding
	for _, k := range order {
		g := groups[k]
		if len(g) < 2 {
			continue
		}
		var targets []string
		for _, c := range g {
			targets = append(targets, c.p.Target)
		}
		for _, role := range []string{gen.RolePrimary, gen.RoleInternal, gen.RoleTLS} {
			f := Finding{Rule: RuleInstances, Severity: Pass, Target: strings.Join(targets, ", "), Product: g[0].p.label(), Store: role}
			var prints []string
			differ := false
			for _, c := range g {
				leaf := c.leaves[role]
				if leaf == nil {
					prints = append(prints, c.p.Target+": (did not open)")
					differ = true
					continue
				}
				prints = append(prints, c.p.Target+": "+fingerprint(leaf))
				if c.leaves[role] != nil && g[0].leaves[role] != nil && !leaf.Equal(g[0].leaves[role]) {
					differ = true
				}
			}
			if differ {
				f.Severity, f.Fix = Fail, ruleByID(RuleInstances).Fix
				f.Message = fmt.Sprintf("the %s certificate differs between instances (SHA-256 prefix %s)", role, strings.Join(prints, "; "))
			} else {
				f.Message = fmt.Sprintf("the %s certificate is the same on %d instances", role, len(g))
			}
			out = append(out, f)
		}
	}
	return out
}
