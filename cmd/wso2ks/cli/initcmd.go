package cli

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
	"github.com/wso2ks/wso2ks/pkg/gen"
)

// InitOptions are the inputs of `wso2ks init`.
type InitOptions struct {
	F     *Factory
	Kind  string
	Out   string
	Force bool
}

// NewCmdInit builds `wso2ks init`; runF replaces initRun in tests.
func NewCmdInit(f *Factory, runF func(*InitOptions) error) *cobra.Command {
	opts := &InitOptions{F: f}
	cmd := &cobra.Command{
		Use:   "init [--kind wso2is|wso2am|wso2mi] [-o FILE]",
		Short: "Print a commented starter topology",
		Long: `Print a commented starter topology for one product kind, to stdout or to FILE.
An existing FILE is not overwritten unless --force is given.`,
		Args: noArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if c.Flags().Changed("output-file") {
				if err := checkOutPath(c, opts.Out, "the topology file", "to print to stdout"); err != nil {
					return err
				}
			}
			if runF != nil {
				return runF(opts)
			}
			return initRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Kind, "kind", "wso2is", "product `KIND`: wso2is, wso2am or wso2mi")
	cmd.Flags().StringVarP(&opts.Out, "output-file", "o", "", "write to `FILE` instead of stdout")
	cmd.Flags().BoolVar(&opts.Force, "force", false, "overwrite an existing FILE")
	return cmd
}

func initRun(opts *InitOptions) error {
	name := opts.Out
	if name == "" {
		name = "topology.toml"
	}
	data, err := gen.Starter(opts.Kind, name)
	if err != nil {
		return err
	}
	if opts.Out == "" {
		_, err := opts.F.Stdout.Write(data)
		return err
	}
	if _, err := os.Lstat(opts.Out); err == nil && !opts.Force {
		return &usageError{fmt.Sprintf("%s exists; choose another -o or pass --force to overwrite it", opts.Out)}
	}
	if err := writeFileAtomic(opts.Out, data, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(opts.F.Stdout, "wrote %s\n", opts.Out)
	nextf(opts.F.Stdout, "edit %s (its comments say what each key does; wso2ks help topology lists them)", opts.Out)
	nextf(opts.F.Stdout, "wso2ks plan -f %s, then wso2ks generate -f %s -o keystores", opts.Out, opts.Out)
	return nil
}

// writeFileAtomic writes data to a temporary file beside name and renames
// it into place, so a reader never sees half a file.
func writeFileAtomic(name string, data []byte, mode os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".tmp-")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), name)
}
