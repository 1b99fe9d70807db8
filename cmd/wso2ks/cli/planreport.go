package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/gen"
)

// planWriter prints a plan one environment at a time.
type planWriter interface {
	env(*gen.Environment) error
	end() error
}

// textPlan is the text report.
type textPlan struct {
	w        io.Writer
	topology string
	started  bool
}

func (t *textPlan) env(env *gen.Environment) error {
	if !t.started {
		fmt.Fprintf(t.w, "topology: %s\n", t.topology)
		t.started = true
	}
	return printEnv(t.w, env)
}

func (t *textPlan) end() error { return nil }

// printEnv writes one environment of the text report.
func printEnv(w io.Writer, env *gen.Environment) error {
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
		fmt.Fprintf(w, "  passwords: %s/%s as %s_*\n", env.Name, bundle.SecretsName, strings.TrimSuffix(gen.PasswordVar(p.Name, "x"), "_X_PASSWORD"))
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
		fmt.Fprintf(w, "  snippet %s/%s:\n", p.Dir, bundle.SnippetName)
		for _, line := range strings.Split(strings.TrimRight(p.Snippet, "\n"), "\n") {
			fmt.Fprintf(w, "    %s\n", line)
		}
	}
	return nil
}

// jsonPlan writes the plan as json.Encoder with a two-space indent writes
// a gen.Plan, byte for byte, one environment at a time.
type jsonPlan struct {
	w        io.Writer
	topology string
	n        int
}

func (j *jsonPlan) env(env *gen.Environment) error {
	sep := ",\n    "
	if j.n == 0 {
		topology, err := json.Marshal(j.topology)
		if err != nil {
			return err
		}
		fmt.Fprintf(j.w, "{\n  \"topology\": %s,\n  \"environments\": [\n    ", topology)
		sep = ""
	}
	data, err := json.MarshalIndent(env, "    ", "  ")
	if err != nil {
		return err
	}
	j.n++
	_, err = fmt.Fprintf(j.w, "%s%s", sep, data)
	return err
}

func (j *jsonPlan) end() error {
	_, err := io.WriteString(j.w, "\n  ]\n}\n")
	return err
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
		key, form, env, bundle.SecretsName, e.KeyVar)
}
