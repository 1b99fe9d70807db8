package verify

import (
	"context"
	"crypto"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"os"
	"path/filepath"
	"testing"

	"github.com/wso2ks/wso2ks/pkg/keystore"
)

// The servers of the connect tests: crypto/tls on 127.0.0.1, and a dial function that
// sends a bundle's or home's host names there. Nothing else is contacted.

// serveTLS runs a TLS server on a loopback port with key and chain (cfg may set versions or
// a failing GetCertificate) and returns its address.
func serveTLS(t *testing.T, cfg *tls.Config, key crypto.Signer, chain ...*x509.Certificate) string {
	t.Helper()
	if cfg == nil {
		cfg = &tls.Config{}
	}
	if cfg.GetCertificate == nil {
		cert := tls.Certificate{PrivateKey: key, Leaf: chain[0]}
		for _, c := range chain {
			cert.Certificate = append(cert.Certificate, c.Raw)
		}
		cfg.Certificates = []tls.Certificate{cert}
	}
	ln, err := tls.Listen("tcp", "127.0.0.1:0", cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				_ = conn.(*tls.Conn).Handshake()
				var b [1]byte
				_, _ = conn.Read(b[:]) // until the client hangs up
			}()
		}
	}()
	return ln.Addr().String()
}

// silentServer accepts connections and never answers: a hung server.
func silentServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	t.Cleanup(func() { close(done); ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { <-done; conn.Close() }()
		}
	}()
	return ln.Addr().String()
}

// closedPort is a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// dialMap dials the loopback address an address is mapped to; an address not in the map
// is a DNS failure, so that a test never reaches out.
func dialMap(m map[string]string) DialFunc {
	return func(ctx context.Context, network, address string) (net.Conn, error) {
		to, ok := m[address]
		if !ok {
			host, _, _ := net.SplitHostPort(address)
			return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
		}
		if host, _, _ := net.SplitHostPort(to); net.ParseIP(host) == nil || !net.ParseIP(host).IsLoopback() {
			return nil, errors.New("test dial to a non-loopback address " + to)
		}
		var d net.Dialer
		return d.DialContext(ctx, network, to)
	}
}

// storeKey decodes a PKCS#12 key store of a fixture home: what its server serves.
func storeKey(t *testing.T, dir, file string) keystore.KeyEntry {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(isSecurity+file)))
	if err != nil {
		t.Fatal(err)
	}
	st, err := keystore.Decode(keystore.PKCS12, data, testPassword)
	if err != nil || len(st.Keys) != 1 {
		t.Fatalf("decode %s: %v", file, err)
	}
	return st.Keys[0]
}
