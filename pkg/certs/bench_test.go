package certs_test

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/pkg/certs"
)

// multiProductKeys are the distinct keys `wso2ks generate -f
// examples/multi-product.toml` makes, counted from its manifest.json (one
// key per store that holds a private key; no store is shared between
// products there). Per environment (dev, prod): iam primary, internal, tls,
// wssec (rsa-2048 ×4); apim primary, internal (rsa-2048 ×2) and tls
// (ecdsa-p256); mi primary, internal, tls (rsa-2048 ×3). So 2 × (9 RSA-2048
// + 1 ECDSA P-256) = 18 rsa-2048 and 2 ecdsa-p256.
func multiProductKeys() []string {
	var types []string
	for range 2 {
		types = append(types, slices.Repeat([]string{"rsa-2048"}, 9)...)
		types = append(types, "ecdsa-p256")
	}
	return types
}

// benchKeyTypes is multiProductKeys unless WSO2KS_BENCH_KEY_TYPES names the
// key types (comma-separated), as bench/keytool-vs-wso2ks.sh does from the
// manifest it just generated, so that the example and the benchmark cannot
// drift apart.
func benchKeyTypes(b *testing.B) []string {
	env := os.Getenv("WSO2KS_BENCH_KEY_TYPES")
	if env == "" {
		return multiProductKeys()
	}
	types := strings.Split(env, ",")
	for _, t := range types {
		if _, ok := certs.KeyTypes[t]; !ok {
			b.Fatalf("WSO2KS_BENCH_KEY_TYPES: unknown key type %q", t)
		}
	}
	return types
}

// BenchmarkGenerateKeysMultiProduct is the floor under `wso2ks generate`
// for examples/multi-product.toml: the same keys, on the same worker pool
// (all of GOMAXPROCS, as generate uses), with nothing else. RSA prime search
// makes single runs vary widely: take several (-count) and the median.
func BenchmarkGenerateKeysMultiProduct(b *testing.B) {
	types := benchKeyTypes(b)
	for b.Loop() {
		if _, err := certs.GenerateKeys(types, 0, nil); err != nil {
			b.Fatal(err)
		}
	}
	// After the loop: b.Loop resets the timer, and with it any metric.
	b.ReportMetric(float64(len(types)), "keys/op")
}

// BenchmarkGenerateKeyRSA2048 is one RSA-2048 key on one goroutine, to
// put the multi-product figure in proportion.
func BenchmarkGenerateKeyRSA2048(b *testing.B) {
	for b.Loop() {
		if _, err := certs.GenerateKey("rsa-2048"); err != nil {
			b.Fatal(err)
		}
	}
}
