package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/helm"
	"github.com/wso2ks/wso2ks/pkg/infile"
)

// checkK8sCurrent lets `wso2ks k8s` rewrite an existing manifest
// directory without --force when nothing in it would be lost: every file
// in it is one this run writes, with the same bytes. So `wso2ks k8s
// --helm` after `generate --k8s` adds the values overlays to the
// Secrets, and a second run changes nothing. A file that differs stops it:
// a manifest older than the bundle (after renew, rotate or generate
// --update), whose Secrets the overlays must not be written next to, or an
// overlay someone edited. So does an overlay wso2ks wrote when this run
// is without --helm: --force would drop it.
func checkK8sCurrent(opts *K8sOptions, out *bundle.Bundle) error {
	want := out.FileMap()
	root, err := os.OpenRoot(opts.Dir)
	if err != nil {
		return fmt.Errorf("check the manifest directory: %w", err)
	}
	defer root.Close()
	seen := 0
	err = fs.WalkDir(root.FS(), ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if seen++; seen > 2*len(want)+1 {
			return notOurs(opts.Dir, name) // more entries than a manifest tree has
		}
		if d.IsDir() {
			return nil
		}
		if !d.Type().IsRegular() {
			return notOurs(opts.Dir, name)
		}
		data, ours := want[name]
		if !ours {
			return extraFile(opts, root, name)
		}
		got, err := infile.ReadIn(root, filepath.FromSlash(name), infile.BundleFile)
		if err != nil {
			return err
		}
		if !bytes.Equal(got, data) {
			return differs(opts, name)
		}
		return nil
	})
	var usage *usageError
	if err != nil && !errors.As(err, &usage) {
		return fmt.Errorf("check the manifest directory %s: %w", opts.Dir, err)
	}
	return err
}

// extraFile refuses a file of the manifest directory this run does not
// write: a values overlay wso2ks wrote, when the run is without --helm, or
// any other file.
func extraFile(opts *K8sOptions, root *os.Root, name string) error {
	if opts.Helm.On || !strings.HasSuffix(path.Base(name), "-values.yaml") {
		return notOurs(opts.Dir, name)
	}
	data, err := infile.ReadIn(root, filepath.FromSlash(name), infile.BundleFile)
	if err != nil {
		return err
	}
	if !helm.IsOverlay(data) {
		return notOurs(opts.Dir, name)
	}
	return &usageError{fmt.Sprintf("%s was written with --helm: it holds %s; add --helm (and the same --apim-chart) to keep the overlays, or pass --force to drop them",
		opts.Dir, filepath.Join(opts.Dir, filepath.FromSlash(name)))}
}

func notOurs(dir, name string) error {
	return &usageError{fmt.Sprintf("%s exists and holds %s, which 'wso2ks k8s' does not write; choose another -o DIR, or pass --force to replace it",
		dir, filepath.Join(dir, filepath.FromSlash(name)))}
}

// differs says why a file of the manifest directory differs from what the
// bundle gives now, and the fix.
func differs(opts *K8sOptions, name string) error {
	shown := filepath.Join(opts.Dir, filepath.FromSlash(name))
	if strings.HasSuffix(path.Base(name), "-values.yaml") {
		return &usageError{fmt.Sprintf("%s is not the values overlay wso2ks writes for %s now (edited, or the bundle changed since); pass --force to replace %s, or choose another -o DIR",
			shown, opts.Bundle, opts.Dir)}
	}
	return &usageError{fmt.Sprintf("%s is stale against the bundle %s, which changed since it was written (renew, rotate or generate --update) or was written with another --namespace; "+
		"pass --force to rewrite the manifests, then kubectl apply them and roll the pods (docs/kubernetes.md)", shown, opts.Bundle)}
}
