// Package cli implements the wso2ks command line: one options struct and
// one run function per command, with the world (streams, clock, random
// source, files) injected through a Factory.
package cli

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/gen"
	"github.com/wso2ks/wso2ks/pkg/infile"
	"github.com/wso2ks/wso2ks/pkg/lifecycle"
	"github.com/wso2ks/wso2ks/pkg/lock"
	"github.com/wso2ks/wso2ks/pkg/verify"
)

// Exit codes (SPEC §2).
const (
	ExitOK       = 0
	ExitVerify   = 1
	ExitInput    = 2
	ExitInternal = 3
)

// Factory is the world a command sees.
type Factory struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// StderrIsTerminal turns on progress output.
	StderrIsTerminal bool
	Now              func() time.Time
	Rand             io.Reader
	// ReadFile reads a file the user names, of kind k: infile.Read, which
	// refuses what is not a regular file and caps the size.
	ReadFile func(name string, k infile.Kind) ([]byte, error)
	// Getenv looks up the environment variables a topology names for
	// passwords.
	Getenv func(string) (string, bool)
	// LockWait is how long a command waits for another wso2ks that is
	// changing the same target (lock.DefaultWait when zero).
	LockWait time.Duration
	// Dial opens the connections of verify --connect (net.Dialer when nil);
	// tests map host names to loopback servers.
	Dial verify.DialFunc
	// BuildInfo reads the binary's build information for `wso2ks version`
	// (debug.ReadBuildInfo when nil); tests give go install's, go build's.
	BuildInfo func() (*debug.BuildInfo, bool)
	// command is the command line Run runs, by which a lock names its
	// holder.
	command string
	// notes are printed on stderr after a command that did not fail
	// (noteOld).
	notes []string
}

// errUsage marks a usage mistake (bad flag, wrong arguments): exit 2.
var errUsage = errors.New("usage")

type usageError struct{ msg string }

func (e *usageError) Error() string        { return e.msg }
func (e *usageError) Is(target error) bool { return target == errUsage }

// Main runs wso2ks with args and returns the process exit code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	f := &Factory{
		Stdin: stdin, Stdout: stdout, Stderr: stderr,
		StderrIsTerminal: isTerminal(stderr),
		Now:              time.Now,
		Rand:             rand.Reader,
		ReadFile:         infile.Read,
		Getenv:           os.LookupEnv,
	}
	return Run(f, args)
}

// Run executes args with f and maps the outcome to an exit code, printing
// any error as one line on stderr.
func Run(f *Factory, args []string) int {
	f.command = commandLine(args)
	root := NewCmdRoot(f)
	root.SetArgs(args)
	err := root.Execute()
	if code := exitCode(err); code == ExitOK || code == ExitVerify {
		for _, n := range f.notes {
			fmt.Fprintln(f.Stderr, n)
		}
	}
	if err == nil {
		return ExitOK
	}
	if msg := err.Error(); strings.HasPrefix(msg, "unknown command ") {
		// cobra's own error, with its suggestion on later lines.
		line, rest, _ := strings.Cut(msg, "\n")
		hint := "see 'wso2ks --help'"
		if _, s, ok := strings.Cut(rest, "Did you mean this?\n"); ok {
			hint = "did you mean '" + strings.TrimSpace(strings.SplitN(s, "\n", 2)[0]) + "'? " + hint
		}
		err = &usageError{line + "; " + hint}
	}
	fmt.Fprintln(f.Stderr, oneLine(errorText(err)))
	return exitCode(err)
}

func exitCode(err error) int {
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, errVerifyFailed), errors.Is(err, errExpiring):
		return ExitVerify
	case errors.Is(err, gen.ErrInput), errors.Is(err, errUsage), errors.Is(err, bundle.ErrExists), errors.Is(err, bundle.ErrNotDir),
		errors.Is(err, bundle.ErrBundle), errors.Is(err, lifecycle.ErrCannotRenew), errors.Is(err, infile.ErrRefused), errors.Is(err, lock.ErrBusy):
		return ExitInput
	default:
		return ExitInternal
	}
}

// errorText prints a topology mistake as a compiler would (it starts with
// the file), anything else after the program's name.
func errorText(err error) string {
	var ie *gen.InputError
	if errors.As(err, &ie) && ie.File != "" {
		return err.Error()
	}
	// Messages that name the command ("wso2ks merge takes ...") get the
	// program's name once.
	msg := strings.TrimPrefix(strings.TrimPrefix(err.Error(), "wso2ks: "), "wso2ks ")
	return "wso2ks: " + msg
}

// oneLine keeps an error to the one line SPEC §2 promises.
func oneLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// NewCmdRoot builds the command tree.
func NewCmdRoot(f *Factory) *cobra.Command {
	root := &cobra.Command{
		Use:   "wso2ks",
		Short: "Plan and generate the keystores a WSO2 deployment should run with",
		Long: `wso2ks reads a topology (products, versions, hostnames, instances,
environments) and writes the recommended keystores for each WSO2 product in
each environment — primary, internal, tls, optional WS-Security, and a client
truststore — in JKS or PKCS#12, with the deployment.toml tables that use them.`,
		SilenceErrors: true,
		SilenceUsage:  true,
		Version:       readVersion(f).text(),
	}
	root.SetVersionTemplate("{{.Version}}")
	root.SetUsageTemplate(usageTemplate)
	// Defined here so that cobra does not take -v, which means verbose elsewhere.
	root.Flags().Bool("version", false, "print the version, commit and build date (as 'wso2ks version')")
	root.SetIn(f.Stdin)
	root.SetOut(f.Stdout)
	root.SetErr(f.Stderr)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &usageError{fmt.Sprintf("%s: %s;%s see '%s --help'", c.CommandPath(), flagError(err), flagSuggestion(c, err), c.CommandPath())}
	})
	root.AddCommand(
		NewCmdGenerate(f, nil),
		NewCmdPlan(f, nil),
		NewCmdInit(f, nil),
		NewCmdMerge(f, nil),
		NewCmdK8s(f, nil),
		NewCmdInstall(f, nil),
		NewCmdVerify(f, nil),
		NewCmdInspect(f, nil),
		NewCmdRenew(f, nil),
		NewCmdCSR(f, nil),
		NewCmdImportCert(f, nil),
		NewCmdRotate(f, nil),
		NewCmdVersion(f),
	)
	root.AddCommand(helpTopics()...)
	strictCompletion(root)
	registerCompletions(root, f)
	return root
}

// flagError words pflag's error for a value that does not parse without
// Go's strconv text: `invalid argument "x" for "--n" flag: not a whole
// number`.
func flagError(err error) string {
	msg := err.Error()
	i := strings.Index(msg, ": strconv.")
	if i < 0 {
		return msg
	}
	why := "not a whole number"
	switch {
	case strings.HasSuffix(msg, "value out of range"):
		why = "out of range"
	case strings.Contains(msg, "strconv.ParseBool"):
		why = "neither true nor false"
	}
	return msg[:i] + ": " + why
}

// oneBundleDir accepts exactly one argument, the bundle DIR of a command
// that changes or reads a bundle in place; otherwise a usage error.
func oneBundleDir(c *cobra.Command, args []string) error {
	if len(args) != 1 {
		return &usageError{fmt.Sprintf("%s needs exactly one DIR, the bundle 'wso2ks generate' wrote; see '%s --help'", c.CommandPath(), c.CommandPath())}
	}
	return nil
}

// noArgs is cobra.NoArgs with an error that maps to exit 2.
// needPaths refuses a command line without a PATH (verify, inspect).
func needPaths(c *cobra.Command, args []string) error {
	if len(args) == 0 {
		return &usageError{fmt.Sprintf("%s needs at least one PATH; see '%s --help'", c.CommandPath(), c.CommandPath())}
	}
	return nil
}

func noArgs(c *cobra.Command, args []string) error {
	if len(args) > 0 {
		return &usageError{fmt.Sprintf("%s takes no arguments, got %q; see '%s --help'", c.CommandPath(), args[0], c.CommandPath())}
	}
	return nil
}
