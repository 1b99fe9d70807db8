package bench

import (
	"crypto/rand"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wso2ks/wso2ks/cmd/wso2ks/cli"
	"github.com/wso2ks/wso2ks/internal/testkit"
	"github.com/wso2ks/wso2ks/pkg/infile"
	"github.com/wso2ks/wso2ks/pkg/verify"
)

// BenchmarkVerifyConnect: 'wso2ks verify --connect' in-process on the bundle of
// examples/multi-product.toml, its deployment served by one crypto/tls server per tls
// store on loopback (testkit.ServeBundle): every node name at every listener, 30
// addresses, at most 16 handshakes in flight; and one address alone. Each run reads and
// opens the bundle's stores, connects, handshakes and checks.
func BenchmarkVerifyConnect(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "ks")
	f := factory(nil)
	if code := cli.Run(f, []string{"generate", "-f", "../examples/multi-product.toml", "-o", dir}); code != 0 {
		b.Fatalf("generate: exit %d", code)
	}
	dial := testkit.DialMap(testkit.ServeBundle(b, dir))
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"deployment=30-addresses", []string{"--connect"}},
		{"one-address", []string{"--connect", "iam.prod.example.com:9443"}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				f := factory(dial)
				if code := cli.Run(f, append([]string{"verify", dir}, tc.args...)); code != 0 {
					b.Fatalf("verify %v: exit %d", tc.args, code)
				}
			}
		})
	}
}

// factory is the CLI's world for a benchmark: real clock, output discarded, dial as given.
func factory(dial verify.DialFunc) *cli.Factory {
	return &cli.Factory{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: os.Stderr, Now: time.Now, Rand: rand.Reader,
		ReadFile: infile.Read, Getenv: func(string) (string, bool) { return "", false }, Dial: dial}
}
