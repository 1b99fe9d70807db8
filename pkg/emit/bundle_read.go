package emit

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/wso2ks/wso2ks/pkg/gen"
	"github.com/wso2ks/wso2ks/pkg/infile"
)

// ErrBundle marks a bundle that cannot be used as one: no manifest.json, a
// store it names that is missing, a secrets.env without a password.
var ErrBundle = errors.New("invalid bundle")

type bundleError struct{ msg string }

func (e *bundleError) Error() string        { return e.msg }
func (e *bundleError) Is(target error) bool { return target == ErrBundle }

func badBundle(format string, args ...any) error {
	return &bundleError{fmt.Sprintf(format, args...)}
}

var roles = []string{gen.RolePrimary, gen.RoleInternal, gen.RoleTLS, gen.RoleWSSec, gen.RoleTruststore}

// CheckManifest checks what the manifest says before any file is looked
// up by it: names that make Kubernetes names and safe paths, store paths
// inside their product's directory, file names that are Secret keys.
// file names the manifest in errors. Every reader of a bundle, verify
// included, checks it first.
func CheckManifest(m Manifest, file string) error {
	if len(m.Stores) == 0 {
		return badBundle("%s lists no stores; regenerate the bundle with 'wso2ks generate'", file)
	}
	keys := map[string]bool{}
	for i, s := range m.Stores {
		at := fmt.Sprintf("%s: store %d", file, i+1)
		switch {
		case !ValidK8sName(s.Env):
			return badBundle("%s: environment %q is not a lower-case name of letters, digits and '-'", at, s.Env)
		case !ValidK8sName(s.Product):
			return badBundle("%s: product %q is not a lower-case name of letters, digits and '-'", at, s.Product)
		case !slices.Contains(roles, s.Role):
			return badBundle("%s: role %q is unknown; want one of %s", at, s.Role, strings.Join(roles, ", "))
		case !strings.HasPrefix(s.Path, s.Env+"/"+s.Product+"/") || path.Clean(s.Path) != s.Path:
			return badBundle("%s: path %q is not inside %s/%s/; restore manifest.json, or regenerate the bundle with 'wso2ks generate'", at, s.Path, s.Env, s.Product)
		case !validDataKey(path.Base(s.Path)):
			return badBundle("%s: file name %q cannot be a Kubernetes Secret key (letters, digits, '-', '_' and '.')", at, path.Base(s.Path))
		}
		key := s.Env + "/" + s.Product + "/" + path.Base(s.Path)
		if keys[key] {
			return badBundle("%s: a second store named %s for product %q in environment %q", at, path.Base(s.Path), s.Product, s.Env)
		}
		keys[key] = true
	}
	return nil
}

// ReadBundle reads the bundle that Write put at dir: manifest.json, every
// store it names, each environment's secrets.env and each product's
// snippet. A missing or malformed piece is an ErrBundle naming the file.
// Files are read through an os.Root, so neither a path in the manifest nor
// a symbolic link takes the reader outside dir; they must be regular files.
func ReadBundle(dir string) (*Bundle, error) {
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, badBundle("%s: no such bundle directory; give the directory 'wso2ks generate -o' wrote", dir)
	case err != nil:
		return nil, err
	case !st.IsDir():
		return nil, badBundle("%s is a file, not a bundle directory", dir)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	read := func(rel string, k infile.Kind) ([]byte, error) {
		name := filepath.FromSlash(rel)
		st, err := root.Lstat(name)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return nil, badBundle("%s is missing; regenerate the bundle with 'wso2ks generate'", filepath.Join(dir, name))
		case err != nil:
			return nil, err
		case !st.Mode().IsRegular():
			return nil, badBundle("%s is not a regular file; a bundle holds only the files 'wso2ks generate' writes", filepath.Join(dir, name))
		}
		data, err := infile.ReadIn(root, name, k)
		var re *infile.Error
		if errors.As(err, &re) {
			return nil, badBundle("%s", re)
		}
		return data, err
	}
	manifest := filepath.Join(dir, ManifestName)
	if _, err := root.Lstat(ManifestName); errors.Is(err, fs.ErrNotExist) {
		return nil, badBundle("%s has no %s; give the directory 'wso2ks generate -o' wrote", dir, ManifestName)
	}
	data, err := read(ManifestName, infile.Manifest)
	if err != nil {
		return nil, err
	}
	b := &Bundle{Files: []File{{Path: ManifestName, Data: data}}}
	if err := json.Unmarshal(data, &b.Manifest); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			line := 1 + bytes.Count(data[:se.Offset], []byte("\n"))
			return nil, badBundle("%s:%d: %v; regenerate the bundle with 'wso2ks generate'", manifest, line, err)
		}
		return nil, badBundle("%s: %v; regenerate the bundle with 'wso2ks generate'", manifest, err)
	}
	if err := CheckManifest(b.Manifest, manifest); err != nil {
		return nil, err
	}
	var paths []string
	kinds := map[string]infile.Kind{}
	add := func(p string, k infile.Kind) {
		if _, ok := kinds[p]; !ok {
			paths = append(paths, p)
			kinds[p] = k
		}
	}
	for _, s := range b.Manifest.Stores {
		add(s.Path, infile.KeyStore)
	}
	for _, p := range manifestProducts(b.Manifest) {
		add(path.Join(p.env, p.name, SnippetName), infile.Deployment)
		add(path.Join(p.env, SecretsName), infile.SecretsEnv)
	}
	for _, p := range manifestProducts(b.Manifest) {
		for _, f := range vaultFiles(p.env, p.name) {
			if _, err := root.Lstat(filepath.FromSlash(f)); err == nil {
				add(f, infile.Properties)
			}
		}
	}
	for _, p := range paths {
		data, err := read(p, kinds[p])
		if err != nil {
			return nil, err
		}
		if len(data) == 0 && kinds[p] == infile.KeyStore {
			return nil, badBundle("%s is empty (0 bytes); restore it from a copy of the bundle or regenerate the bundle with 'wso2ks generate'", filepath.Join(dir, filepath.FromSlash(p)))
		}
		b.Files = append(b.Files, File{Path: p, Data: data})
	}
	return b, nil
}
