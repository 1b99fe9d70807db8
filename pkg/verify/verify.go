// Package verify is the audit of bundles and homes: it reads a wso2ks bundle, one product
// directory of a bundle, or a WSO2 home the way the product would — deployment.toml with its
// defaults, placeholders resolved — opens every store it names and checks them against the
// recommended set (SPEC §1). Each check is a Rule with a stable ID; its outcome is a Finding.
//
// Verify never writes: all file access goes through the FS it is given, which only reads.
package verify

import (
	"crypto/x509"
	"fmt"
	"io/fs"
	"os"
	"time"

	"github.com/wso2ks/wso2ks/pkg/gen"
	"github.com/wso2ks/wso2ks/pkg/infile"
)

// Severity is the outcome of one rule on one store.
type Severity string

// Severities, from best to worst.
const (
	Pass Severity = "PASS"
	Warn Severity = "WARN"
	Fail Severity = "FAIL"
)

// Skip is a rule verify could not check, with what it needs to: not a failure (the exit
// status stays 0), and not a pass.
const Skip Severity = "SKIP"

// Finding is one rule's outcome for one store of one product. It never holds a password.
type Finding struct {
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	Target   string   `json:"target"`
	Product  string   `json:"product"`
	Store    string   `json:"store,omitempty"`
	Message  string   `json:"message"`
	Fix      string   `json:"fix,omitempty"`
	// Address is the HOST:PORT verify --connect connected to.
	Address string `json:"address,omitempty"`
}

// FS is the read-only file access Verify needs. ReadFile reads a file of
// kind k (OSFS: infile.Read, which refuses what is not a regular file and
// caps the size).
type FS interface {
	ReadFile(name string, k infile.Kind) ([]byte, error)
	Stat(name string) (fs.FileInfo, error)
}

type osFS struct{}

func (osFS) ReadFile(name string, k infile.Kind) ([]byte, error) { return infile.Read(name, k) }
func (osFS) Stat(name string) (fs.FileInfo, error)               { return os.Stat(name) }

// OSFS reads the real file system.
var OSFS FS = osFS{}

// DefaultExpiryWarn is how long before expiry cert-expiry warns.
const DefaultExpiryWarn = 30 * 24 * time.Hour

// Options is the world an audit sees.
type Options struct {
	FS     FS
	Getenv func(string) (string, bool)
	Now    time.Time
	// ExpiryWarn: certificates expiring sooner than this are a WARN.
	ExpiryWarn time.Duration
	// Password opens the store that decrypts $secret{…} values of a home (the
	// password WSO2 reads from password-tmp); empty when none was given.
	Password string
	// PasswordSource names where Password came from in findings ("--password-file FILE");
	// empty: "Options.Password".
	PasswordSource string
	// VaultPasswordHint says how to give the password of the vault's store of role when it is
	// missing; nil: verify's own flags.
	VaultPasswordHint func(role string) string
}

// Report is the outcome of an audit.
type Report struct {
	Findings []Finding `json:"findings"`
	Summary  Summary   `json:"summary"`
	// Products counts the findings of each product (Tally).
	Products []ProductSummary `json:"products"`
}

// Summary counts findings by severity.
type Summary struct {
	Pass int `json:"pass"`
	Warn int `json:"warn"`
	Fail int `json:"fail"`
	Skip int `json:"skip"`
}

// Failed reports whether any rule failed.
func (r *Report) Failed() bool { return r.Summary.Fail > 0 }

// Verify audits every path. A path that is neither a bundle, a product directory of one, nor
// a WSO2 home, or a file that cannot be read, is an error that matches gen.ErrInput.
func Verify(paths []string, o Options) (*Report, error) {
	if o.FS == nil {
		o.FS = OSFS
	}
	if o.Getenv == nil {
		o.Getenv = func(string) (string, bool) { return "", false }
	}
	var products []Product
	for _, p := range paths {
		ps, err := Discover(o.FS, p)
		if err != nil {
			return nil, err
		}
		products = append(products, ps...)
	}
	r := &Report{Findings: []Finding{}}
	var checked []*checker
	for _, p := range products {
		c := &checker{p: p, o: o, stores: map[string]*openStore{}, leaves: map[string]*x509.Certificate{}, homePasswords: true}
		if err := c.run(); err != nil {
			return nil, err
		}
		r.Findings = append(r.Findings, c.findings...)
		checked = append(checked, c)
	}
	r.Findings = append(r.Findings, compareInstances(checked)...)
	r.Tally()
	return r, nil
}

// inputError is unusable input: exit 2.
type inputError struct{ msg string }

func (e *inputError) Error() string        { return e.msg }
func (e *inputError) Is(target error) bool { return target == gen.ErrInput }

func badInput(format string, args ...any) error {
	return &inputError{fmt.Sprintf(format, args...)}
}
