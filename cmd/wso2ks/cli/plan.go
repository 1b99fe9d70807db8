package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

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
			if err := checkOutput(opts.Output); err != nil {
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
	fl.StringVarP(&opts.Topology, "file", "f", "", "topology file (default: the built-in single IS node)")
	fl.StringArrayVar(&opts.Envs, "env", nil, "limit to this environment (repeatable)")
	fl.StringVar(&opts.Output, "output", "text", "text or json")
	fl.StringVar(&opts.Against, "against", "", "show what 'generate --update DIR' would change in this bundle")
	return cmd
}

func planRun(opts *PlanOptions) error {
	plan, err := loadPlan(opts.F, opts.Topology, opts.Envs)
	if err != nil {
		return err
	}
	if opts.Against != "" {
		return planAgainstRun(opts, plan)
	}
	for ei := range plan.Environments {
		env := &plan.Environments[ei]
		for pi := range env.Products {
			p := &env.Products[pi]
			snippet, err := emit.Snippet(env.Name, p, nil)
			if err != nil {
				return err
			}
			p.Snippet = string(snippet)
		}
	}
	if opts.Output == "json" {
		enc := json.NewEncoder(opts.F.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(plan)
	}
	return printPlan(opts.F.Stdout, plan)
}

func printPlan(w io.Writer, plan *gen.Plan) error {
	fmt.Fprintf(w, "topology: %s\n", plan.Topology)
	for _, env := range plan.Environments {
		fmt.Fprintf(w, "\nenvironment %s\n", env.Name)
		if ca := env.CA; ca != nil && ca.External() != nil {
			ext := ca.External()
			fmt.Fprintf(w, "  external CA %s: signer %s from %s (key %s, not copied); chain %d certificate(s) to certificate %s\n", ca.Alias, ca.Subject, ext.CertFile, ext.KeyFile, len(ext.Chain), ca.CertPath)
		} else if ca != nil {
			fmt.Fprintf(w, "  internal CA %s: %s, %s, %d days; certificate %s, key %s (0400)\n", ca.Alias, ca.Subject, ca.Key, ca.ValidityDays, ca.CertPath, ca.KeyPath)
		}
		for _, p := range env.Products {
			format := p.Format
			if p.PKCS12 != "" {
				format += " (" + p.PKCS12 + ")"
			}
			fmt.Fprintf(w, "\n  product %s: %s %s, %s, passwords %s, directory %s/\n", p.Name, p.Kind, p.Version, format, p.PasswordMode, p.Dir)
			if len(p.Instances) > 0 {
				fmt.Fprintf(w, "  instances sharing these stores: %s\n", strings.Join(p.Instances, ", "))
			}
			tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "    ROLE\tFILE\tALIAS\tKEY\tDAYS\tDETAILS")
			for _, s := range p.Stores {
				if s.Role == gen.RoleTruststore {
					fmt.Fprintf(tw, "    %s\t%s\t-\t-\t-\t%s\n", s.Role, s.FileName, describeEntries(s.Entries))
					continue
				}
				details := s.Subject
				if len(s.SANs) > 0 {
					details += "; SAN " + strings.Join(s.SANs, ", ")
				}
				if len(s.SharedBy) > 0 && s.Role == gen.RoleTLS && strings.HasSuffix(s.KeyID, "/shared/tls") {
					details += "; shared by " + strings.Join(s.SharedBy, ", ")
				}
				if s.IssuerKeyID != "" && env.CA != nil {
					details += "; signed by " + env.CA.Alias
				}
				fmt.Fprintf(tw, "    %s\t%s\t%s\t%s\t%d\t%s\n", s.Role, s.FileName, s.Alias, s.Key, s.ValidityDays, details)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			fmt.Fprintf(w, "  passwords: %s/%s as %s_*\n", env.Name, emit.SecretsName, strings.TrimSuffix(gen.PasswordVar(p.Name, "x"), "_X_PASSWORD"))
			for _, s := range p.Stores {
				if s.PasswordSource != "generated" {
					fmt.Fprintf(w, "  %s password from %s\n", s.Role, s.PasswordSource)
				}
			}
			if line := describeEncryption(env.Name, &p); line != "" {
				fmt.Fprintf(w, "  internal data: %s\n", line)
			}
			if v := p.Vault; v != nil {
				fmt.Fprintf(w, "  secure vault: [secrets] encrypted with the %s certificate (%s); %s names %s in the home\n", v.CipherRole, v.Transformation, gen.SecretConfName, v.IdentityLocation)
			}
			fmt.Fprintf(w, "  snippet %s/%s:\n", p.Dir, emit.SnippetName)
			for _, line := range strings.Split(strings.TrimRight(p.Snippet, "\n"), "\n") {
				fmt.Fprintf(w, "    %s\n", line)
			}
		}
	}
	return nil
}

// describeEntries lists a truststore's own aliases and counts the public CAs.
func describeEntries(entries []gen.TrustEntry) string {
	var named []string
	public := 0
	for _, e := range entries {
		if strings.HasPrefix(e.Alias, "public-") && e.KeyID == "" {
			public++
			continue
		}
		named = append(named, e.Alias)
	}
	s := fmt.Sprintf("%d entries: %s", len(entries), strings.Join(named, ", "))
	if public > 0 {
		s += fmt.Sprintf(", and %d public CAs", public)
	}
	return s
}

// describeEncryption says what protects a product's internal data: the key
// generate writes (never its value), or the store whose key does.
func describeEncryption(env string, p *gen.Product) string {
	e := p.Encryption
	switch {
	case e == nil:
		return ""
	case e.Provider == gen.ProviderKeystore:
		return fmt.Sprintf("encrypted with the %s store's key (the keystore-based provider, the default of %s %s); replacing that key on an install that holds data needs a data migration",
			e.Store, p.Kind.Title(), p.Version)
	}
	key, chars := fmt.Sprintf("a new %d-bit key", e.KeyBits), e.KeyChars
	if k, ok := e.SuppliedKey(); ok {
		key, chars = "the key from "+e.KeySource, len(k)
	}
	form := fmt.Sprintf("%d hex digits", chars)
	if chars == 32 {
		// carbon-crypto-service reads a 32-character key as its bytes.
		form += ", whose bytes the product uses as an AES-256 key"
	}
	return fmt.Sprintf("AES-GCM with %s (%s) in %s/%s as %s, the snippet's [encryption] key; updates keep it",
		key, form, env, emit.SecretsName, e.KeyVar)
}
