package emit

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path"
	"strings"

	"github.com/wso2ks/wso2ks/pkg/bundle"
)

// Kubernetes output (issue 3, point 5). For every environment and product of
// a bundle K8sManifests makes three objects, one per file, so that
// `kubectl apply -f k8s/<env>/` applies an environment and a GitOps diff shows
// one object per file:
//
//	<env>/<product>-keystores.yaml  Secret wso2ks-<env>-<product>-keystores: the
//	                                store files, keyed by file name, to mount
//	                                (subPath per key) in repository/resources/security/
//	<env>/<product>-passwords.yaml  Secret wso2ks-<env>-<product>-passwords: the
//	                                product's secrets.env variables, for envFrom
//	<env>/<product>-config.yaml     wso2ks-<env>-<product>-config holding
//	                                deployment.snippet.toml, to merge into
//	                                deployment.toml, and in vault mode the secure
//	                                vault's secret-conf.properties and
//	                                cipher-text.properties
//
// The snippet is not a key of the passwords Secret: envFrom turns every key of
// a Secret into an environment variable (or skips it with a warning event), so
// that Secret holds variables only. The config object is a ConfigMap when its
// files hold no password — env mode, where the snippet says $env{…}, which the
// passwords Secret resolves, and vault mode, where it says $secret{…} and
// holds ciphertexts — and a Secret of the same name when they do (plain mode).
// That is decided from the bytes, not from a mode the bundle does not record:
// files that contain any password of their environment's secrets.env make a
// Secret, so a password never lands in a ConfigMap (a short supplied password
// that happens to occur in the text only makes it a Secret needlessly).

// K8sDir is the directory inside a bundle that holds the manifests: where
// `wso2ks k8s` writes by default. The paths K8sManifests returns are relative
// to it.
const K8sDir = "k8s"

// K8sOptions shape the manifests.
type K8sOptions struct {
	// Namespace is metadata.namespace; empty leaves it out, so that kubectl
	// uses its current namespace.
	Namespace string
}

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

// k8sName is wso2ks-<env>-<product>-<component>. One longer than a label is
// cut and given a hash of env and product, so it stays unique and is the
// same on every run; the three objects of a product share that hash.
func k8sName(env, product, component string) string {
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

// K8sManifests returns the Kubernetes manifests of bundle b: for each
// environment and product a keystores Secret, a passwords Secret and the
// config object (see above), as files under K8sDir.
func K8sManifests(b *bundle.Bundle, opts K8sOptions) ([]bundle.File, error) {
	if opts.Namespace != "" && !bundle.ValidName(opts.Namespace) {
		return nil, fmt.Errorf("namespace %q is not a DNS-1123 label", opts.Namespace)
	}
	if err := bundle.CheckManifest(b.Manifest, bundle.ManifestName); err != nil {
		return nil, err
	}
	files := make(map[string][]byte, len(b.Files))
	for _, f := range b.Files {
		files[f.Path] = f.Data
	}
	var out []bundle.File
	owner := map[string]string{} // object name → environment/product
	secrets := map[string]*envSecrets{}
	for _, p := range b.Manifest.Products() {
		sec := secrets[p.Env]
		if sec == nil {
			var err error
			if sec, err = readSecretsEnv(path.Join(p.Env, bundle.SecretsName), files); err != nil {
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
