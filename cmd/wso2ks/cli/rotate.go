package cli

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/wso2ks/wso2ks/pkg/gen"
	"github.com/wso2ks/wso2ks/pkg/lifecycle"
)

// RotateOptions are the inputs of `wso2ks rotate`.
type RotateOptions struct {
	F       *Factory
	Dir     string
	Role    string
	Product string
	Envs    []string
	Finish  bool
}

// NewCmdRotate builds `wso2ks rotate`; runF replaces rotateRun in tests.
func NewCmdRotate(f *Factory, runF func(*RotateOptions) error) *cobra.Command {
	opts := &RotateOptions{F: f}
	cmd := &cobra.Command{
		Use:   "rotate DIR --product P [--env E]... [--finish]",
		Short: "Give a product's tls store a new key, trusting old and new until --finish",
		Long: `Give product P's tls store in the bundle at DIR a new key of the same type,
with a certificate for the same subject, SANs, usages and validity length,
issued as the old one was (self-signed, or by the environment's internal CA).
Every truststore that trusted the old certificate trusts the new one under
its alias and keeps the old one under <alias>-previous, so nodes restarted
one by one trust each other throughout. With an internal CA the truststores
hold only the CA and do not change. --finish removes the -previous entries
once every node runs the new tls store. Only tls rotates: primary and
internal keep their keys because data is encrypted with them. Passwords stay;
the bundle is replaced atomically.`,
		Args: oneBundleDir,
		RunE: func(c *cobra.Command, args []string) error {
			opts.Dir = args[0]
			if err := checkBundleDir(opts.Dir, "%s"); err != nil {
				return err
			}
			if c.Flags().Changed("role") {
				if err := checkRotateRole(opts.Role); err != nil {
					return err
				}
				noteOld(f, "role", "leave it out: rotate always rotates the tls store")
			}
			if opts.Product == "" {
				return &usageError{"wso2ks rotate needs --product, the product whose tls key to rotate (manifest.json lists them)"}
			}
			if runF != nil {
				return runF(opts)
			}
			return rotateRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Role, "role", gen.RoleTLS, "the store to rotate: tls, the only role whose key can be replaced")
	oldFlag(cmd, "role") // required, with its one value, until issue 14
	cmd.Flags().StringVar(&opts.Product, "product", "", "the product `NAME` whose tls store gets a new key (required)")
	cmd.Flags().StringArrayVar(&opts.Envs, "env", nil, "only environment `NAME` (repeatable; default: every one with the product)")
	cmd.Flags().BoolVar(&opts.Finish, "finish", false, "remove the old certificate (<alias>-previous) from the truststores")
	return cmd
}

// checkRotateRole accepts tls only and says why the others cannot rotate.
func checkRotateRole(role string) error {
	switch role {
	case gen.RoleTLS:
		return nil
	case "":
		return &usageError{"--role is empty; leave --role out: rotate rotates the tls store, the only one whose key can be replaced"}
	case gen.RolePrimary, gen.RoleInternal:
		return &usageError{fmt.Sprintf("--role %s cannot be rotated: tokens are signed and data and secrets encrypted with that key, so it must stay; rotate the tls store (leave --role out), or give the same key a new certificate with 'wso2ks renew'", role)}
	case gen.RoleWSSec:
		return &usageError{"--role wssec cannot be rotated yet: a WS-Security store holds one key, so messages encrypted to the old certificate would not decrypt during the overlap; rotate the tls store (leave --role out), or give the same key a new certificate with 'wso2ks renew'"}
	}
	return &usageError{fmt.Sprintf("--role %q is unknown; leave --role out: rotate rotates the tls store", role)}
}

func rotateRun(opts *RotateOptions) error {
	f := opts.F
	release, err := lockBundle(f, opts.Dir)
	if err != nil {
		return err
	}
	defer release()
	eo := lifecycle.RotateOptions{Now: f.Now(), Rand: f.Rand, Product: opts.Product, Envs: opts.Envs}
	do, header := lifecycle.Rotate, "rotated the tls key of %s in %s:\n"
	if opts.Finish {
		do, header = lifecycle.FinishRotation, "finished the tls rotation of %s in %s:\n"
	}
	b, done, err := do(opts.Dir, eo)
	if err != nil {
		return err
	}
	if b == nil {
		fmt.Fprintf(f.Stdout, "no tls rotation of %s to finish in %s\n", opts.Product, opts.Dir)
		return nil
	}
	if err := b.Write(opts.Dir, true); err != nil {
		return fmt.Errorf("write %s: %w", opts.Dir, err)
	}
	fmt.Fprintf(f.Stdout, header, opts.Product, opts.Dir)
	overlap := false
	for _, r := range done {
		if opts.Finish {
			fmt.Fprintf(f.Stdout, "  %s/%s:\n", r.Env, opts.Product)
			for _, p := range r.Trust {
				fmt.Fprintf(f.Stdout, "    %s: %s removed\n", p, r.Previous)
			}
			continue
		}
		fmt.Fprintf(f.Stdout, "  %s/%s: new %s key, certificate until %s\n", r.Env, opts.Product, r.Key, r.NotAfter.UTC().Format(time.RFC3339))
		for _, p := range r.Stores {
			fmt.Fprintf(f.Stdout, "    %s: new key\n", p)
		}
		for _, p := range r.Trust {
			fmt.Fprintf(f.Stdout, "    %s: %s added (the old certificate; %s holds the new one)\n", p, r.Previous, r.Alias)
		}
		switch {
		case len(r.Trust) > 0:
			overlap = true
		case r.CA != "":
			fmt.Fprintf(f.Stdout, "    truststores unchanged: they trust the CA %s, which signed the new certificate too, so there is nothing to overlap\n", r.CA)
		default:
			fmt.Fprintf(f.Stdout, "    truststores unchanged: none trusted the old certificate\n")
		}
	}
	// Truststores first: every node must trust the new certificate before
	// a node presents it.
	var changed []string
	for _, r := range done {
		changed = append(changed, r.Trust...)
	}
	for _, r := range done {
		changed = append(changed, r.Stores...)
	}
	redeployNext(f.Stdout, opts.Dir, productsOf(changed))
	switch {
	case overlap && !opts.Finish:
		nextf(f.Stdout, "once every node of %s runs the new tls store: %s --finish", opts.Product, eo.Command(opts.Dir))
	case !opts.Finish:
		var stores []string
		for _, r := range done {
			stores = append(stores, r.Stores...)
		}
		nextf(f.Stdout, "there is nothing to finish for %s: no truststore holds its old certificate", strings.Join(productsOf(stores), ", "))
	}
	return nil
}
