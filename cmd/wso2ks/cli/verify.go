package cli

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"
	"github.com/wso2ks/wso2ks/pkg/verify"
)

// errVerifyFailed: a rule failed (exit 1).
var errVerifyFailed = errors.New("verify found failing rules")

// VerifyOptions are the inputs of `wso2ks verify`.
type VerifyOptions struct {
	F            *Factory
	Paths        []string
	Output       string
	PasswordFile string
	ExpiryWarn   int // days, from --within
	// Quiet leaves PASS findings out of the text report.
	Quiet bool
	// Rules prints the rule table instead of auditing.
	Rules  bool
	within string // --within as given
	// Connect: verify --connect (verify_connect.go).
	Connect ConnectFlags
}

// NewCmdVerify builds `wso2ks verify`; runF replaces verifyRun in tests.
func NewCmdVerify(f *Factory, runF func(*VerifyOptions) error) *cobra.Command {
	opts := &VerifyOptions{F: f}
	cmd := &cobra.Command{
		Use:   "verify PATH... [--output text|json] [--quiet] [--password-file FILE] [--within 30d] | verify --rules",
		Short: "Audit a bundle or a WSO2 home against the recommended keystores",
		Long: `Audit each PATH — a bundle that 'wso2ks generate' wrote, one product directory
of a bundle, or a WSO2 home (IS/APIM repository/conf/deployment.toml, MI
conf/deployment.toml) — the way the product reads it: deployment.toml with its
defaults, $env{...} from the environment (a bundle's secrets.env first),
$secret{...} decrypted with the secure vault's store. That store's password
comes from --password-file FILE (its first line) or WSO2KS_VERIFY_PASSWORD,
never from an argument; else, as the server reads it, from a bundle's
secrets.env or a home's password-tmp or password-persist.

Every rule reports PASS, WARN or FAIL with its fix, or SKIP when verify lacks
what it needs to check it; a line per product counts them, and --quiet
leaves the PASS lines out. 'wso2ks verify --rules' lists the rules (also in
docs/verify.md). Exit status: 0 when nothing fails, 1 when a rule fails, 2 when a PATH
cannot be audited — as a home an interrupted install left half done is, until
the next install into it (or merge into its deployment.toml) finishes or undoes
that install. verify reads only; it never prints a password.`,
		Args: func(c *cobra.Command, args []string) error {
			if opts.Rules {
				if len(args) > 0 {
					return &usageError{"--rules prints the rule table and audits nothing; drop the PATHs or --rules"}
				}
				return nil
			}
			return needPaths(c, args)
		},
		RunE: func(c *cobra.Command, args []string) error {
			opts.Paths = args
			if err := takeConnectArgs(c, opts); err != nil {
				return err
			}
			if err := checkOutput(c, opts.Output); err != nil {
				return err
			}
			n, err := verifyWindow(f, c, opts.within)
			if err != nil {
				return err
			}
			opts.ExpiryWarn = n
			if runF != nil {
				return runF(opts)
			}
			return verifyRun(opts)
		},
	}
	addOutput(cmd, &opts.Output, "text", "json")
	cmd.Flags().StringVar(&opts.PasswordFile, "password-file", "", "`FILE` whose first line is the secure vault store's password")
	cmd.Flags().StringVar(&opts.within, "within", "30d", "warn about certificates expiring within `Nd` days")
	cmd.Flags().String("expiry-warn", "", "")
	oldFlag(cmd, "expiry-warn") // --within's name until issue 14
	cmd.Flags().BoolVarP(&opts.Quiet, "quiet", "q", false, "print only WARN, FAIL and SKIP findings, and the counts")
	cmd.Flags().BoolVar(&opts.Rules, "rules", false, "print the rules verify checks, and audit nothing")
	addConnectFlags(cmd, &opts.Connect) // and its usage and help paragraph
	return cmd
}

// verifyWindow reads --within, or --expiry-warn, its old spelling, which
// also took a bare number of days.
func verifyWindow(f *Factory, c *cobra.Command, within string) (int, error) {
	old, given, err := takeOld(c, "expiry-warn", "within")
	if err != nil {
		return 0, err
	}
	if !given {
		return parseDays("--within", within, maxWithin)
	}
	n, _, err := parseDaysOrNumber("--expiry-warn", old, maxWithin)
	if err == nil {
		noteOld(f, "expiry-warn", fmt.Sprintf("write --within %dd, which means the same", n))
	}
	return n, err
}

func verifyRun(opts *VerifyOptions) error {
	f := opts.F
	if opts.Rules {
		return writeRules(f.Stdout, opts.Output)
	}
	o := verify.Options{Now: f.Now(), ExpiryWarn: days(opts.ExpiryWarn), Getenv: f.Getenv}
	var err error
	if o.Password, o.PasswordSource, err = storePassword(f, opts.PasswordFile); err != nil {
		return err
	}
	for _, p := range opts.Paths {
		if err := pendingInstall(p); err != nil {
			return err
		}
	}
	if opts.Connect.On {
		return verifyConnectRun(opts, o)
	}
	report, err := verify.Verify(opts.Paths, o)
	if err != nil {
		return err
	}
	return verifyOutput(opts, report, storeHeader, "")
}
