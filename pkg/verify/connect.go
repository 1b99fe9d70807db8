package verify

import (
	"context"
	"net"
	"sync"
	"time"
)

// verify --connect compares what running servers serve with a bundle or a home: it connects
// over TLS to the addresses given, or to every node name of every product at each of its
// HTTPS listeners, and raises the connect-* rules. It contacts nothing else.

// DefaultConnectTimeout is ConnectOptions.Timeout's default.
const DefaultConnectTimeout = 5 * time.Second

// connectParallel bounds the handshakes in flight: enough for a deployment's nodes, few
// enough for one machine's sockets and a server's accept queue.
const connectParallel = 16

// ConnectOptions say whom verify --connect contacts and how.
type ConnectOptions struct {
	// Addresses are HOST:PORT; empty: every name and listener the PATHs describe.
	Addresses []string
	// Envs and Products keep the products of those environments and names (all when empty).
	Envs, Products []string
	// PortOffset replaces each product's [server] offset when not nil.
	PortOffset *int
	// Timeout bounds each connection: dial and handshake.
	Timeout time.Duration
	// Dial opens connections; nil: net.Dialer.
	Dial DialFunc
}

// Connect checks the servers of the products at paths (bundles, product directories of a
// bundle, homes) against their stores. Unusable input (a PATH, a setting, an address) is an
// error that matches gen.ErrInput, and then nothing is contacted.
func Connect(ctx context.Context, paths []string, o Options, co ConnectOptions) (*Report, error) {
	if o.FS == nil {
		o.FS = OSFS
	}
	if o.Getenv == nil {
		o.Getenv = func(string) (string, bool) { return "", false }
	}
	if co.Timeout <= 0 {
		co.Timeout = DefaultConnectTimeout
	}
	if co.Dial == nil {
		co.Dial = (&net.Dialer{}).DialContext
	}
	var found []Product
	for _, p := range paths {
		ps, err := Discover(o.FS, p)
		if err != nil {
			return nil, err
		}
		found = append(found, ps...)
	}
	found, err := selectProducts(found, co.Envs, co.Products)
	if err != nil {
		return nil, err
	}
	var products []*served
	for _, p := range found {
		s, err := loadServed(p, o, co.PortOffset)
		if err != nil {
			return nil, err
		}
		products = append(products, s)
	}
	targets := deploymentTargets(products)
	if len(co.Addresses) > 0 {
		targets = nil
		for _, a := range co.Addresses {
			t, err := assign(products, a)
			if err != nil {
				return nil, err
			}
			targets = append(targets, t)
		}
	}
	results := make([][]Finding, len(targets))
	sem := make(chan struct{}, connectParallel)
	var wg sync.WaitGroup
	for i, t := range targets {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			c := &connectCheck{t: t, o: o}
			h, err := probe(ctx, co.Dial, t, co.Timeout)
			if err != nil {
				c.add(RuleConnectReachable, Fail, "no TLS on the %s: %s", t.l, unreachable(err, co.Timeout))
			} else {
				c.checkServed(h)
			}
			results[i] = c.findings
		}()
	}
	wg.Wait()
	r := &Report{Findings: []Finding{}}
	for _, fs := range results {
		r.Findings = append(r.Findings, fs...)
	}
	r.Tally()
	return r, nil
}
