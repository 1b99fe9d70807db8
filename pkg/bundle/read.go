package bundle

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"syscall"

	"github.com/wso2ks/wso2ks/pkg/infile"
)

// Read reads the bundle that Write put at dir: manifest.json, every
// store it names, each environment's secrets.env and each product's
// snippet. A missing or malformed piece is an ErrBundle naming the file.
// Files are read through an os.Root, so neither a path in the manifest nor
// a symbolic link takes the reader outside dir; they must be regular files.
func Read(dir string) (*Bundle, error) {
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, Errorf("%s: no such bundle directory; give the directory 'wso2ks generate -o' wrote", dir)
	case err != nil:
		return nil, err
	case !st.IsDir():
		return nil, Errorf("%s is a file, not a bundle directory", dir)
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
			return nil, Errorf("%s is missing; regenerate the bundle with 'wso2ks generate'", filepath.Join(dir, name))
		case err != nil:
			return nil, err
		case !st.Mode().IsRegular():
			return nil, Errorf("%s is not a regular file; a bundle holds only the files 'wso2ks generate' writes", filepath.Join(dir, name))
		}
		data, err := infile.ReadIn(root, name, k)
		var re *infile.Error
		if errors.As(err, &re) {
			return nil, Errorf("%s", re)
		}
		return data, err
	}
	manifest := filepath.Join(dir, ManifestName)
	if _, err := root.Lstat(ManifestName); errors.Is(err, fs.ErrNotExist) {
		return nil, Errorf("%s has no %s; give the directory 'wso2ks generate -o' wrote", dir, ManifestName)
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
			return nil, Errorf("%s:%d: %v; regenerate the bundle with 'wso2ks generate'", manifest, line, err)
		}
		return nil, Errorf("%s: %v; regenerate the bundle with 'wso2ks generate'", manifest, err)
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
	for _, p := range b.Manifest.Products() {
		add(path.Join(p.Env, p.Name, SnippetName), infile.Deployment)
		add(path.Join(p.Env, SecretsName), infile.SecretsEnv)
	}
	for _, p := range b.Manifest.Products() {
		for _, f := range VaultFiles(p.Env, p.Name) {
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
			return nil, Errorf("%s is empty (0 bytes); restore it from a copy of the bundle or regenerate the bundle with 'wso2ks generate'", filepath.Join(dir, filepath.FromSlash(p)))
		}
		b.Files = append(b.Files, File{Path: p, Data: data})
	}
	return b, nil
}

// ReadCAFile reads rel (slash-separated), an environment's CA certificate
// (ca.crt) or key (ca.key), from dir, which need not hold a whole bundle:
// 'generate --force' reads the CA it keeps before it replaces the rest. ok
// is false, with no error, when there is no such file. A file that is not a
// regular file, or that infile refuses, is an ErrBundle naming it; one that
// cannot be read is that error as it is (fs.ErrPermission).
func ReadCAFile(dir, rel string) (data []byte, ok bool, err error) {
	full := filepath.Join(dir, filepath.FromSlash(rel))
	st, err := os.Lstat(full)
	switch {
	case errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR):
		return nil, false, nil // no CA here; Write judges the directory
	case err == nil && !st.Mode().IsRegular():
		return nil, false, Errorf("%s is not a regular file", full)
	}
	k := infile.Certificates
	if path.Ext(rel) == ".key" {
		k = infile.PrivateKey
	}
	data, err = infile.Read(full, k)
	var re *infile.Error
	if errors.As(err, &re) {
		return nil, false, Errorf("%s", re)
	}
	if err != nil {
		return nil, false, err
	}
	return data, true, nil
}
