package cli

import (
	"bufio"
	"fmt"

	"github.com/spf13/cobra"
	"github.com/wso2ks/wso2ks/pkg/emit"
	"github.com/wso2ks/wso2ks/pkg/gen"
)

// PlanOptions are the inputs of `wso2ks plan`.
type PlanOptions struct {
	F        *Factory
	Topology string
	Envs     []string
	Output   string
	// Against is a bundle to compare the plan with ('generate --update').
	Against string
}

// NewCmdPlan builds `wso2ks plan`; runF replaces planRun in tests.
func NewCmdPlan(f *Factory, runF func(*PlanOptions) error) *cobra.Command {
	opts := &PlanOptions{F: f}
	cmd := &cobra.Command{
		Use:   "plan [-f topology.toml] [--env NAME]... [--against DIR] [--output text|json]",
		Short: "Show what generate would write, without making keys or files",
		Long: `Show the stores generate would write for every environment and product: roles,
files, aliases, subjects, SANs, key types, validity, sharing and truststore
entries, and each product's deployment.toml snippet (passwords shown as the
secrets.env variable that will hold them). The output is the same on every run.
With --against DIR, show instead what 'wso2ks generate --update DIR' would
change in that bundle, store by store: keep, new, reissue (and why), new-key,
remove, and truststore entries added, removed or changed. Nothing is written.`,
		Args: noArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if err := checkOutput(c, opts.Output); err != nil {
				return err
			}
			if opts.Against != "" && len(opts.Envs) > 0 {
				return &usageError{"--against compares every environment of the topology, as 'generate --update' changes them all; drop --env"}
			}
			if opts.Against != "" && opts.Topology == "" {
				return &usageError{fmt.Sprintf("--against %s needs -f, the topology 'generate --update' would follow", opts.Against)}
			}
			if runF != nil {
				return runF(opts)
			}
			return planRun(opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.Topology, "file", "f", "", "topology `FILE` (default: the built-in single IS node)")
	fl.StringArrayVar(&opts.Envs, "env", nil, "only environment `NAME` (repeatable; default: every one)")
	addOutput(cmd, &opts.Output, "text", "json")
	fl.StringVar(&opts.Against, "against", "", "show what 'generate --update DIR' would change in the bundle at `DIR`")
	return cmd
}

// planRun prints the plan one environment at a time (gen.Config.PlanEach),
// so that memory is that of the largest environment, whatever the number
// of environments. A first pass plans them all without printing: a
// mistake found in the last environment leaves stdout empty.
func planRun(opts *PlanOptions) error {
	if opts.Against != "" {
		plan, err := loadPlan(opts.F, opts.Topology, opts.Envs)
		if err != nil {
			return err
		}
		return planAgainstRun(opts, plan)
	}
	cfg, err := loadConfig(opts.F, opts.Topology)
	if err != nil {
		return err
	}
	if err := cfg.PlanEach(opts.Envs, func(*gen.Environment) error { return nil }); err != nil {
		return err
	}
	w := bufio.NewWriter(opts.F.Stdout)
	out := planWriter(&textPlan{w: w, topology: cfg.Source})
	if opts.Output == "json" {
		out = &jsonPlan{w: w, topology: cfg.Source}
	}
	err = cfg.PlanEach(opts.Envs, func(env *gen.Environment) error {
		for pi := range env.Products {
			p := &env.Products[pi]
			snippet, err := emit.Snippet(env.Name, p, nil)
			if err != nil {
				return err
			}
			p.Snippet = string(snippet)
		}
		return out.env(env)
	})
	if err != nil {
		return err
	}
	if err := out.end(); err != nil {
		return err
	}
	return w.Flush()
}
