package cli

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/wso2ks/wso2ks/pkg/lifecycle"
)

// RenewOptions are the inputs of `wso2ks renew`.
type RenewOptions struct {
	F        *Factory
	Dir      string
	Within   string // Nd
	Envs     []string
	Products []string
	days     int
}

// NewCmdRenew builds `wso2ks renew`; runF replaces renewRun in tests.
func NewCmdRenew(f *Factory, runF func(*RenewOptions) error) *cobra.Command {
	opts := &RenewOptions{F: f}
	cmd := &cobra.Command{
		Use:   "renew DIR [--within 30d] [--env E]... [--product P]...",
		Short: "Re-issue the bundle's certificates that expire soon",
		Long: `Re-issue every certificate of the bundle at DIR that expires within the window
(default 30d) for the same key, subject, SANs, usages and validity length:
primary and internal keep their keys, so data encrypted with them stays
readable. Self-signed certificates stay self-signed; those of an internal CA
are signed by it again; those of an external CA must be signed by that CA.
Truststores get the new certificates under the same aliases, the manifest
follows, passwords stay. --env and --product renew the key stores of those
environments and products only (each repeatable; default all); the
truststores of those environments that hold a renewed certificate follow,
and every other store stays as it was. The bundle is replaced atomically;
with nothing due, nothing is written.`,
		Args: oneBundleDir,
		RunE: func(c *cobra.Command, args []string) error {
			opts.Dir = args[0]
			if err := checkBundleDir(opts.Dir, "%s"); err != nil {
				return err
			}
			n, err := parseDays("--within", opts.Within, maxWithin)
			if err != nil {
				return err
			}
			opts.days = n
			if runF != nil {
				return runF(opts)
			}
			return renewRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Within, "within", "30d", "renew the certificates expiring within `Nd` days")
	cmd.Flags().StringArrayVar(&opts.Envs, "env", nil, "only environment `NAME` (repeatable; default: every one)")
	cmd.Flags().StringArrayVar(&opts.Products, "product", nil, "only the stores of product `NAME` (repeatable; default: every one)")
	return cmd
}

func renewRun(opts *RenewOptions) error {
	f := opts.F
	release, err := lockBundle(f, opts.Dir)
	if err != nil {
		return err
	}
	defer release()
	ro := lifecycle.RenewOptions{Now: f.Now(), Rand: f.Rand, Within: days(opts.days), Envs: opts.Envs, Products: opts.Products}
	b, renewed, err := lifecycle.Renew(opts.Dir, ro)
	if err != nil {
		return err
	}
	if b == nil {
		window := fmt.Sprintf("%d days", opts.days)
		if opts.days == 1 {
			window = "1 day"
		}
		if sel := ro.Selection(); sel != "" {
			window += " (" + sel + ")"
		}
		fmt.Fprintf(f.Stdout, "nothing to renew within %s\n", window)
		return nil
	}
	if err := b.Write(opts.Dir, true); err != nil {
		return fmt.Errorf("write %s: %w", opts.Dir, err)
	}
	i := slices.IndexFunc(renewed, func(r lifecycle.Renewed) bool { return r.Foreign }) // Renew lists them last
	if i < 0 {
		i = len(renewed)
	}
	renewed, foreign := renewed[:i], renewed[i:]
	fmt.Fprintf(f.Stdout, "renewed %d certificate(s) in %s:\n", len(renewed), opts.Dir)
	for _, r := range renewed {
		fmt.Fprintf(f.Stdout, "  %s of %s until %s\n", r.Role, strings.Join(productsOf(r.Paths), ", "), r.NotAfter.UTC().Format(time.RFC3339))
		for _, p := range r.Paths {
			fmt.Fprintf(f.Stdout, "    %s\n", p)
		}
		for _, p := range r.Trust {
			fmt.Fprintf(f.Stdout, "    %s (truststore entry replaced)\n", p)
		}
	}
	if len(foreign) > 0 {
		fmt.Fprintf(f.Stdout, "not renewed: %d certificate(s) signed by a CA whose key wso2ks does not hold:\n", len(foreign))
		for _, r := range foreign {
			fmt.Fprintf(f.Stdout, "  %s %s, expires %s\n", r.Role, r.Paths[0], r.NotAfter.UTC().Format(time.RFC3339))
		}
	}
	var changed []string
	for _, r := range renewed {
		changed = append(changed, r.Paths...)
		changed = append(changed, r.Trust...)
	}
	redeployNext(f.Stdout, opts.Dir, productsOf(changed))
	for _, r := range foreign {
		for _, ep := range productsOf(r.Paths) {
			env, product, _ := strings.Cut(ep, "/")
			nextf(f.Stdout, "%s: have your CA sign a new %s certificate: wso2ks csr %s --env %s --product %s, then wso2ks import-cert %s CHAIN.pem --env %s --product %s",
				ep, r.Role, opts.Dir, env, product, opts.Dir, env, product)
		}
	}
	return nil
}
