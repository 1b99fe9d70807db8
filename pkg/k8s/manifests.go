package k8s

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path"
	"strings"

	"github.com/wso2ks/wso2ks/pkg/bundle"
)

// Dir is the directory inside a bundle that holds the manifests: where
// `wso2ks k8s` writes by default. The paths Manifests returns are relative
// to it.
const Dir = "k8s"

// Options shape the manifests.
type Options struct {
	// Namespace is metadata.namespace; empty leaves it out, so that kubectl
	// uses its current namespace.
	Namespace string
}

// ValidNamespace reports whether ns can be a namespace: a DNS-1123 label,
// the rule a bundle's names follow too (bundle.ValidName).
func ValidNamespace(ns string) bool { return bundle.ValidName(ns) }

const (
	// k8sNameMax is the length of an RFC 1123 label, which Kubernetes
	// requires of namespaces and allows for every object name here; label
	// values have the same limit.
	k8sNameMax = 63
	// k8sHashLen hex digits of SHA-256 keep a shortened name unique.
	k8sHashLen = 8
	// k8sObjectMax: the API server refuses a Secret or ConfigMap whose keys
	// and values add up to more than 1 MiB.
	k8sObjectMax = 1 << 20
)

// ObjectName is the name of a product's object, component keystores,
// passwords or config: wso2ks-<env>-<product>-<component>. One longer than
// a label is cut and given a hash of env and product, so it stays unique
// and is the same on every run; the three objects of a product share that
// hash.
func ObjectName(env, product, component string) string {
	name := "wso2ks-" + env + "-" + product + "-" + component
	if len(name) <= k8sNameMax {
		return name
	}
	sum := sha256.Sum256([]byte(env + "/" + product))
	hash := hex.EncodeToString(sum[:])[:k8sHashLen]
	keep := k8sNameMax - len("wso2ks-") - len(hash) - len(component) - 2
	mid := strings.TrimRight((env + "-" + product)[:keep], "-")
	return "wso2ks-" + mid + "-" + hash + "-" + component
}

// k8sObject is one Secret or ConfigMap.
type k8sObject struct {
	kind, name, component, comment string
	labels                         map[string]string
	data                           map[string][]byte
}

// Manifests returns the Kubernetes manifests of bundle b: for each
// environment and product a keystores Secret, a passwords Secret and the
// config object (see the package doc), as files under Dir.
func Manifests(b *bundle.Bundle, opts Options) ([]bundle.File, error) {
	if opts.Namespace != "" && !ValidNamespace(opts.Namespace) {
		return nil, fmt.Errorf("namespace %q is not a DNS-1123 label", opts.Namespace)
	}
	if err := bundle.CheckManifest(b.Manifest, bundle.ManifestName); err != nil {
		return nil, err
	}
	files := b.FileMap()
	var out []bundle.File
	owner := map[string]string{} // object name → environment/product
	secrets := map[string]*envSecrets{}
	for _, p := range b.Manifest.Products() {
		sec := secrets[p.Env]
		if sec == nil {
			var err error
			if sec, err = readSecretsEnv(p.Env, files); err != nil {
				return nil, err
			}
			secrets[p.Env] = sec
		}
		objs, err := productObjects(p, files, sec)
		if err != nil {
			return nil, err
		}
		for _, o := range objs {
			who := p.Env + "/" + p.Name
			if prev, dup := owner[o.name]; dup {
				return nil, bundle.Errorf("%s and %s both give the Kubernetes name %q; rename an environment or a product", prev, who, o.name)
			}
			owner[o.name] = who
			out = append(out, bundle.File{Path: path.Join(p.Env, p.Name+"-"+o.component+".yaml"), Data: o.yaml(opts.Namespace)})
		}
	}
	return out, nil
}
