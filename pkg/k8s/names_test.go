package k8s

import (
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/internal/testkit"
)

func TestK8sNames(t *testing.T) {
	long := strings.Repeat("e", 32)
	for _, tt := range []struct{ env, product, component, want string }{
		{"dev", "iam", "keystores", "wso2ks-dev-iam-keystores"},
		{"prod", "apim", "config", "wso2ks-prod-apim-config"},
		// 63 characters: kept as it is.
		{"abcdefghijklmnopqrstuvwxyz", "abcdefghijklmnopqrs", "keystores", "wso2ks-abcdefghijklmnopqrstuvwxyz-abcdefghijklmnopqrs-keystores"},
		// 64: cut, with a hash of environment and product.
		{"abcdefghijklmnopqrstuvwxyz", "abcdefghijklmnopqrstu", "keystores", "wso2ks-abcdefghijklmnopqrstuvwxyz-abcdefghij-297bebe2-keystores"},
		{long, "identity-server", "passwords", "wso2ks-eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee-iden-d87e858c-passwords"},
		// A cut that ends on '-' drops it.
		{long, "abc-defghijklmnopqrstuvwxyz", "keystores", "wso2ks-eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee-abc-217bb87b-keystores"},
	} {
		got := ObjectName(tt.env, tt.product, tt.component)
		if got != tt.want {
			t.Errorf("ObjectName(%q, %q, %q) = %q, want %q", tt.env, tt.product, tt.component, got, tt.want)
		}
		if len(got) > 63 || !dnsLabel.MatchString(got) {
			t.Errorf("%q is not a DNS-1123 label", got)
		}
	}
}

// TestK8sLongNames: products whose names only differ past the cut still
// get different names, the same on every run, and a product's three
// objects share its hash.
func TestK8sLongNames(t *testing.T) {
	env := "production-europe-west-blue-one"
	b := testkit.FakeBundle(
		testkit.FakeProduct{Env: env, Name: "identity-server-primary-cluster-a", Plain: false},
		testkit.FakeProduct{Env: env, Name: "identity-server-primary-cluster-b", Plain: false},
		testkit.FakeProduct{Env: "dev", Name: "iam", Plain: false},
	)
	out, err := Manifests(b, Options{})
	if err != nil {
		t.Fatal(err)
	}
	again, _ := Manifests(b, Options{})
	if !sameFiles(out, again) {
		t.Error("two runs differ")
	}
	seen := map[string]string{}
	hashes := map[string]string{}
	for _, f := range out {
		doc, _ := testkit.DecodeK8s(t, f.Path, f.Data)
		name := doc.Metadata.Name
		if !dnsLabel.MatchString(name) || len(name) > 63 {
			t.Errorf("%s: name %q is not a DNS-1123 label", f.Path, name)
		}
		if prev, dup := seen[name]; dup {
			t.Errorf("%s and %s share the name %s", prev, f.Path, name)
		}
		seen[name] = f.Path
		product := doc.Metadata.Labels["wso2ks.io/product"]
		if product == "iam" {
			continue
		}
		parts := strings.Split(name, "-")
		hash := parts[len(parts)-2]
		if len(hash) != 8 || !strings.HasPrefix(name, "wso2ks-production-europe-west-blue-one-") {
			t.Errorf("%s: shortened name %q lacks its prefix or hash", f.Path, name)
		}
		if h, ok := hashes[product]; ok && h != hash {
			t.Errorf("%s: hash %s, other objects of %s have %s", f.Path, hash, product, h)
		}
		hashes[product] = hash
	}
	if len(hashes) != 2 || hashes["identity-server-primary-cluster-a"] == hashes["identity-server-primary-cluster-b"] {
		t.Errorf("hashes %v: want two different", hashes)
	}
}
