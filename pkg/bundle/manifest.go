package bundle

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/wso2ks/wso2ks/pkg/gen"
)

// Manifest is manifest.json (SPEC §4): what a bundle holds, without
// passwords.
type Manifest struct {
	Stores []ManifestStore `json:"stores"`
	// CAs are the environments' internal CAs ([tls] issuer =
	// "internal-ca"), described like stores with the role "ca"; apart from
	// stores so that readers of stores see only store files.
	CAs []ManifestStore `json:"cas,omitempty"`
}

// ManifestStore describes one store file of a bundle.
type ManifestStore struct {
	Env       string   `json:"env"`
	Product   string   `json:"product,omitempty"`
	Kind      string   `json:"kind,omitempty"`
	Version   string   `json:"version,omitempty"`
	Role      string   `json:"role"`
	Path      string   `json:"path"`
	Type      string   `json:"type"`
	Alias     string   `json:"alias,omitempty"`
	Subject   string   `json:"subject,omitempty"`
	SANs      []string `json:"sans,omitempty"`
	Key       string   `json:"key,omitempty"`
	NotBefore string   `json:"not_before,omitempty"`
	NotAfter  string   `json:"not_after,omitempty"`
	SHA256    string   `json:"sha256,omitempty"`
	Entries   []string `json:"entries,omitempty"`
}

// Encode is manifest.json's content: indented JSON with a final newline.
func (m *Manifest) Encode() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Product is one product of one environment of a bundle, with its stores
// in manifest order.
type Product struct {
	Env, Name string
	Stores    []ManifestStore
}

// Products lists the products of the manifest's environments, in the
// order of their first store.
func (m Manifest) Products() []*Product {
	var out []*Product
	index := map[string]*Product{}
	for _, s := range m.Stores {
		id := s.Env + "/" + s.Product
		if index[id] == nil {
			index[id] = &Product{Env: s.Env, Name: s.Product}
			out = append(out, index[id])
		}
		index[id].Stores = append(index[id].Stores, s)
	}
	return out
}

var roles = []string{gen.RolePrimary, gen.RoleInternal, gen.RoleTLS, gen.RoleWSSec, gen.RoleTruststore}

// CheckManifest checks what the manifest says before any file is looked
// up by it: names that make Kubernetes names and safe paths, store paths
// inside their product's directory, file names that are Secret keys.
// file names the manifest in errors. Every reader of a bundle, verify
// included, checks it first.
func CheckManifest(m Manifest, file string) error {
	if len(m.Stores) == 0 {
		return Errorf("%s lists no stores; regenerate the bundle with 'wso2ks generate'", file)
	}
	keys := map[string]bool{}
	for i, s := range m.Stores {
		at := fmt.Sprintf("%s: store %d", file, i+1)
		switch {
		case !ValidName(s.Env):
			return Errorf("%s: environment %q is not a lower-case name of letters, digits and '-'", at, s.Env)
		case !ValidName(s.Product):
			return Errorf("%s: product %q is not a lower-case name of letters, digits and '-'", at, s.Product)
		case !slices.Contains(roles, s.Role):
			return Errorf("%s: role %q is unknown; want one of %s", at, s.Role, strings.Join(roles, ", "))
		case !strings.HasPrefix(s.Path, s.Env+"/"+s.Product+"/") || path.Clean(s.Path) != s.Path:
			return Errorf("%s: path %q is not inside %s/%s/; restore manifest.json, or regenerate the bundle with 'wso2ks generate'", at, s.Path, s.Env, s.Product)
		case !validDataKey(path.Base(s.Path)):
			return Errorf("%s: file name %q cannot be a Kubernetes Secret key (letters, digits, '-', '_' and '.')", at, path.Base(s.Path))
		}
		key := s.Env + "/" + s.Product + "/" + path.Base(s.Path)
		if keys[key] {
			return Errorf("%s: a second store named %s for product %q in environment %q", at, path.Base(s.Path), s.Product, s.Env)
		}
		keys[key] = true
	}
	return nil
}
