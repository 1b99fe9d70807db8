package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"github.com/spf13/cobra"
	"github.com/wso2ks/wso2ks/pkg/gen"
	"github.com/wso2ks/wso2ks/pkg/infile"
	"github.com/wso2ks/wso2ks/pkg/lifecycle"
)

// ImportCertOptions are the inputs of `wso2ks import-cert`.
type ImportCertOptions struct {
	F       *Factory
	Dir     string
	Chain   string // the PEM file the CA returned
	Env     string
	Product string
}

// NewCmdImportCert builds `wso2ks import-cert`; runF replaces importCertRun
// in tests.
func NewCmdImportCert(f *Factory, runF func(*ImportCertOptions) error) *cobra.Command {
	opts := &ImportCertOptions{F: f}
	cmd := &cobra.Command{
		Use:   "import-cert DIR CHAIN.pem --product P [--env E]",
		Short: "Install the certificate a CA signed for a tls store of a bundle",
		Long: `Install into the tls store of product P (in environment E; --env may be left
out when P is in one environment only) the chain a CA returned for the request
'wso2ks csr' wrote: CHAIN.pem holds the certificates in PEM, leaf first, then
each issuer, up to the root (which may be left out when the truststore
already trusts it, as with a public CA).

It checks first that the leaf is for the store's key, that the chain is
complete, valid now and made of CAs with strong keys, that the leaf is for
TLS servers, and that it covers every planned name of the store except
localhost; otherwise it names the problem and changes nothing. Then the tls
store (every product's, when shared) holds [leaf, intermediates..., root]
under the same alias and password; every truststore of the environment drops
the old tls certificate and trusts the root; the manifest follows. The bundle
is replaced atomically. Refused while a rotation is in progress.`,
		Args: func(c *cobra.Command, args []string) error {
			if len(args) != 2 {
				return &usageError{fmt.Sprintf("%s needs DIR and CHAIN.pem, the bundle and the PEM chain your CA returned; see '%s --help'", c.CommandPath(), c.CommandPath())}
			}
			return nil
		},
		RunE: func(c *cobra.Command, args []string) error {
			opts.Dir, opts.Chain = args[0], args[1]
			if opts.Product == "" {
				return &usageError{fmt.Sprintf("%s needs --product, the product whose tls store gets the certificate; see '%s --help'", c.CommandPath(), c.CommandPath())}
			}
			if err := checkBundleDir(opts.Dir, "%s"); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return importCertRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Product, "product", "", "the product `NAME` whose tls store gets the certificate (required)")
	cmd.Flags().StringVar(&opts.Env, "env", "", "the product's environment `NAME` (needed when it is in several)")
	return cmd
}

func importCertRun(opts *ImportCertOptions) error {
	f := opts.F
	data, err := f.ReadFile(opts.Chain, infile.Certificates)
	var re *infile.Error
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return &gen.InputError{File: opts.Chain, Msg: "no such file; give the PEM chain your CA returned"}
	case err != nil && isDir(opts.Chain):
		return &gen.InputError{File: opts.Chain, Msg: "is a directory; give the PEM chain file your CA returned"}
	case errors.As(err, &re):
		return &gen.InputError{Msg: re.Error()}
	case err != nil:
		return fmt.Errorf("read %s: %w", opts.Chain, err)
	}
	release, err := lockBundle(f, opts.Dir)
	if err != nil {
		return err
	}
	defer release()
	b, done, err := lifecycle.ImportCert(opts.Dir, lifecycle.ImportOptions{Now: f.Now(), Rand: f.Rand, Env: opts.Env,
		Product: opts.Product, ChainFile: opts.Chain, Chain: data})
	if err != nil {
		return err
	}
	if b == nil {
		fmt.Fprintf(f.Stdout, "%s is already installed in %s; nothing written\n", opts.Chain, opts.Dir)
		return nil
	}
	if err := b.Write(opts.Dir, true); err != nil {
		return fmt.Errorf("write %s: %w", opts.Dir, err)
	}
	fmt.Fprintf(f.Stdout, "imported %s (until %s) into %s:\n", done.Subject, done.NotAfter.UTC().Format(time.RFC3339), opts.Dir)
	for _, p := range done.Paths {
		fmt.Fprintf(f.Stdout, "  %s\n", p)
	}
	for _, p := range done.Trust {
		fmt.Fprintf(f.Stdout, "  %s (truststore updated)\n", p)
	}
	if done.RootAlias != "" {
		fmt.Fprintf(f.Stdout, "the root is trusted as %s in the truststores of %s\n", done.RootAlias, done.Env)
	}
	redeployNext(f.Stdout, opts.Dir, productsOf(done.Paths, done.Trust))
	return nil
}

func isDir(name string) bool {
	st, err := os.Stat(name)
	return err == nil && st.IsDir()
}
