package verify

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"time"
)

// DialFunc opens a connection as net.Dialer.DialContext does; tests give one that maps a
// bundle's host names to loopback listeners.
type DialFunc func(ctx context.Context, network, address string) (net.Conn, error)

// handshake is what a server presented.
type handshake struct {
	version uint16
	chain   []*x509.Certificate
}

// probe connects to t and runs a TLS handshake with SNI set to the host, within timeout.
// It accepts every protocol version from TLS 1.0 and every certificate, so that
// connect-protocol and the certificate rules can say what is wrong instead of a bare
// handshake failure; it sends nothing after the handshake.
func probe(ctx context.Context, dial DialFunc, t target, timeout time.Duration) (*handshake, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	conn, err := dial(ctx, "tcp", t.address())
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	if d, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(d) // a dial function's connection may not watch ctx
	}
	cfg := &tls.Config{
		ServerName: t.host, // SNI; crypto/tls leaves it out for an IP address
		// The certificate is checked by the connect-* rules against the bundle's stores,
		// not by the system's roots.
		InsecureSkipVerify: true, //nolint:gosec // verified by checkServed
		MinVersion:         tls.VersionTLS10,
	}
	c := tls.Client(conn, cfg)
	if err := c.HandshakeContext(ctx); err != nil {
		return nil, err
	}
	st := c.ConnectionState()
	return &handshake{version: st.Version, chain: st.PeerCertificates}, nil
}

// unreachable says in a few words why a probe failed.
func unreachable(err error, timeout time.Duration) string {
	var dns *net.DNSError
	var alert tls.AlertError
	var header tls.RecordHeaderError
	var nerr net.Error
	var op *net.OpError
	switch {
	case errors.As(err, &op) && op.Op == "remote error":
		// crypto/tls reports an alert the server sent as a "remote error".
		return fmt.Sprintf("the server ended the handshake with the TLS alert %q", op.Err)
	case errors.As(err, &dns):
		return fmt.Sprintf("DNS: cannot resolve %s (%s)", dns.Name, dns.Err)
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused: nothing listens on that port"
	case errors.Is(err, context.DeadlineExceeded) || errors.As(err, &nerr) && nerr.Timeout():
		return fmt.Sprintf("timeout: no TLS handshake within %s", timeout)
	case errors.As(err, &alert):
		return fmt.Sprintf("the handshake failed with the TLS alert %q", alert.Error())
	case errors.As(err, &header):
		return "the server does not speak TLS on that port (plain HTTP?)"
	case errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET):
		return "the server closed the connection during the handshake"
	}
	return fmt.Sprintf("the handshake failed: %v", err)
}
