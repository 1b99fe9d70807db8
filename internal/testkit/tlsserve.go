package testkit

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"strconv"
	"testing"

	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/gen"
)

// The servers of the verify --connect tests and benchmark: crypto/tls on 127.0.0.1, and a
// dial function that sends a bundle's host names there. Nothing else is contacted.

// ServeTLS runs a TLS server on a loopback port until the test ends and returns its
// address. Each connection is handshaken and held until the client hangs up.
func ServeTLS(tb testing.TB, cfg *tls.Config) string {
	tb.Helper()
	ln, err := tls.Listen("tcp", "127.0.0.1:0", cfg)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				if conn.(*tls.Conn).Handshake() == nil {
					var b [1]byte
					_, _ = conn.Read(b[:])
				}
			}()
		}
	}()
	return ln.Addr().String()
}

// DialMap dials the loopback address that m maps an address to; an address m does not
// map fails as an unknown host does, so that a test never reaches out.
func DialMap(m map[string]string) func(ctx context.Context, network, address string) (net.Conn, error) {
	return func(ctx context.Context, network, address string) (net.Conn, error) {
		to, ok := m[address]
		if !ok {
			host, _, _ := net.SplitHostPort(address)
			return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
		}
		if host, _, _ := net.SplitHostPort(to); net.ParseIP(host) == nil || !net.ParseIP(host).IsLoopback() {
			return nil, errors.New("testkit: a test dialled " + to + ", which is not a loopback address")
		}
		var d net.Dialer
		return d.DialContext(ctx, network, to)
	}
}

// listenerPorts are the HTTPS ports of each product kind with WSO2's defaults: IS and APIM
// 9443, APIM's gateway 8243, MI's listener 8253 and internal API 9164 (MI's offset of 10).
var listenerPorts = map[string][]int{"wso2is": {9443}, "wso2am": {9443, 8243}, "wso2mi": {8253, 9164}}

// ServeBundle serves each tls store of the bundle at dir from a server of its own on
// loopback, as the product's nodes would, and returns the map DialMap takes: each of the
// store's ListenerAddresses.
func ServeBundle(tb testing.TB, dir string) map[string]string {
	tb.Helper()
	st, err := bundle.Open(dir)
	if err != nil {
		tb.Fatal(err)
	}
	out := map[string]string{}
	for _, s := range st.Bundle.Manifest.Stores {
		if s.Role != gen.RoleTLS {
			continue
		}
		store, _, err := st.Decode(s)
		if err != nil || len(store.Keys) != 1 {
			tb.Fatalf("%s: %v", s.Path, err)
		}
		entry := store.Keys[0]
		cert := tls.Certificate{PrivateKey: entry.Key, Leaf: entry.Chain[0]}
		for _, c := range entry.Chain {
			cert.Certificate = append(cert.Certificate, c.Raw)
		}
		addr := ServeTLS(tb, &tls.Config{Certificates: []tls.Certificate{cert}})
		for _, a := range ListenerAddresses(s) {
			out[a] = addr
		}
	}
	return out
}

// ListenerAddresses are the addresses verify --connect contacts for a bundle's tls store
// s: every name of its certificate but localhost, at each listener port of the product's
// kind.
func ListenerAddresses(s bundle.ManifestStore) []string {
	var out []string
	for _, name := range s.SANs {
		if name == "localhost" {
			continue
		}
		for _, port := range listenerPorts[s.Kind] {
			out = append(out, net.JoinHostPort(name, strconv.Itoa(port)))
		}
	}
	return out
}
