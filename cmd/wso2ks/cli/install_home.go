package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/deploytoml"
	"github.com/wso2ks/wso2ks/pkg/gen"
	"github.com/wso2ks/wso2ks/pkg/infile"
)

// pickProduct chooses the environment and product to install.
func pickProduct(b *bundle.Bundle, opts *InstallOptions) (string, string, error) {
	var choices []string
	for _, s := range b.Manifest.Stores {
		c := s.Env + "/" + s.Product
		if (opts.Env == "" || s.Env == opts.Env) && (opts.Product == "" || s.Product == opts.Product) && !slices.Contains(choices, c) {
			choices = append(choices, c)
		}
	}
	switch len(choices) {
	case 1:
		env, product, _ := strings.Cut(choices[0], "/")
		return env, product, nil
	case 0:
		return "", "", noSuchProduct(b, opts)
	}
	return "", "", gen.SeveralPairs(filepath.Join(opts.Bundle, bundle.ManifestName), "install puts one product into a home, and the bundle holds several", choices)
}

// noSuchProduct refuses an --env and --product that select nothing of the
// bundle --bundle names, as every command refuses them.
func noSuchProduct(b *bundle.Bundle, opts *InstallOptions) error {
	var envs, products []string
	if opts.Env != "" {
		envs = []string{opts.Env}
	}
	if opts.Product != "" {
		products = []string{opts.Product}
	}
	return b.Manifest.CheckSelection(filepath.Join(opts.Bundle, bundle.ManifestName), envs, products)
}

func productKindVersion(b *bundle.Bundle, env, product string) (string, string) {
	for _, s := range b.Manifest.Stores {
		if s.Env == env && s.Product == product {
			return s.Kind, s.Version
		}
	}
	return "", ""
}

func checkHome(home string, layout deploytoml.HomeLayout, kind, version string) error {
	st, err := os.Stat(home)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return &gen.InputError{File: home, Msg: "no such directory; give --home the product's home (the directory with bin/ and " + strings.Split(layout.Deployment, "/")[0] + "/)"}
	case err != nil:
		return err
	case !st.IsDir():
		return &gen.InputError{File: home, Msg: "is a file; give --home the product's home directory"}
	}
	if _, err := os.Stat(filepath.Join(home, layout.Deployment)); err != nil {
		return &gen.InputError{File: home, Msg: fmt.Sprintf("is not a %s home: it has no %s; give --home the directory the pack unpacked to", kind, layout.Deployment)}
	}
	exists := func(rel string) bool { _, err := os.Stat(filepath.Join(home, rel)); return err == nil }
	if err := deploytoml.CheckHome(home, kind, version, exists); err != nil {
		return &gen.InputError{Msg: err.Error()}
	}
	return nil
}

// homeChanges compares what install would write with what the home holds.
func homeChanges(home string, layout deploytoml.HomeLayout, files []deploytoml.HomeFile, snippet []byte, opt deploytoml.MergeOptions) ([]homeChange, []string, error) {
	var changes []homeChange
	for _, hf := range files {
		c := homeChange{rel: hf.Path, path: filepath.Join(home, filepath.FromSlash(hf.Path)), data: hf.Data, mode: bundle.FileMode, backupMode: bundle.FileMode}
		old, err := infile.Read(c.path, homeKind(c.path))
		switch {
		case err == nil:
			// Every file install replaces is kept beside itself, but its
			// own record of what it wrote.
			c.old, c.backup = old, hf.Path != deploytoml.InstallRecordPath
		case !errors.Is(err, fs.ErrNotExist):
			return nil, nil, readError(c.path, err)
		}
		if !bytes.Equal(c.old, c.data) || c.old == nil {
			changes = append(changes, c)
		}
	}
	deployment := filepath.Join(home, filepath.FromSlash(layout.Deployment))
	old, err := infile.Read(deployment, infile.Deployment)
	if err != nil {
		return nil, nil, readError(deployment, err)
	}
	st, err := os.Stat(deployment)
	if err != nil {
		return nil, nil, err
	}
	r, err := deploytoml.MergeTables(old, snippet, opt)
	if err != nil {
		var me *deploytoml.MergeError
		if errors.As(err, &me) && me.Which != "snippet" {
			return nil, nil, &gen.InputError{File: deployment, Line: me.Line, Column: me.Col, Msg: me.Msg}
		}
		return nil, nil, err
	}
	notes := r.Notes
	if r.Changed {
		mode, backupMode := secretModes(old, r.Merged, st.Mode().Perm())
		notes = append(notes, modeNotes(layout.Deployment, st.Mode().Perm(), mode, backupMode)...)
		changes = append(changes, homeChange{rel: layout.Deployment, path: deployment, data: r.Merged, old: old, mode: mode, backup: true, backupMode: backupMode})
	}
	return changes, notes, nil
}
