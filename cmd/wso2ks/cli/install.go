package cli

import (
	"fmt"
	"io/fs"

	"github.com/spf13/cobra"
	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/deploytoml"
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
	// ReplaceKeys lets the bundle replace primary and internal keys the
	// home has (and key stores install cannot read).
	ReplaceKeys bool
	// ReplaceEncryptionKey lets the bundle's [encryption] key replace the
	// one the home's deployment.toml has.
	ReplaceEncryptionKey bool
}

// NewCmdInstall builds `wso2ks install`; runF replaces installRun in tests.
func NewCmdInstall(f *Factory, runF func(*InstallOptions) error) *cobra.Command {
	opts := &InstallOptions{F: f}
	cmd := &cobra.Command{
		Use:   "install --home WSO2_HOME (--bundle DIR | -f topology.toml) [--env NAME] [--product NAME] [--replace-keys] [--replace-encryption-key] [--dry-run]",
		Short: "Put one product's stores and tables into a WSO2 home",
		Long: `Copy one product's stores from a bundle (--bundle DIR, or generated from -f
topology.toml) into the home's repository/resources/security, write the secure
vault's files in vault mode, and merge the product's snippet into the home's
deployment.toml (repository/conf/deployment.toml; MI: conf/deployment.toml).
Everything is staged first and swapped in together: on any failure the home is
left exactly as it was, and a run killed part-way is finished or undone by the
next install into the home (or merge into its deployment.toml), which says so;
verify refuses the home until then. Installs into one home take turns. Every file replaced is kept beside itself as
FILE.wso2ks-backup (.1, .2, … when that exists). Installing the same bundle
again changes nothing. --dry-run says what would change.

The home keeps what it has. Its key stores are read as the server reads them
(deployment.toml, placeholders resolved). With -f the bundle is built around the
keys and passwords the home already has, so installing again keeps them. A
bundle whose primary or internal key differs from the home's own (not WSO2's
default) is refused unless --replace-keys: tokens clients hold and data the
home encrypted depend on them. tls and WS-Security keys are replaced, and said
so. The truststore keeps every certificate the home's truststore holds that
install did not write, but WSO2's published default certificate. An
[encryption] key the home has is kept unless --replace-encryption-key; a home
that has run (a non-empty repository/logs/wso2carbon.log, or a database other
than the pack's H2) without a key of its own keeps WSO2's default key, and
install says how to migrate. A tls certificate that does not cover [server]
hostname is refused.

A directory that is not a home of the bundle's product kind, or that is named
or laid out like another product or version, is refused. With -f the
environment must hold only this product (otherwise generate the bundle, so
every peer gets the certificates this truststore trusts), and unless the
passwords are plain, --secrets FILE receives the environment's secrets.env.
A symbolic link where install writes — a file, a backup's name, a directory
inside the home — is refused (the home's own path may hold links).`,
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
			if !opts.DryRun {
				if err := refuseLink(opts.Secrets, "--secrets %s", "file"); err != nil {
					return err
				}
			}
			if runF != nil {
				return runF(opts)
			}
			return installRun(opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Home, "home", "", "the WSO2 product home `WSO2_HOME` to install into")
	fl.StringVar(&opts.Bundle, "bundle", "", "the bundle `DIR` that wso2ks generate wrote")
	fl.StringVarP(&opts.Topology, "file", "f", "", "generate from topology `FILE` instead of reading a bundle")
	fl.StringVar(&opts.Env, "env", "", "the environment `NAME` to install (needed when there are several)")
	fl.StringVar(&opts.Product, "product", "", "the product `NAME` to install (needed when there are several)")
	fl.StringVar(&opts.Secrets, "secrets", "", "with -f: write the environment's secrets.env to `FILE` (0600)")
	fl.BoolVar(&opts.ReplaceKeys, "replace-keys", false, "replace the home's own primary and internal keys (the old stores are kept as backups)")
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
	// backupMode is the backup's mode: 0600 for a store or vault file,
	// secretModes for deployment.toml.
	backupMode fs.FileMode
}

// installer is one run of install: where it installs, from what, and what
// it has to say about the home's keys and truststore.
type installer struct {
	opts         *InstallOptions
	f            *Factory
	env, product string
	kind         string
	version      string
	layout       deploytoml.HomeLayout
	plan         *gen.Plan // -f: the one product's plan
	b            *bundle.Bundle
	home         *homeState
	// reasons say, by role, why -f's topology cannot keep a home's key.
	reasons map[string]string
	// runsWith is the [encryption] key the home runs with after install,
	// when install knows it (for the install record).
	runsWith string
	// secretOverride holds [secrets] ciphertexts install makes in place of
	// the bundle's: the home's kept encryption key, for the bundle's
	// internal key.
	secretOverride map[string]string
	// lines report what happens to the home's keys and truststore.
	lines []string
	notes []string
}

func (in *installer) say(format string, args ...any) {
	in.lines = append(in.lines, fmt.Sprintf(format, args...))
}

func installRun(opts *InstallOptions) error {
	in := &installer{opts: opts, f: opts.F}
	if err := in.source(); err != nil {
		return err
	}
	layout, ok := deploytoml.LayoutOf(in.kind)
	if !ok {
		return &gen.InputError{File: opts.Bundle, Msg: fmt.Sprintf("the manifest does not say which product %q is; regenerate the bundle with this wso2ks", in.product)}
	}
	in.layout = layout
	if err := checkHome(opts.Home, layout, in.kind, in.version); err != nil {
		return err
	}
	if opts.DryRun {
		if err := pendingInstall(opts.Home); err != nil {
			return err
		}
	} else {
		release, err := lockHome(in.f, opts.Home, layout)
		if err != nil {
			return err
		}
		defer release()
	}
	if err := in.readHome(); err != nil {
		return err
	}
	if in.plan != nil {
		if err := in.build(); err != nil {
			return err
		}
	}
	files, snippet, err := deploytoml.ProductFiles(in.b, in.env, in.product)
	if err != nil {
		return &gen.InputError{File: opts.Bundle, Msg: err.Error()}
	}
	stores, err := deploytoml.OpenProductStores(in.b, in.env, in.product)
	if err != nil {
		return err
	}
	if err := in.checkHostname(stores); err != nil {
		return err
	}
	if err := in.compareKeys(stores); err != nil {
		return err
	}
	keyOpt, err := in.encryptionOptions(snippet, stores)
	if err != nil {
		return err
	}
	if in.secretOverride != nil {
		snippet = in.overrideSecrets(snippet, files)
	}
	if files, err = in.trustFiles(files, stores); err != nil {
		return err
	}
	changes, notes, err := homeChanges(opts.Home, layout, files, snippet, keyOpt)
	if err != nil {
		return err
	}
	for _, n := range notes {
		// Install, not the user, asked merge to replace WSO2's default key
		// on a fresh pack, and has said so.
		if n != deploytoml.NoteEncryptionKeyReplaced || opts.ReplaceEncryptionKey {
			in.notes = append(in.notes, n)
		}
	}
	if !opts.DryRun {
		if err := refuseHomeLinks(opts.Home, changes); err != nil {
			return err
		}
	}
	return in.apply(changes, files)
}
