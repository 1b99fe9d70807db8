package verify

import (
	"encoding/json"
	"errors"
	"io/fs"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/deploytoml"
	"github.com/wso2ks/wso2ks/pkg/gen"
	"github.com/wso2ks/wso2ks/pkg/infile"
)

// Product is one product to audit: a product directory of a bundle, or a WSO2 home.
type Product struct {
	Target  string // the PATH it was found under
	Name    string
	Env     string // empty for a home
	Kind    gen.Kind
	Version gen.Version
	// HasVersion is false for a home whose directory does not name its version.
	HasVersion bool
	// Root is the directory file names in the configuration are relative to.
	Root string
	// Config is deployment.toml or the bundle's deployment.snippet.toml.
	Config  string
	Snippet bool
	// Passwords is the bundle's secrets.env (nil for a home).
	Passwords map[string]string
	// Planned are the names manifest.json plans for the tls certificate
	// (a bundle's product only): tls-san checks them, localhost aside.
	Planned []string
}

func (p Product) label() string {
	if p.Env != "" {
		return p.Env + "/" + p.Name
	}
	return p.Name
}

var packName = regexp.MustCompile(`^wso2(is|am|mi)-(\d+\.\d+\.\d+)`)

func parseVersion(s string) (gen.Version, bool) {
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		return gen.Version{}, false
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 {
			return gen.Version{}, false
		}
		n[i] = v
	}
	return gen.Version{Major: n[0], Minor: n[1], Patch: n[2]}, true
}

func exists(fsys FS, name string) bool {
	_, err := fsys.Stat(name)
	return err == nil
}

// readInput reads a file the audit cannot do without: failure is unusable input.
func readInput(fsys FS, name string, k infile.Kind) ([]byte, error) {
	data, err := fsys.ReadFile(name, k)
	var re *infile.Error
	if errors.As(err, &re) {
		return nil, badInput("%s", re)
	}
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, badInput("%s: cannot read: %v", name, err)
	}
	return data, nil
}

// Discover finds what path is: a bundle (manifest.json), one product directory of a bundle
// (deployment.snippet.toml) or a WSO2 home (repository/conf/deployment.toml, MI
// conf/deployment.toml), and returns the products to audit in it.
func Discover(fsys FS, path string) ([]Product, error) {
	st, err := fsys.Stat(path)
	if err != nil || !st.IsDir() {
		return nil, badInput("%s is not a directory; give a bundle directory, a product directory of a bundle, or a WSO2 home", path)
	}
	switch {
	case exists(fsys, filepath.Join(path, bundle.ManifestName)):
		return discoverBundle(fsys, path)
	case exists(fsys, filepath.Join(path, bundle.SnippetName)):
		p, err := discoverProductDir(fsys, path)
		if err != nil {
			return nil, err
		}
		return []Product{p}, nil
	}
	p, err := discoverHome(fsys, path)
	if err != nil {
		return nil, err
	}
	return []Product{p}, nil
}

func discoverBundle(fsys FS, dir string) ([]Product, error) {
	file := filepath.Join(dir, bundle.ManifestName)
	data, err := readInput(fsys, file, infile.Manifest)
	if err != nil {
		return nil, err
	}
	var m bundle.Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, badInput("%s: %v; give the directory 'wso2ks generate -o' wrote", file, err)
	}
	if err := bundle.CheckManifest(m, file); err != nil {
		return nil, badInput("%v", err)
	}
	var out []Product
	seen := map[string]bool{}
	secrets := map[string]map[string]string{}
	planned := map[string][]string{}
	for _, s := range m.Stores {
		if s.Role == gen.RoleTLS {
			planned[s.Env+"/"+s.Product] = s.SANs
		}
	}
	for _, s := range m.Stores {
		key := s.Env + "/" + s.Product
		if seen[key] {
			continue
		}
		seen[key] = true
		v, ok := parseVersion(s.Version)
		kind := gen.Kind(s.Kind)
		if _, known := deploytoml.LayoutOf(s.Kind); !known || !ok || s.Env == "" || s.Product == "" ||
			strings.ContainsAny(s.Env+s.Product, `/\.`) {
			return nil, badInput("%s: store %q does not name its environment, product, kind and version; regenerate the bundle with 'wso2ks generate'", file, s.Path)
		}
		if secrets[s.Env] == nil {
			pw, err := readSecrets(fsys, filepath.Join(dir, s.Env, bundle.SecretsName))
			if err != nil {
				return nil, err
			}
			secrets[s.Env] = pw
		}
		root := filepath.Join(dir, s.Env, s.Product)
		out = append(out, Product{Target: dir, Name: s.Product, Env: s.Env, Kind: kind, Version: v, HasVersion: true,
			Root: root, Config: filepath.Join(root, bundle.SnippetName), Snippet: true, Passwords: secrets[s.Env], Planned: planned[key]})
	}
	if len(out) == 0 {
		return nil, badInput("%s lists no stores; regenerate the bundle with 'wso2ks generate'", file)
	}
	return out, nil
}

func readSecrets(fsys FS, file string) (map[string]string, error) {
	if !exists(fsys, file) {
		return map[string]string{}, nil
	}
	data, err := readInput(fsys, file, infile.SecretsEnv)
	if err != nil {
		return nil, err
	}
	pw, err := bundle.ParseSecretsEnv(data)
	if err != nil {
		return nil, badInput("%s: %v", file, err)
	}
	return pw, nil
}

func discoverProductDir(fsys FS, dir string) (Product, error) {
	file := filepath.Join(dir, bundle.SnippetName)
	data, err := readInput(fsys, file, infile.Deployment)
	if err != nil {
		return Product{}, err
	}
	h, ok := bundle.ParseSnippetHeader(data)
	if !ok {
		return Product{}, badInput("%s:1: the first line does not name the product (# wso2ks: keystores for WSO2 … <version>, product \"…\", environment \"…\".); give a product directory 'wso2ks generate' wrote", file)
	}
	v, _ := parseVersion(h.Version)
	pw, err := readSecrets(fsys, filepath.Join(filepath.Dir(filepath.Clean(dir)), bundle.SecretsName))
	if err != nil {
		return Product{}, err
	}
	return Product{Target: dir, Name: h.Product, Env: h.Env, Kind: h.Kind, Version: v, HasVersion: true,
		Root: dir, Config: file, Snippet: true, Passwords: pw}, nil
}

func discoverHome(fsys FS, dir string) (Product, error) {
	base := filepath.Base(filepath.Clean(dir))
	p := Product{Target: dir, Name: base, Root: dir}
	if m := packName.FindStringSubmatch(base); m != nil {
		p.Kind = gen.Kind("wso2" + m[1])
		p.Version, p.HasVersion = parseVersion(m[2])
	}
	for _, k := range []gen.Kind{gen.IdentityServer, gen.APIManager, gen.MicroIntegrator} {
		l, _ := deploytoml.LayoutOf(string(k))
		if exists(fsys, filepath.Join(dir, filepath.FromSlash(l.Script))) {
			p.Kind = k
			break
		}
	}
	if p.Kind == "" {
		for _, k := range []gen.Kind{gen.IdentityServer, gen.MicroIntegrator} {
			l, _ := deploytoml.LayoutOf(string(k))
			if exists(fsys, filepath.Join(dir, filepath.FromSlash(l.Deployment))) {
				return Product{}, badInput("%s has %s but neither a start script (bin/wso2server.sh, bin/api-manager.sh, bin/micro-integrator.sh) nor a pack name (wso2is-7.1.0) that says which product it is", dir, l.Deployment)
			}
		}
		return Product{}, badInput("%s is not a bundle (manifest.json), a product directory of one (%s) or a WSO2 home (repository/conf/deployment.toml, MI conf/deployment.toml)", dir, bundle.SnippetName)
	}
	l, _ := deploytoml.LayoutOf(string(p.Kind))
	p.Config = filepath.Join(dir, filepath.FromSlash(l.Deployment))
	if !exists(fsys, p.Config) {
		return Product{}, badInput("%s looks like a %s home but has no %s", dir, p.Kind, l.Deployment)
	}
	return p, nil
}
