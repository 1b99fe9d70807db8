package cli

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"github.com/wso2ks/wso2ks/pkg/lifecycle"
)

// CSROptions are the inputs of `wso2ks csr`.
type CSROptions struct {
	F        *Factory
	Dir      string
	Envs     []string
	Products []string
}

// NewCmdCSR builds `wso2ks csr`; runF replaces csrRun in tests.
func NewCmdCSR(f *Factory, runF func(*CSROptions) error) *cobra.Command {
	opts := &CSROptions{F: f}
	cmd := &cobra.Command{
		Use:   "csr DIR [--env E]... [--product P]...",
		Short: "Write a certificate signing request for each tls store of a bundle",
		Long: `Write a PKCS#10 certificate signing request (PEM) for each tls store of the
bundle at DIR, to DIR/<env>/<product>/tls.csr: the subject and SANs of the
store's certificate, signed with the store's key. The key stays in the store
and the self-signed certificate keeps working until 'wso2ks import-cert'
installs the one your CA signs. A tls store shared by several products gets
one request, in the first product's directory. An earlier request is
replaced; the stores do not change.`,
		Args: oneBundleDir,
		RunE: func(c *cobra.Command, args []string) error {
			opts.Dir = args[0]
			if err := checkBundleDir(opts.Dir, "%s"); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return csrRun(opts)
		},
	}
	cmd.Flags().StringArrayVar(&opts.Envs, "env", nil, "only environment `NAME` (repeatable; default: every one)")
	cmd.Flags().StringArrayVar(&opts.Products, "product", nil, "only the tls store of product `NAME` (repeatable; default: every one)")
	return cmd
}

func csrRun(opts *CSROptions) error {
	f := opts.F
	release, err := lockBundle(f, opts.Dir)
	if err != nil {
		return err
	}
	defer release()
	b, reqs, err := lifecycle.CSR(opts.Dir, lifecycle.CSROptions{Rand: f.Rand, Envs: opts.Envs, Products: opts.Products})
	if err != nil {
		return err
	}
	if err := b.Write(opts.Dir, true); err != nil {
		return fmt.Errorf("write %s: %w", opts.Dir, err)
	}
	fmt.Fprintf(f.Stdout, "wrote %d certificate signing request(s):\n", len(reqs))
	for _, r := range reqs {
		fmt.Fprintf(f.Stdout, "  %s\n", filepath.Join(opts.Dir, filepath.FromSlash(r.Path)))
		fmt.Fprintf(f.Stdout, "    key: %s\n", r.Store)
		if len(r.SharedBy) > 0 {
			fmt.Fprintf(f.Stdout, "    shared by: %s\n", strings.Join(r.SharedBy, ", "))
		}
		fmt.Fprintf(f.Stdout, "    names: %s\n", strings.Join(r.SANs, ", "))
	}
	for _, r := range reqs {
		ep := productsOf([]string{r.Store})
		if len(ep) == 0 {
			continue
		}
		env, product, _ := strings.Cut(ep[0], "/")
		nextf(f.Stdout, "%s: have your CA sign %s for TLS server use, then wso2ks import-cert %s CHAIN.pem --env %s --product %s",
			ep[0], filepath.Join(opts.Dir, filepath.FromSlash(r.Path)), opts.Dir, env, product)
	}
	return nil
}
