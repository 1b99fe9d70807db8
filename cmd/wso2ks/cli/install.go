package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"github.com/wso2ks/wso2ks/pkg/emit"
	"github.com/wso2ks/wso2ks/pkg/gen"
)

// InstallOptions are the inputs of `wso2ks install`.
type InstallOptions struct {
	F        *Factory
	Home     string
	Bundle   string
	Topology string
	Env      string
	Product  string
	Secrets  string // with -f: where the environment's secrets.env goes
	DryRun   bool
	// ReplaceEncryptionKey lets the bundle's [encryption] key replace the
	// one the home's deployment.toml has.
	ReplaceEncryptionKey bool
}

// NewCmdInstall builds `wso2ks install`; runF replaces installRun in tests.
func NewCmdInstall(f *Factory, runF func(*InstallOptions) error) *cobra.Command {
	opts := &InstallOptions{F: f}
	cmd := &cobra.Command{
		Use:   "install --home WSO2_HOME (--bundle DIR | -f topology.toml) [--env NAME] [--product NAME] [--dry-run]",
		Short: "Put one product's stores and tables into a WSO2 home",
		Long: `Copy one product's stores from a bundle (--bundle DIR, or generated from -f
topology.toml) into the home's repository/resources/security, write the secure
vault's files in vault mode, and merge the product's snippet into the home's
deployment.toml (repository/conf/deployment.toml; MI: conf/deployment.toml),
keeping a backup of it. Everything is staged first and swapped in together: on
any failure the home is left exactly as it was. Installing the same bundle
again changes nothing. --dry-run says what would change.

A directory that is not a home of the bundle's product kind, or that is named
or laid out like another product or version, is refused. With -f the
environment must hold only this product (otherwise generate the bundle, so
every peer gets the certificates this truststore trusts), and unless the
passwords are plain, --secrets FILE receives the environment's secrets.env.`,
		Args: noArgs,
		RunE: func(c *cobra.Command, args []string) error {
			switch {
			case opts.Home == "":
				return &usageError{"install needs --home WSO2_HOME; see 'wso2ks install --help'"}
			case (opts.Bundle == "") == (opts.Topology == ""):
				return &usageError{"install takes either --bundle DIR or -f topology.toml; see 'wso2ks install --help'"}
			case opts.Secrets != "" && opts.Topology == "":
				return &usageError{"--secrets goes with -f"}
			}
			if runF != nil {
				return runF(opts)
			}
			return installRun(opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Home, "home", "", "the WSO2 product home to install into")
	fl.StringVar(&opts.Bundle, "bundle", "", "a bundle directory written by wso2ks generate")
	fl.StringVarP(&opts.Topology, "file", "f", "", "generate from this topology instead of reading a bundle")
	fl.StringVar(&opts.Env, "env", "", "the environment to install (needed when there are several)")
	fl.StringVar(&opts.Product, "product", "", "the product to install (needed when there are several)")
	fl.StringVar(&opts.Secrets, "secrets", "", "with -f: write the environment's secrets.env here (0600)")
	fl.BoolVar(&opts.DryRun, "dry-run", false, "say what would change and change nothing")
	fl.BoolVar(&opts.ReplaceEncryptionKey, "replace-encryption-key", false, "let the bundle's [encryption] key replace the one the home's deployment.toml has")
	return cmd
}

// homeChange is one file install writes.
type homeChange struct {
	rel    string
	path   string
	data   []byte
	old    []byte // nil when the file does not exist
	mode   fs.FileMode
	backup bool // keep a backup of the old file
	// backupMode is the backup's mode (secretModes).
	backupMode fs.FileMode
}

func installRun(opts *InstallOptions) error {
	f := opts.F
	b, err := installBundle(opts)
	if err != nil {
		return err
	}
	env, product, err := pickProduct(b, opts)
	if err != nil {
		return err
	}
	kind, version := productKindVersion(b, env, product)
	layout, ok := emit.LayoutOf(kind)
	if !ok {
		return &gen.InputError{File: opts.Bundle, Msg: fmt.Sprintf("the manifest does not say which product %q is; regenerate the bundle with this wso2ks", product)}
	}
	if err := checkHome(opts.Home, layout, kind, version); err != nil {
		return err
	}
	files, snippet, err := emit.ProductFiles(b, env, product)
	if err != nil {
		return &gen.InputError{File: opts.Bundle, Msg: err.Error()}
	}
	changes, notes, err := homeChanges(opts.Home, layout, files, snippet, emit.MergeOptions{ReplaceEncryptionKey: opts.ReplaceEncryptionKey})
	if err != nil {
		return err
	}
	if len(changes) == 0 {
		fmt.Fprintf(f.Stdout, "%s is up to date with %s/%s\n", opts.Home, env, product)
		return nil
	}
	if opts.DryRun {
		for _, c := range changes {
			verb := "create"
			if c.old != nil {
				verb = "replace"
			}
			fmt.Fprintf(f.Stdout, "would %s %s\n", verb, c.rel)
			if c.backup {
				f.Stdout.Write(emit.MergeDiff(c.rel, c.old, c.data))
			}
		}
		return nil
	}
	if opts.Secrets != "" {
		if err := writeNewSecretFile(opts.Secrets, b, env); err != nil {
			return err
		}
	}
	backup, err := applyChanges(changes)
	if err != nil {
		if opts.Secrets != "" {
			os.Remove(opts.Secrets)
		}
		var ie *gen.InputError
		if errors.As(err, &ie) {
			return err
		}
		return fmt.Errorf("install into %s (nothing was changed): %w", opts.Home, err)
	}
	fmt.Fprintf(f.Stdout, "installed %s/%s into %s\n", env, product, opts.Home)
	for _, c := range changes {
		fmt.Fprintf(f.Stdout, "  %s\n", c.rel)
	}
	if backup != "" {
		fmt.Fprintf(f.Stdout, "the previous %s is in %s\n", layout.Deployment, backup)
	}
	for _, n := range notes {
		fmt.Fprintf(f.Stdout, "note: %s\n", n)
	}
	// This wso2ks names the store relative to the home, which moves with it;
	// a bundle of an earlier one may name an absolute install_dir.
	if loc := identityLocation(files); filepath.IsAbs(loc) {
		if abs, err := filepath.Abs(opts.Home); err == nil && !strings.HasPrefix(loc, abs+string(filepath.Separator)) {
			fmt.Fprintf(f.Stdout, "note: secret-conf.properties names %s (install_dir); the server must run from there, or regenerate the bundle, whose secret-conf.properties then names the store relative to the home\n", loc)
		}
	}
	return nil
}

// identityLocation is keystore.identity.location of the secure vault files
// among files, or "".
func identityLocation(files []emit.HomeFile) string {
	for _, hf := range files {
		if filepath.Base(hf.Path) != gen.SecretConfName {
			continue
		}
		for _, line := range strings.Split(string(hf.Data), "\n") {
			if v, ok := strings.CutPrefix(line, "keystore.identity.location="); ok {
				return v
			}
		}
	}
	return ""
}

// installBundle reads --bundle, or generates the topology in memory.
func installBundle(opts *InstallOptions) (*emit.Bundle, error) {
	if opts.Bundle != "" {
		return emit.ReadBundle(opts.Bundle)
	}
	f := opts.F
	var envs []string
	if opts.Env != "" {
		envs = []string{opts.Env}
	}
	plan, err := loadPlan(f, opts.Topology, envs)
	if err != nil {
		return nil, err
	}
	if len(plan.Environments) != 1 {
		return nil, &usageError{fmt.Sprintf("%s has %d environments; choose one with --env NAME", opts.Topology, len(plan.Environments))}
	}
	env := plan.Environments[0]
	if len(env.Products) != 1 {
		return nil, &gen.InputError{File: opts.Topology, Msg: fmt.Sprintf("environment %q has %d products, whose truststores must trust each other; run 'wso2ks generate' and install each with --bundle", env.Name, len(env.Products))}
	}
	if env.Products[0].PasswordMode != gen.PasswordPlain && opts.Secrets == "" && !opts.DryRun {
		return nil, &usageError{fmt.Sprintf("the passwords of environment %q are not in its snippets (password_mode %q); give --secrets FILE to keep them", env.Name, env.Products[0].PasswordMode)}
	}
	return emit.Build(plan, emit.BuildOptions{Rand: f.Rand, Now: f.Now()})
}
