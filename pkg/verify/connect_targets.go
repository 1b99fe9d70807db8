package verify

import (
	"fmt"
	"net"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/gen"
)

// served is one product as verify --connect compares servers with it: its listeners, the
// names its nodes answer to, and the stores a listener may serve, opened.
type served struct {
	p         Product
	listeners []listener
	names     []string
	// stores by role: tls, internal-api, primary and truststore.
	stores map[string]EffectiveStore
}

// target is one address to connect to and what it should serve.
type target struct {
	s    *served
	host string
	port int
	l    listener
}

func (t target) address() string { return net.JoinHostPort(t.host, strconv.Itoa(t.port)) }

// loadServed reads p's configuration and opens the stores its listeners serve, with the
// passwords verify opens them with (a home's password files included).
func loadServed(p Product, o Options, offset *int) (*served, error) {
	c, r, err := readProduct(p, o, true)
	if err != nil {
		return nil, err
	}
	s := &served{p: p, stores: map[string]EffectiveStore{}}
	if s.listeners, err = listenersOf(p, c.cfg, r, offset); err != nil {
		return nil, err
	}
	for _, role := range []string{gen.RoleTLS, RoleInternalAPI, gen.RolePrimary, gen.RoleTruststore} {
		if sc := c.cfg.store(role); sc != nil {
			s.stores[role] = c.effective(r, sc)
		}
	}
	hostname, err := r.resolve(c.cfg.hostname, 0)
	if err != nil {
		hostname = ""
	}
	s.names = nodeNames(p.Planned, hostname)
	return s, nil
}

// nodeNames are the names verify --connect contacts for a product: the names a bundle's
// manifest plans for its tls certificate, or a home's [server] hostname; without wildcards,
// and without localhost and loopback addresses when there is any other name, since those
// name the machine verify runs on rather than a node.
func nodeNames(planned []string, hostname string) []string {
	var all []string
	for _, n := range append(slices.Clone(planned), hostname) {
		if n != "" && !strings.HasPrefix(n, "*") && !slices.ContainsFunc(all, func(a string) bool { return strings.EqualFold(a, n) }) {
			all = append(all, n)
		}
	}
	remote := slices.DeleteFunc(slices.Clone(all), isLoopback)
	if len(remote) > 0 {
		return remote
	}
	return all
}

func isLoopback(name string) bool {
	if ip := net.ParseIP(name); ip != nil {
		return ip.IsLoopback()
	}
	return strings.EqualFold(name, "localhost")
}

// deploymentTargets are every name of every product at each of its listeners.
func deploymentTargets(products []*served) []target {
	var out []target
	for _, s := range products {
		for _, n := range s.names {
			for _, l := range s.listeners {
				out = append(out, target{s: s, host: n, port: l.Port, l: l})
			}
		}
	}
	return out
}

// ParseAddress splits HOST:PORT ([IPv6]:PORT); the port is 1–65535.
func ParseAddress(a string) (host string, port int, err error) {
	host, p, err := net.SplitHostPort(a)
	if err == nil {
		port, err = strconv.Atoi(p)
	}
	if err != nil || host == "" || port < 1 || port > 65535 {
		return "", 0, badInput("--connect %q is not HOST:PORT; give a host name or address and a port from 1 to 65535, e.g. iam.example.com:9443", a)
	}
	return host, port, nil
}

// assign finds the product and listener an address given on the command line is for: the
// product whose names hold HOST (any product when none does), narrowed to the one with a
// listener on PORT. A port no listener has is taken as a front (load balancer) of the tls
// store when one product is left.
func assign(products []*served, addr string) (target, error) {
	host, port, err := ParseAddress(addr)
	if err != nil {
		return target{}, err
	}
	pool := slices.DeleteFunc(slices.Clone(products), func(s *served) bool {
		return !slices.ContainsFunc(s.names, func(n string) bool { return strings.EqualFold(n, host) })
	})
	if len(pool) == 0 {
		pool = products
	}
	var hits []target
	for _, s := range pool {
		for _, l := range s.listeners {
			if l.Port == port {
				hits = append(hits, target{s: s, host: host, port: port, l: l})
			}
		}
	}
	switch {
	case len(hits) == 1:
		return hits[0], nil
	case len(hits) == 0 && len(pool) == 1:
		return target{s: pool[0], host: host, port: port, l: listener{Port: port, Role: gen.RoleTLS}}, nil
	}
	var labels []string
	for _, s := range pool {
		if len(hits) == 0 || slices.ContainsFunc(hits, func(t target) bool { return t.s == s }) {
			labels = append(labels, s.p.label())
		}
	}
	return target{}, badInput("--connect %s: it could be a listener of %s; choose the product with --product (and --env)", addr, strings.Join(labels, ", "))
}

// selectProducts keeps the products of the environments and names given (all when none is).
// A name that is none of theirs is refused as every command refuses it (gen.CheckNames),
// naming the file the first PATH's names come from.
func selectProducts(products []Product, envs, names []string) ([]Product, error) {
	file := products[0].namesFile()
	if len(envs) > 0 && !slices.ContainsFunc(products, func(p Product) bool { return p.Env != "" }) {
		return nil, &gen.InputError{File: file, Msg: fmt.Sprintf("no environment %q: a WSO2 home has none; leave --env out", envs[0])}
	}
	pairs := make([][2]string, len(products))
	for i, p := range products {
		pairs[i] = [2]string{p.Env, p.Name}
	}
	if err := gen.CheckNames(file, pairs, envs, names); err != nil {
		return nil, err
	}
	var out []Product
	for _, p := range products {
		if (len(envs) == 0 || slices.Contains(envs, p.Env)) && (len(names) == 0 || slices.Contains(names, p.Name)) {
			out = append(out, p)
		}
	}
	return out, nil
}

// namesFile is the file p's environment and product names come from: a bundle's
// manifest.json, a product directory's deployment.snippet.toml (its first line), a
// home's deployment.toml (the home is named by its directory; the file is what verify reads).
func (p Product) namesFile() string {
	if p.Root != p.Target {
		return filepath.Join(p.Target, bundle.ManifestName)
	}
	return p.Config
}
