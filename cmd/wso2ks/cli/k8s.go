package cli

import (
	"errors"
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"
	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/k8s"
)

// K8sOptions are the inputs of `wso2ks k8s`.
type K8sOptions struct {
	F         *Factory
	Bundle    string
	Dir       string // default: Bundle/k8s
	Namespace string
	Force     bool
	Helm      helmFlags
}

// NewCmdK8s builds `wso2ks k8s`; runF replaces k8sRun in tests.
func NewCmdK8s(f *Factory, runF func(*K8sOptions) error) *cobra.Command {
	opts := &K8sOptions{F: f}
	cmd := &cobra.Command{
		Use:   "k8s BUNDLE_DIR [-o DIR] [--namespace NS] [--helm [--apim-chart CHART]] [--force]",
		Short: "Write Kubernetes Secrets for a bundle",
		Long: `Write Kubernetes manifests for the bundle that 'wso2ks generate' wrote to
BUNDLE_DIR, one object per file, for every environment and product:

  <env>/<product>-keystores.yaml  Secret: the store files, to mount (subPath) in
                                  repository/resources/security/
  <env>/<product>-passwords.yaml  Secret: the product's secrets.env variables, for envFrom
  <env>/<product>-config.yaml     deployment.snippet.toml (and in vault mode the
                                  secure vault's files): a ConfigMap when they hold
                                  no password (env and vault modes), else a Secret

Names are wso2ks-<env>-<product>-<keystores|passwords|config>, cut to 63
characters with a hash when longer. DIR defaults to BUNDLE_DIR/k8s; the files
are secrets (mode 0600) and are written atomically. Apply an environment with
'kubectl apply -f DIR/<env>/'.

With --helm every product also gets <env>/<product>-values.yaml, a values
overlay for WSO2's official Helm chart of its kind (identity-server, mi, and
for APIM the chart --apim-chart names) that mounts the keystores Secret and
reads what the chart can of the passwords Secret; its header names the chart
release and the helm install command.

An existing non-empty DIR is rewritten only when every file in it is one this
run writes, with the same bytes (so --helm may follow 'generate --k8s');
manifests older than the bundle (after renew or rotate), an edited overlay or
any other file make it refuse unless --force is given.`,
		Args: func(c *cobra.Command, args []string) error {
			if len(args) != 1 {
				return &usageError{fmt.Sprintf("%s takes one bundle directory, got %d arguments; see '%s --help'", c.CommandPath(), len(args), c.CommandPath())}
			}
			return nil
		},
		RunE: func(c *cobra.Command, args []string) error {
			opts.Bundle = args[0]
			if err := checkNamespace(opts.Namespace); err != nil {
				return err
			}
			if err := opts.Helm.check(c); err != nil {
				return err
			}
			if c.Flags().Changed("output-dir") {
				if err := checkOutPath(c, opts.Dir, "the manifest directory", "for BUNDLE_DIR/k8s"); err != nil {
					return err
				}
			}
			if opts.Dir == "" {
				opts.Dir = filepath.Join(opts.Bundle, k8s.Dir)
				if err := checkBundleDir(opts.Dir, "-o %s"); err != nil {
					return err
				}
			}
			if runF != nil {
				return runF(opts)
			}
			return k8sRun(opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.Dir, "output-dir", "o", "", "manifest `DIR` (default BUNDLE_DIR/k8s)")
	fl.StringVarP(&opts.Namespace, "namespace", "n", "", "metadata.namespace `NS` of every object (default: none, kubectl's current namespace)")
	fl.BoolVar(&opts.Force, "force", false, "replace an existing manifest directory")
	opts.Helm.flags(cmd)
	return cmd
}

func k8sRun(opts *K8sOptions) error {
	f := opts.F
	release, err := lockK8s(f, opts)
	if err != nil {
		return err
	}
	defer release()
	b, err := bundle.Read(opts.Bundle)
	if err != nil {
		return bundleError(err)
	}
	exists, err := checkK8sTarget(opts, b)
	if err != nil {
		return err
	}
	files, charts, err := opts.Helm.manifests(b, opts.Namespace)
	if err != nil {
		return bundleError(fmt.Errorf("%s: %w", opts.Bundle, err))
	}
	// rewritten: --force replaces manifests that differ from this run's
	// (stale after renew or rotate): upgrade and roll.
	out := &bundle.Bundle{Files: files}
	rewritten := false
	if exists {
		err := checkK8sCurrent(opts, out)
		if err != nil && !opts.Force {
			return err
		}
		rewritten = err != nil
	}
	if err := out.Write(opts.Dir, opts.Force || exists); err != nil {
		if errors.Is(err, bundle.ErrExists) || errors.Is(err, bundle.ErrNotDir) {
			return k8sTargetError(opts.Dir, err)
		}
		return fmt.Errorf("write manifests to %s: %w", opts.Dir, err)
	}
	fmt.Fprintf(f.Stdout, "wrote %s (Secrets: keep them secret)\n", opts.Dir)
	for _, file := range files {
		fmt.Fprintf(f.Stdout, "  %s\n", file.Path)
	}
	_, _, pairs := b.Manifest.Names()
	for _, ep := range pairs {
		k8sNext(f.Stdout, opts.Dir, ep, charts[ep], opts.Namespace, rewritten)
	}
	return nil
}

// lockK8s takes the lock of the manifest directory, or of the bundle when
// the directory is inside it (the default BUNDLE_DIR/k8s): every writer of
// the bundle replaces the tree the manifests are in.
func lockK8s(f *Factory, opts *K8sOptions) (release func(), err error) {
	bundle, err := filepath.Abs(opts.Bundle)
	if err != nil {
		return nil, err
	}
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return nil, err
	}
	if rel, err := filepath.Rel(bundle, dir); err != nil || !filepath.IsLocal(rel) {
		return lockBundle(f, opts.Dir)
	}
	if release, err = lockBundle(f, opts.Bundle); err != nil {
		return nil, err
	}
	if err := recoverBundle(f, opts.Dir); err != nil {
		release()
		return nil, err
	}
	return release, nil
}

// checkK8sTarget refuses, before any work, a DIR that would hold the
// bundle's own files (with --force the bundle would be replaced by its
// manifests), and says whether DIR exists and is not empty:
// checkK8sCurrent then decides whether it may be rewritten without
// --force, and whether --force replaces anything.
func checkK8sTarget(opts *K8sOptions, b *bundle.Bundle) (exists bool, err error) {
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return false, err
	}
	for _, file := range b.Files {
		p, err := filepath.Abs(filepath.Join(opts.Bundle, filepath.FromSlash(file.Path)))
		if err != nil {
			return false, err
		}
		if rel, err := filepath.Rel(dir, p); err == nil && filepath.IsLocal(rel) {
			return false, &usageError{fmt.Sprintf("-o %s holds the bundle's %s; choose a directory outside the bundle's files, such as the default %s",
				opts.Dir, file.Path, filepath.Join(opts.Bundle, k8s.Dir))}
		}
	}
	switch err := bundle.CheckTarget(opts.Dir); {
	case errors.Is(err, bundle.ErrExists):
		return true, nil
	case err != nil && !opts.Force: // with --force, Write says it
		return false, k8sTargetError(opts.Dir, err)
	}
	return false, nil
}

// k8sTargetError adds the fix to a refused manifest directory.
func k8sTargetError(dir string, err error) error {
	switch {
	case errors.Is(err, bundle.ErrExists):
		return &usageError{fmt.Sprintf("%s exists and is not empty; choose another -o DIR, or pass --force to replace it", dir)}
	case errors.Is(err, bundle.ErrNotDir):
		return &usageError{fmt.Sprintf("%s is a file, not a directory; choose another -o DIR", dir)}
	}
	return fmt.Errorf("check the manifest directory: %w", err)
}

// bundleError makes a bundle that cannot be used a usage mistake (exit 2);
// anything else (a read failing) stays an I/O failure (exit 3).
func bundleError(err error) error {
	if errors.Is(err, bundle.ErrBundle) {
		return &inputError{err}
	}
	return err
}

// inputError is err, counted as bad input.
type inputError struct{ err error }

func (e *inputError) Error() string        { return e.err.Error() }
func (e *inputError) Unwrap() error        { return e.err }
func (e *inputError) Is(target error) bool { return target == errUsage }

// checkNamespace refuses a --namespace Kubernetes would refuse.
func checkNamespace(ns string) error {
	if ns != "" && !k8s.ValidNamespace(ns) {
		return &usageError{fmt.Sprintf("--namespace %q is not a valid Kubernetes namespace: give at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit", ns)}
	}
	return nil
}
