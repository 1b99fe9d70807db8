package deploytoml

import (
	"fmt"
	"path"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/gen"
	"github.com/wso2ks/wso2ks/pkg/keystore"
)

// HomeFile is one file install puts into a WSO2 home, by path relative to
// the home.
type HomeFile struct {
	Path string
	Data []byte
	// Secret files (stores, vault files) are written 0600; others keep
	// the mode of the file they replace.
	Secret bool
}

// HomeLayout is where a product kind keeps its configuration.
type HomeLayout struct {
	Kind       gen.Kind
	Deployment string // deployment.toml, relative to the home
	Script     string // the start script that identifies the kind
}

// Layouts of the product kinds (SPEC §1): IS and APIM read
// repository/conf/deployment.toml, MI conf/deployment.toml.
var homeLayouts = map[gen.Kind]HomeLayout{
	gen.IdentityServer:  {gen.IdentityServer, "repository/conf/deployment.toml", "bin/wso2server.sh"},
	gen.APIManager:      {gen.APIManager, "repository/conf/deployment.toml", "bin/api-manager.sh"},
	gen.MicroIntegrator: {gen.MicroIntegrator, "conf/deployment.toml", "bin/micro-integrator.sh"},
}

// LayoutOf returns the layout of a product kind.
func LayoutOf(kind string) (HomeLayout, bool) {
	l, ok := homeLayouts[gen.Kind(kind)]
	return l, ok
}

// packName matches the directory name of an unpacked WSO2 pack.
var packName = regexp.MustCompile(`^wso2(is|am|mi)-(\d+\.\d+\.\d+)$`)

// HomeMismatch is a home that is plainly of another product or version than
// the one wanted: its directory is named like another pack, or it holds
// another kind's start script.
type HomeMismatch struct {
	Home string
	// Kind is what the home is; Version is "" when a start script (Script)
	// said so, not the directory's name.
	Kind            gen.Kind
	Version, Script string
	// WantKind and WantVersion are the product the home was given for.
	WantKind    gen.Kind
	WantVersion string
}

// Error says it as install does, for a bundle.
func (e *HomeMismatch) Error() string {
	if e.Script == "" {
		return fmt.Sprintf("%s looks like a %s %s pack, and the bundle is for %s %s; give the home of the product the bundle was made for", e.Home, e.Kind, e.Version, e.WantKind, e.WantVersion)
	}
	return fmt.Sprintf("%s has %s, so it is a %s home, and the bundle is for %s; give the home of the product the bundle was made for", e.Home, e.Script, e.Kind.Title(), e.WantKind.Title())
}

// CheckHome refuses, with a *HomeMismatch, a home that is plainly of
// another product or version: its directory is named like another pack
// (wso2am-4.5.0 for an IS bundle), or it holds another kind's start script.
// exists reports whether a path relative to the home exists.
func CheckHome(home, kind, version string, exists func(string) bool) error {
	if m := packName.FindStringSubmatch(filepath.Base(filepath.Clean(home))); m != nil {
		if got := "wso2" + m[1]; got != kind || m[2] != version {
			return &HomeMismatch{Home: home, Kind: gen.Kind(got), Version: m[2], WantKind: gen.Kind(kind), WantVersion: version}
		}
	}
	for _, k := range []gen.Kind{gen.IdentityServer, gen.APIManager, gen.MicroIntegrator} {
		l := homeLayouts[k]
		if string(k) != kind && exists(l.Script) && !exists(homeLayouts[gen.Kind(kind)].Script) {
			return &HomeMismatch{Home: home, Kind: k, Script: l.Script, WantKind: gen.Kind(kind), WantVersion: version}
		}
	}
	return nil
}

// ProductFiles returns what install writes for one product of a bundle:
// its stores into repository/resources/security, and in vault mode the
// secure vault's files; and the product's snippet, which the caller merges
// into deployment.toml. Every store must open with its password from
// secrets.env: one that does not is never installed.
func ProductFiles(b *bundle.Bundle, env, product string) (files []HomeFile, snippet []byte, err error) {
	st := bundle.NewState(b)
	byPath := b.FileMap()
	dir := path.Join(env, product)
	for _, s := range b.Manifest.Stores {
		if s.Env != env || s.Product != product {
			continue
		}
		data, ok := byPath[s.Path]
		if !ok {
			return nil, nil, fmt.Errorf("the bundle lacks %s", s.Path)
		}
		if _, _, err := st.Decode(s); err != nil {
			return nil, nil, err
		}
		files = append(files, HomeFile{Path: strings.TrimPrefix(s.Path, dir+"/"), Data: data, Secret: true})
	}
	if len(files) == 0 {
		return nil, nil, fmt.Errorf("the bundle has no product %q in environment %q", product, env)
	}
	for _, f := range bundle.VaultFiles(env, product) {
		if data, ok := byPath[f]; ok {
			files = append(files, HomeFile{Path: strings.TrimPrefix(f, dir+"/"), Data: data, Secret: true})
		}
	}
	snippet, ok := byPath[path.Join(dir, bundle.SnippetName)]
	if !ok {
		return nil, nil, fmt.Errorf("the bundle lacks %s", path.Join(dir, bundle.SnippetName))
	}
	return files, snippet, nil
}

// ProductStore is one store of a bundle's product, opened with its
// password from the environment's secrets.env.
type ProductStore struct {
	Manifest bundle.ManifestStore
	// Path is the store's file relative to the home.
	Path     string
	Password string
	// Profile is a PKCS#12 store's profile (empty for JKS).
	Profile keystore.Profile
	Store   *keystore.DecodedStore
}

// OpenProductStores opens every store of one product of a bundle, in
// manifest order.
func OpenProductStores(b *bundle.Bundle, env, product string) ([]ProductStore, error) {
	st := bundle.NewState(b)
	dir := path.Join(env, product)
	var out []ProductStore
	for _, s := range b.Manifest.Stores {
		if s.Env != env || s.Product != product {
			continue
		}
		if st.File(s.Path) == nil {
			return nil, fmt.Errorf("the bundle lacks %s", s.Path)
		}
		got, pw, err := st.Decode(s)
		if err != nil {
			return nil, err
		}
		out = append(out, ProductStore{Manifest: s, Path: strings.TrimPrefix(s.Path, dir+"/"), Password: pw, Profile: st.Profile(s), Store: got})
	}
	return out, nil
}
