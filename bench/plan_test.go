// Package bench holds benchmarks of whole wso2ks commands, run in-process
// as a user runs them; bench/*.sh run them and the real binary and print
// the figures docs/speed.md records.
package bench

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Topology writes a topology of products products (IS, APIM and MI in
// turn, each with a hostname and two instances) in envs environments to
// dir and returns its path.
func Topology(tb testing.TB, dir string, products, envs int) string {
	tb.Helper()
	var b strings.Builder
	b.WriteString("[subject]\norganization = \"Bench Corp\"\n")
	kinds := []string{"kind = \"wso2is\"\nversion = \"7.1.0\"", "kind = \"wso2am\"\nversion = \"4.5.0\"", "kind = \"wso2mi\"\nversion = \"4.4.0\""}
	for i := range products {
		fmt.Fprintf(&b, "[[product]]\nname = \"p%d\"\n%s\nhostnames = [\"p%d.${env}.example.com\"]\ninstances = [\"p%d-0.${env}.svc\", \"p%d-1.${env}.svc\"]\n",
			i, kinds[i%len(kinds)], i, i, i)
	}
	for i := range envs {
		fmt.Fprintf(&b, "[environment.e%d]\n", i)
	}
	file := filepath.Join(dir, fmt.Sprintf("topology-%dx%d.toml", products, envs))
	if err := os.WriteFile(file, []byte(b.String()), 0o644); err != nil {
		tb.Fatal(err)
	}
	return file
}

// plan runs 'wso2ks plan' in-process, its output discarded.
func plan(b *testing.B, args ...string) { run(b, append([]string{"plan"}, args...)...) }

// BenchmarkPlan: 'wso2ks plan' of 100, 1,000 and 5,000 products, as
// environments of 100 products (the most one topology holds): time and
// memory grow linearly with the number of products.
func BenchmarkPlan(b *testing.B) {
	for _, envs := range []int{1, 10, 50} {
		file := Topology(b, b.TempDir(), 100, envs)
		for _, output := range []string{"text", "json"} {
			b.Run(fmt.Sprintf("products=%d/%s", 100*envs, output), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					plan(b, "-f", file, "--output", output)
				}
			})
		}
	}
}

// BenchmarkPlanOneEnvironment: 'wso2ks plan' of 25, 50 and 100 products in
// one environment. Each truststore lists two certificates of every other
// product, so this grows with the square of the products: the reason for
// the 100-product limit.
func BenchmarkPlanOneEnvironment(b *testing.B) {
	for _, products := range []int{25, 50, 100} {
		file := Topology(b, b.TempDir(), products, 1)
		b.Run(fmt.Sprintf("products=%d", products), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				plan(b, "-f", file)
			}
		})
	}
}
