package cli

import (
	"errors"
	"fmt"
	"path"
	"path/filepath"

	"github.com/spf13/cobra"
	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/emit"
	"github.com/wso2ks/wso2ks/pkg/gen"
	"github.com/wso2ks/wso2ks/pkg/k8s"
	"github.com/wso2ks/wso2ks/pkg/lifecycle"
)

// GenerateOptions are the inputs of `wso2ks generate`.
type GenerateOptions struct {
	F        *Factory
	Topology string
	Dir      string
	Envs     []string
	Force    bool
	Output   string
	// Passwords is a secrets.env file whose passwords a re-run keeps.
	Passwords string
	// K8s also writes Kubernetes manifests under DIR/k8s; Namespace is
	// their metadata.namespace.
	K8s       bool
	Namespace string
	// Helm adds values overlays for WSO2's charts to the manifests.
	Helm helmFlags
	// Update is a bundle to change in place: only what the topology
	// changed is written (generate --update DIR).
	Update string
	// Prune lets --update remove environments, products, stores and CAs
	// the topology dropped, and replace primary and internal keys.
	Prune bool
}

// NewCmdGenerate builds `wso2ks generate`; runF replaces generateRun in tests.
func NewCmdGenerate(f *Factory, runF func(*GenerateOptions) error) *cobra.Command {
	opts := &GenerateOptions{F: f}
	cmd := &cobra.Command{
		Use:   "generate [-f topology.toml] [-o DIR] [--env NAME]... [--force] [--update DIR [--prune]]",
		Short: "Plan and write the keystore bundle",
		Long: `Plan the topology and write the bundle: for every environment and product the
keystores, the client truststore and deployment.snippet.toml, with
<env>/secrets.env holding the passwords and manifest.json describing it all.
Without -f the built-in topology is used: one WSO2 Identity Server 7.1 node on
localhost. The bundle is written atomically; an existing non-empty DIR is
refused unless --force is given. An internal CA already in DIR is kept.
With --update DIR the bundle at DIR is changed in place to match the topology:
existing keys and passwords stay, certificates are re-issued only when their
subject, SANs, issuer or validity changed, and unchanged files keep their
bytes ('wso2ks plan --against DIR' shows the changes first). An update that
would remove an environment, a product, a store or a CA, or replace a
primary or internal key, is refused unless --prune is given.`,
		Args: noArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if err := checkOutput(c, opts.Output); err != nil {
				return err
			}
			if opts.Namespace != "" && !opts.K8s {
				return &usageError{"--namespace goes with --k8s"}
			}
			if opts.Helm.On && !opts.K8s {
				return &usageError{"--helm goes with --k8s: the values overlays name the Secrets --k8s writes"}
			}
			if err := opts.Helm.check(c); err != nil {
				return err
			}
			if err := checkNamespace(opts.Namespace); err != nil {
				return err
			}
			if c.Flags().Changed("update") && opts.Update == "" {
				return &usageError{"--update is empty; give --update DIR, the bundle to change in place"}
			}
			if err := checkUpdate(c, opts); err != nil {
				return err
			}
			if opts.Update == "" {
				if err := checkOutPath(c, opts.Dir, "the bundle directory", "for ./keystores"); err != nil {
					return err
				}
			}
			if runF != nil {
				return runF(opts)
			}
			return generateRun(opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.Topology, "file", "f", "", "topology `FILE` (default: the built-in single IS node)")
	fl.StringVarP(&opts.Dir, "output-dir", "o", "keystores", "bundle `DIR`")
	fl.StringArrayVar(&opts.Envs, "env", nil, "only environment `NAME` (repeatable; default: every one)")
	fl.BoolVar(&opts.Force, "force", false, "replace an existing bundle directory")
	addOutput(cmd, &opts.Output, "text", "json")
	fl.StringVar(&opts.Passwords, "passwords", "", "keep the passwords of `FILE`, a secrets.env (one environment)")
	fl.BoolVar(&opts.K8s, "k8s", false, "also write Kubernetes Secret manifests under DIR/k8s")
	fl.StringVarP(&opts.Namespace, "namespace", "n", "", "with --k8s: metadata.namespace `NS` of every object (default: none, kubectl's current namespace)")
	opts.Helm.flags(cmd)
	fl.StringVar(&opts.Update, "update", "", "change the bundle at `DIR` in place to match the topology")
	fl.BoolVar(&opts.Prune, "prune", false, "with --update: remove what the topology dropped and replace primary or internal keys")
	return cmd
}

func generateRun(opts *GenerateOptions) error {
	f := opts.F
	plan, err := loadPlan(f, opts.Topology, opts.Envs)
	if err != nil {
		return err
	}
	release, err := lockBundle(f, opts.Dir)
	if err != nil {
		return err
	}
	defer release()
	if opts.Update != "" {
		return updateRun(opts, plan)
	}
	var reuse *lifecycle.Reconciliation
	if opts.Force {
		// The environments' internal CAs stay: trust in them is out there.
		prior, err := lifecycle.ReadPriorCAs(opts.Dir, plan)
		if err != nil {
			return err
		}
		if reuse, err = lifecycle.Reconcile(plan, prior, f.Now()); err != nil {
			return err
		}
	} else {
		// Refuse before the slow part, not after it.
		if err := bundle.CheckTarget(opts.Dir); err != nil {
			return targetError(err)
		}
	}
	var progress func(done, total int)
	if f.StderrIsTerminal {
		progress = func(done, total int) {
			fmt.Fprintf(f.Stderr, "\rgenerating keys %d/%d", done, total)
			if done == total {
				fmt.Fprint(f.Stderr, "\r\033[K")
			}
		}
	}
	supplied, err := readPasswords(f, opts.Passwords, plan)
	if err != nil {
		return err
	}
	b, err := emit.Build(plan, emit.BuildOptions{Rand: f.Rand, Now: f.Now(), Progress: progress, Passwords: supplied, Reuse: reuse.Reuse()})
	if err != nil {
		return fmt.Errorf("generate: %w", err)
	}
	var charts map[string]string
	if opts.K8s {
		var files []bundle.File
		files, charts, err = opts.Helm.manifests(b, opts.Namespace)
		if err != nil {
			return bundleError(fmt.Errorf("kubernetes manifests: %w", err))
		}
		for _, mf := range files {
			b.Files = append(b.Files, bundle.File{Path: path.Join(k8s.Dir, mf.Path), Data: mf.Data})
		}
	}
	if err := b.Write(opts.Dir, opts.Force); err != nil {
		if errors.Is(err, bundle.ErrExists) || errors.Is(err, bundle.ErrNotDir) {
			return targetError(err)
		}
		return fmt.Errorf("write bundle to %s: %w", opts.Dir, err)
	}
	return printSummary(f, opts, plan, b, charts)
}

// targetError adds the fix to a refused bundle directory.
func targetError(err error) error {
	switch {
	case errors.Is(err, bundle.ErrExists):
		return fmt.Errorf("%w; choose another -o DIR, or pass --force to replace it", err)
	case errors.Is(err, bundle.ErrNotDir):
		return fmt.Errorf("%w; choose another -o DIR", err)
	}
	return fmt.Errorf("check the bundle directory: %w", err)
}

// printSummary lists what generate wrote to b and the next steps; charts
// are the --helm overlays' (helmFlags.manifests).
func printSummary(f *Factory, opts *GenerateOptions, plan *gen.Plan, b *bundle.Bundle, charts map[string]string) error {
	if opts.Output == "json" {
		out := struct {
			Dir    string                 `json:"dir"`
			Stores []bundle.ManifestStore `json:"stores"`
			CAs    []bundle.ManifestStore `json:"cas,omitempty"`
		}{opts.Dir, b.Manifest.Stores, b.Manifest.CAs}
		return writeJSON(f.Stdout, out)
	}
	fmt.Fprintf(f.Stdout, "wrote %s\n", opts.Dir)
	for _, env := range plan.Environments {
		fmt.Fprintf(f.Stdout, "  %s/%s  passwords and encryption keys (keep secret)\n", env.Name, bundle.SecretsName)
		if ca := env.CA; ca != nil && ca.External() != nil {
			fmt.Fprintf(f.Stdout, "  %s  external CA chain (its key stays where it is)\n", ca.CertPath)
		} else if ca != nil {
			fmt.Fprintf(f.Stdout, "  %s  %s  internal CA (keep the key secret)\n", ca.CertPath, ca.KeyPath)
		}
		for _, p := range env.Products {
			fmt.Fprintf(f.Stdout, "  %s/  %s %s %s:", p.Dir, p.Kind, p.Version, p.Format)
			for _, s := range p.Stores {
				fmt.Fprintf(f.Stdout, " %s", s.FileName)
			}
			fmt.Fprintf(f.Stdout, "\n  %s  deployment.toml tables\n", filepath.ToSlash(filepath.Join(p.Dir, bundle.SnippetName)))
		}
	}
	printK8sWritten(f.Stdout, opts, b)
	generateNext(f.Stdout, opts, plan, charts)
	return nil
}
