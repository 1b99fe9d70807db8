package bench

import (
	"path/filepath"
	"testing"

	"github.com/wso2ks/wso2ks/cmd/wso2ks/cli"
)

// run runs wso2ks in-process with its output discarded.
func run(b *testing.B, args ...string) {
	if code := cli.Run(factory(nil), args); code != 0 {
		b.Fatalf("wso2ks %v: exit %d", args, code)
	}
}

// BenchmarkInspect: 'wso2ks inspect' of the bundle of examples/multi-product.toml (26 stores,
// 6 truststores of which 3 hold the 116 public CAs), in each output format, and with --all.
func BenchmarkInspect(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "ks")
	run(b, "generate", "-f", "../examples/multi-product.toml", "-o", dir)
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"text", nil},
		{"json", []string{"--output", "json"}},
		{"prometheus", []string{"--output", "prometheus"}},
		{"text-all", []string{"--all"}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				run(b, append([]string{"inspect", dir}, tc.args...)...)
			}
		})
	}
}
