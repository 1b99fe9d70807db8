package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"github.com/spf13/cobra"
	"github.com/wso2ks/wso2ks/pkg/infile"
	"github.com/wso2ks/wso2ks/pkg/inspect"
	"github.com/wso2ks/wso2ks/pkg/keystore"
	"github.com/wso2ks/wso2ks/pkg/verify"
)

// errExpiring: with --within, a certificate expires within the window (exit 1).
var errExpiring = errors.New("certificates expire within the window")

// expiringError says how many certificates are due; it matches errExpiring.
type expiringError struct{ msg string }

func (e *expiringError) Error() string        { return e.msg }
func (e *expiringError) Is(target error) bool { return target == errExpiring }

// InspectOptions are the inputs of `wso2ks inspect`.
type InspectOptions struct {
	F            *Factory
	Paths        []string
	Output       string // text, json or prometheus
	PasswordFile string
	Within       string // Nd; empty: every certificate
	All          bool
	Sort         string // store or expiry
	window       time.Duration
}

// NewCmdInspect builds `wso2ks inspect`; runF replaces inspectRun in tests.
func NewCmdInspect(f *Factory, runF func(*InspectOptions) error) *cobra.Command {
	opts := &InspectOptions{F: f}
	cmd := &cobra.Command{
		Use:   "inspect PATH... [--output text|json|prometheus] [--within 30d] [--sort store|expiry] [--all] [--password-file FILE]",
		Short: "Show what key stores hold and when their certificates expire",
		Long: `Show what each store holds: its type, and for each entry the alias, the kind
(key or trusted certificate), subject, issuer, SANs, key type and size, key
usage and extended key usage, serial, validity with days left, SHA-256
fingerprint and chain length. Truststores get one line per certificate, their
public CAs folded into one (--all lists them).

PATH is a store file (.jks, .p12, .pfx), a bundle that 'wso2ks generate' wrote,
one product directory of a bundle, or a WSO2 home (IS/APIM
repository/conf/deployment.toml, MI conf/deployment.toml). Passwords come from
where the product takes them — a bundle's secrets.env, the home's
deployment.toml with $env{...} from the environment and $secret{...} decrypted
with the secure vault's store — never from an argument. --password-file FILE
(its first line) or WSO2KS_VERIFY_PASSWORD gives the password of a store file
given as PATH, and of a home's secure vault store. A store whose password is
unknown still shows what it reveals without it: a JKS store all of its
certificates, a PKCS#12 store what it keeps unencrypted; the report says that
its integrity was not verified.

--within 30d lists only the certificates that expire within 30 days (or have
expired) and exits 1 when there is one, for cron. --output prometheus writes
node_exporter's textfile-collector format: one gauge per certificate, its
expiry as Unix seconds. Exit status: 0, 1 as above, 2 when a PATH is not one of
the above, 3 when a file cannot be read. inspect never writes.`,
		Args: needPaths,
		RunE: func(c *cobra.Command, args []string) error {
			opts.Paths = args
			if err := checkOutput(c, opts.Output); err != nil {
				return err
			}
			if opts.Sort != "store" && opts.Sort != "expiry" {
				return &usageError{fmt.Sprintf("--sort %q is unknown; use store or expiry", opts.Sort)}
			}
			flag := "--within"
			old, given, err := takeOld(c, "expiring", "within")
			if err != nil {
				return err
			}
			if given {
				noteOld(f, "expiring", "write --within "+old+", which means the same")
				flag, opts.Within = "--expiring", old
			}
			if opts.Within != "" {
				n, err := parseDays(flag, opts.Within, maxWithin)
				if err != nil {
					return err
				}
				if n == 0 {
					return &usageError{flag + " 0d is an empty window; give at least 1d"}
				}
				opts.window = days(n)
			}
			if runF != nil {
				return runF(opts)
			}
			return inspectRun(opts)
		},
	}
	addOutput(cmd, &opts.Output, "text", "json", "prometheus")
	cmd.Flags().StringVar(&opts.PasswordFile, "password-file", "", "`FILE` whose first line is the password of a store file given as PATH, or of a home's secure vault store")
	cmd.Flags().StringVar(&opts.Within, "within", "", "list only the certificates expiring within `Nd` days, and exit 1 when there is one")
	cmd.Flags().String("expiring", "", "")
	oldFlag(cmd, "expiring") // --within's name until issue 14
	cmd.Flags().BoolVar(&opts.All, "all", false, "list the public CAs of truststores one by one")
	cmd.Flags().StringVar(&opts.Sort, "sort", "store", "`ORDER`: store (as found) or expiry (soonest first)")
	return cmd
}

func inspectRun(opts *InspectOptions) error {
	f := opts.F
	password, _, err := storePassword(f, opts.PasswordFile)
	if err != nil {
		return err
	}
	var stores []inspect.Store
	for _, p := range opts.Paths {
		got, err := inspectPath(f, p, password)
		if err != nil {
			return err
		}
		stores = append(stores, got...)
	}
	r := inspect.NewReport(stores, inspect.Options{Now: f.Now(), All: opts.All, Expiring: opts.window, SortExpiry: opts.Sort == "expiry"})
	switch opts.Output {
	case "json":
		if err := writeJSON(f.Stdout, r); err != nil {
			return err
		}
	case "prometheus":
		inspect.WritePrometheus(f.Stdout, r)
	default:
		inspect.WriteText(f.Stdout, r)
	}
	if opts.window > 0 && r.Due() {
		msg := inspect.Count(r.Summary.Expiring, "certificate expires", "certificates expire") + " within " +
			inspect.Count(r.ExpiringWithinDays, "day", "days")
		if r.Summary.Expired > 0 {
			msg += ", " + inspect.Count(r.Summary.Expired, "has expired", "have expired")
		}
		return &expiringError{msg + "; renew them ('wso2ks renew DIR --within " + opts.Within + "' for a bundle)"}
	}
	return nil
}

// inspectPath describes the stores of one PATH: a store file, or what verify finds in a
// directory.
func inspectPath(f *Factory, path, password string) ([]inspect.Store, error) {
	st, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, &usageError{fmt.Sprintf("%s does not exist; give a store file (.jks, .p12, .pfx), a bundle, a product directory of one, or a WSO2 home", path)}
	}
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return inspectFile(f, path, password)
	}
	if err := pendingInstall(path); err != nil {
		return nil, err
	}
	refs, err := verify.Stores(path, verify.Options{Getenv: f.Getenv, Password: password})
	if err != nil {
		return nil, err
	}
	var out []inspect.Store
	for _, ref := range refs {
		src := inspect.Source{Target: ref.Target, Env: ref.Env, Product: ref.Product, Roles: ref.Roles, Path: ref.File,
			Type: ref.Type, Password: ref.Password, KeyPassword: ref.KeyPassword, Problem: ref.Problem}
		if ref.File != "" {
			src.Data, err = f.ReadFile(ref.File, infile.KeyStore)
			var re *infile.Error
			switch {
			case errors.Is(err, fs.ErrNotExist):
				src.Problem = "the file does not exist"
			case errors.As(err, &re):
				src.Problem = re.Reason
			case err != nil:
				return nil, fmt.Errorf("read %s: %w", ref.File, err)
			}
		}
		s, err := inspect.Describe(src, f.Now())
		if errors.Is(err, inspect.ErrNotStore) {
			s.Note = fmt.Sprintf("not a %s store: %v", ref.Type, err)
		}
		out = append(out, s)
	}
	return out, nil
}

// inspectFile describes a store file given as PATH, of the type its first bytes say.
func inspectFile(f *Factory, path, password string) ([]inspect.Store, error) {
	data, err := f.ReadFile(path, infile.KeyStore)
	if err != nil {
		return nil, err
	}
	typ, ok := keystore.Sniff(data)
	if !ok {
		return nil, &usageError{fmt.Sprintf("%s is neither a JKS nor a PKCS#12 store; give a store file (.jks, .p12, .pfx), a bundle, a product directory of one, or a WSO2 home", path)}
	}
	src := inspect.Source{Target: path, Path: path, Type: typ, Data: data, Password: password}
	if password == "" {
		src.Problem = "give it with --password-file FILE or " + verify.PasswordVar
	}
	s, err := inspect.Describe(src, f.Now())
	if err != nil {
		return nil, &usageError{fmt.Sprintf("%s is not a %s store (%v); give a JKS or PKCS#12 store", path, typ, err)}
	}
	return []inspect.Store{s}, nil
}
