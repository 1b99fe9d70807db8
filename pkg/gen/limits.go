package gen

import (
	"cmp"
	"fmt"
	"slices"
)

// Count limits of a topology (docs/topology.md, Limits). Each product's truststore
// holds the tls and primary certificates of every other product in its
// environment, so what plan prints and generate writes grows with the
// square of an environment's products: 100 products make 100 truststores
// of about 200 entries each. The limits keep that, and the memory and time
// it takes, bounded; they are far above any real deployment.
const (
	// MaxProducts is the most [[product]] tables a topology may hold.
	MaxProducts = 100
	// MaxEnvironments is the most [environment.*] tables; with MaxProducts
	// a plan holds at most 5,000 products.
	MaxEnvironments = 50
	// MaxNames is the most hostnames and instances of one product
	// together: its tls certificate's SANs. Let's Encrypt, like most
	// public CAs, signs at most 100 names in one certificate.
	MaxNames = 100
	// MaxExtraTrusted is the most certificates one extra_trusted list may
	// give, all its files together: every truststore it applies to holds
	// them all, and manifest.json lists them for each. Mozilla's whole CA
	// bundle is about 150.
	MaxExtraTrusted = 500
)

// checkCounts refuses a topology over the product or environment limit,
// at the first table over it.
func (v *validator) checkCounts(t *Topology) error {
	if n := len(t.Products); n > MaxProducts {
		return v.errAt(fmt.Sprintf("product.%d", MaxProducts), "the topology has %d [[product]] tables; wso2ks plans at most %d products: split it into topologies of related products, each generated into its own bundle",
			n, MaxProducts)
	}
	if n := len(t.Environment); n > MaxEnvironments {
		var at []position
		for name := range t.Environment {
			at = append(at, v.pos.find("environment."+name))
		}
		slices.SortFunc(at, func(a, b position) int { return cmp.Or(a.line-b.line, a.col-b.col) })
		first := at[MaxEnvironments] // the first over the limit, in file order
		return &InputError{File: v.src.Name, Line: first.line, Column: first.col, Msg: fmt.Sprintf("the topology has %d environments; wso2ks plans at most %d: split it into topologies of fewer environments, each generated into its own bundle",
			n, MaxEnvironments)}
	}
	return nil
}

// checkNameCount refuses a product with more hostnames and instances than
// one certificate may name, at the first name over the limit.
func (v *validator) checkNameCount(at, product string, hostnames, instances []string) error {
	n := len(hostnames) + len(instances)
	if n <= MaxNames {
		return nil
	}
	first := fmt.Sprintf("%s.hostnames.%d", at, MaxNames)
	if len(hostnames) <= MaxNames {
		first = fmt.Sprintf("%s.instances.%d", at, MaxNames-len(hostnames))
	}
	return v.errAt(first, "product %q has %d hostnames and instances; a tls certificate names at most %d: give the instances a shared name, or split the product",
		product, n, MaxNames)
}
