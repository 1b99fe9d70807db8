package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/deploytoml"
	"github.com/wso2ks/wso2ks/pkg/gen"
	"github.com/wso2ks/wso2ks/pkg/infile"
)

// MergeOptions are the inputs of `wso2ks merge`.
type MergeOptions struct {
	F          *Factory
	Snippet    string
	Deployment string
	DryRun     bool
	// ReplaceEncryptionKey lets the snippet's [encryption] key replace the
	// one DEPLOYMENT_TOML has.
	ReplaceEncryptionKey bool
}

// NewCmdMerge builds `wso2ks merge`; runF replaces mergeRun in tests.
func NewCmdMerge(f *Factory, runF func(*MergeOptions) error) *cobra.Command {
	opts := &MergeOptions{F: f}
	cmd := &cobra.Command{
		Use:   "merge SNIPPET DEPLOYMENT_TOML [--dry-run] [--replace-encryption-key]",
		Short: "Write a snippet's keystore tables into a deployment.toml",
		Long: `Replace the keystore tables of DEPLOYMENT_TOML — [keystore.*], [truststore],
[transport.http.listener.keystore] and [internal_api_ssl_config.*] — with those
of SNIPPET (a deployment.snippet.toml from wso2ks generate), and merge its
[encryption] and [secrets] key by key. Every other line, comment and blank line
stays as it is. The owned tables go where the first of the old ones stood (or
at the end), and [secrets] is kept last, as WSO2's cipher tool needs.

An [encryption] key DEPLOYMENT_TOML already has is kept: the product encrypts
internal data with it, and another key leaves that data unreadable. Replace it
with --replace-encryption-key once the data is re-encrypted (see docs/passwords-and-vault.md).

The result is checked before it replaces the file, atomically and with the
file's mode (0600, for the file and its backup, when it holds a password in
the clear); the original is kept beside it as DEPLOYMENT_TOML.wso2ks-backup
(.1, .2, … when that exists). Merging the same snippet again changes nothing.
--dry-run prints a unified diff instead, with every password, [encryption] key
and [secrets] value shown as "********".

Refused, with the line to fix and nothing written: a DEPLOYMENT_TOML whose
keys elsewhere would keep the server on another store than [keystore.tls]
(Tomcat's certificate under [transport.https.*], APIM's passthrough
key stores), a SNIPPET made for another product than DEPLOYMENT_TOML's
(its home's start script and pack name, or its tables), and a DEPLOYMENT_TOML
(or a backup's name) that is a symbolic link: give the file it names.`,
		Args: func(c *cobra.Command, args []string) error {
			if len(args) != 2 {
				return &usageError{fmt.Sprintf("%s takes SNIPPET and DEPLOYMENT_TOML, got %d arguments; see '%s --help'", c.CommandPath(), len(args), c.CommandPath())}
			}
			return nil
		},
		RunE: func(c *cobra.Command, args []string) error {
			opts.Snippet, opts.Deployment = args[0], args[1]
			if runF != nil {
				return runF(opts)
			}
			return mergeRun(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.DryRun, "dry-run", false, "print the changes as a unified diff (passwords masked) and write nothing")
	cmd.Flags().BoolVar(&opts.ReplaceEncryptionKey, "replace-encryption-key", false, "let the snippet's [encryption] key replace the one DEPLOYMENT_TOML has")
	return cmd
}

func mergeRun(opts *MergeOptions) error {
	f := opts.F
	snippet, err := readMergeInput(f.ReadFile, opts.Snippet, "check the SNIPPET path: wso2ks generate writes <env>/<product>/"+bundle.SnippetName)
	if err != nil {
		return err
	}
	// The snippet's first line names its product, when wso2ks wrote it.
	header, ours := bundle.ParseSnippetHeader(snippet)
	if err := checkMergeOrder(f, opts, ours); err != nil {
		return err
	}
	read := f.ReadFile
	var tr *tree
	if !opts.DryRun {
		// The directory as it is now, whatever becomes of its path.
		tr = openTree(filepath.Dir(opts.Deployment))
		defer tr.Close()
		read = tr.readFile
		if err := refuseFileLinks(opts.Deployment, "%s"); err != nil {
			return err
		}
		release, err := lockDeployment(f, tr, opts.Deployment)
		if err != nil {
			return err
		}
		defer release()
	}
	target, err := readMergeInput(read, opts.Deployment, "check the DEPLOYMENT_TOML path: repository/conf/deployment.toml (MI: conf/deployment.toml)")
	if err != nil {
		return err
	}
	if err := checkMergeHome(opts.Deployment, opts.Snippet, header, ours); err != nil {
		return err
	}
	r, err := deploytoml.MergeTables(target, snippet, deploytoml.MergeOptions{ReplaceEncryptionKey: opts.ReplaceEncryptionKey})
	if err != nil {
		var me *deploytoml.MergeError
		if errors.As(err, &me) {
			file := opts.Deployment
			if me.Which == "snippet" {
				file = opts.Snippet
			}
			return &gen.InputError{File: file, Line: me.Line, Column: me.Col, Msg: me.Msg}
		}
		return err
	}
	if !r.Changed {
		fmt.Fprintf(f.Stdout, "%s is up to date\n", opts.Deployment)
		for _, n := range r.Notes {
			fmt.Fprintf(f.Stdout, "note: %s\n", n)
		}
		return nil
	}
	if opts.DryRun {
		notes := r.Notes
		if st, err := os.Stat(opts.Deployment); err == nil {
			mode, backupMode := secretModes(target, r.Merged, st.Mode().Perm())
			for _, n := range modeNotes(opts.Deployment, st.Mode().Perm(), mode, backupMode) {
				notes = append(notes, "would "+n)
			}
		}
		for _, n := range notes {
			fmt.Fprintf(f.Stdout, "note: %s\n", n)
		}
		_, err := f.Stdout.Write(deploytoml.MergeDiff(opts.Deployment, target, r.Merged))
		return err
	}
	backup, modeNotes, err := replaceWithBackup(tr, opts.Deployment, target, r.Merged)
	if err != nil {
		return err
	}
	fmt.Fprintf(f.Stdout, "merged %s into %s; the original is in %s\n", opts.Snippet, opts.Deployment, backup)
	for _, n := range append(r.Notes, modeNotes...) {
		fmt.Fprintf(f.Stdout, "note: %s\n", n)
	}
	mergeNext(f.Stdout, opts, header, ours)
	return nil
}

// mergeNext says what follows a merge: the stores beside the snippet go
// into the home, which restarts; verify checks it. The snippet's first
// line (h, when ok) names its env/product, and the deployment.toml's path
// its home.
func mergeNext(w io.Writer, opts *MergeOptions, h bundle.SnippetHeader, ok bool) {
	if !ok {
		nextf(w, "restart the product that reads %s", opts.Deployment)
		return
	}
	ep := h.Env + "/" + h.Product
	home := "WSO2_HOME"
	if l, ok := deploytoml.LayoutOf(string(h.Kind)); ok {
		if dir, found := strings.CutSuffix(filepath.ToSlash(opts.Deployment), "/"+l.Deployment); found {
			home = filepath.FromSlash(dir)
		} else if filepath.ToSlash(opts.Deployment) == l.Deployment {
			home = "."
		}
	}
	nextf(w, "copy the stores of %s (beside %s) into %s unless they are there, then start or restart %s (one node at a time if it runs)",
		ep, opts.Snippet, home, ep)
	nextf(w, "wso2ks verify %s", home)
}

// readMergeInput reads one of merge's files with read; a file that is
// missing or unreadable is the user's mistake.
func readMergeInput(read func(string, infile.Kind) ([]byte, error), name, hint string) ([]byte, error) {
	data, err := read(name, infile.Deployment)
	switch {
	case err == nil:
		return data, nil
	case errors.Is(err, fs.ErrNotExist):
		return nil, &gen.InputError{File: name, Msg: "no such file; " + hint}
	case errors.Is(err, fs.ErrPermission):
		return nil, &gen.InputError{File: name, Msg: "permission denied; run as the file's owner or make it readable"}
	}
	if st, serr := os.Stat(name); serr == nil && st.IsDir() {
		return nil, &gen.InputError{File: name, Msg: "is a directory, not a file; " + hint}
	}
	var re *infile.Error
	if errors.As(err, &re) {
		return nil, &gen.InputError{Msg: re.Error()}
	}
	return nil, fmt.Errorf("read %s: %w", name, err)
}
