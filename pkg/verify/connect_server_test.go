package verify

import (
	"crypto"
	"crypto/tls"
	"crypto/x509"
	"net"
	"os"
	"path/filepath"
	"testing"

	"github.com/wso2ks/wso2ks/internal/testkit"
	"github.com/wso2ks/wso2ks/pkg/keystore"
)

// The servers of the connect tests, on 127.0.0.1 (testkit.DialMap sends a home's host
// names there): TLS servers, a server that never answers, and a closed port.

// serveTLS serves key and chain on a loopback port (cfg may set versions, or a failing
// GetCertificate) and returns its address.
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
	return testkit.ServeTLS(t, cfg)
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
