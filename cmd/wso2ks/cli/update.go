package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"github.com/wso2ks/wso2ks/pkg/emit"
	"github.com/wso2ks/wso2ks/pkg/gen"
	"github.com/wso2ks/wso2ks/pkg/lifecycle"
)

// checkUpdate refuses flags that do not go with --update, and makes the
// bundle directory the one --update names.
func checkUpdate(c *cobra.Command, opts *GenerateOptions) error {
	if opts.Update == "" {
		if opts.Prune {
			return &usageError{"--prune goes with --update DIR; drop it"}
		}
		return nil
	}
	switch {
	case opts.Topology == "":
		// The built-in topology would remove every store the bundle's own
		// topology planned: an update follows a file the user names.
		return &usageError{fmt.Sprintf("--update %s needs -f, the topology the bundle should follow; the built-in topology would replace every store of it", opts.Update)}
	case c.Flags().Changed("output-dir") && filepath.Clean(opts.Dir) != filepath.Clean(opts.Update):
		return &usageError{fmt.Sprintf("--update %s changes that bundle in place, but -o names %s; drop -o", opts.Update, opts.Dir)}
	case len(opts.Envs) > 0:
		return &usageError{"--update brings every environment of the topology up to date; drop --env"}
	case opts.K8s:
		return &usageError{"--update leaves DIR/k8s as it is; drop --k8s and run 'wso2ks k8s " + opts.Update + "' afterwards"}
	}
	opts.Dir = opts.Update
	return checkBundleDir(opts.Update, "--update %s")
}

// updateRun changes the bundle at opts.Update to match plan, writing
// nothing when every file already does.
func updateRun(opts *GenerateOptions, plan *gen.Plan) error {
	f := opts.F
	prior, err := lifecycle.ReadPrior(opts.Update)
	if err != nil {
		return err
	}
	r, err := lifecycle.Reconcile(plan, prior, f.Now())
	if err != nil {
		return err
	}
	losses := r.Losses()
	if len(losses) > 0 && !opts.Prune {
		return pruneError(opts, losses)
	}
	supplied, err := readPasswords(f, opts.Passwords, plan)
	if err != nil {
		return err
	}
	b, changed, err := lifecycle.Update(plan, r, emit.BuildOptions{Rand: f.Rand, Now: f.Now(), Passwords: supplied})
	if err != nil {
		return fmt.Errorf("update: %w", err)
	}
	if changed {
		if err := b.Write(opts.Update, true); err != nil {
			return fmt.Errorf("write %s: %w", opts.Update, err)
		}
	}
	if opts.Output == "json" {
		return writeJSON(f.Stdout, struct {
			Dir     string             `json:"dir"`
			Written bool               `json:"written"`
			Changes []lifecycle.Change `json:"changes"`
			Pruned  []lifecycle.Loss   `json:"pruned,omitempty"`
		}{opts.Update, changed, r.Changes, losses})
	}
	if !changed {
		fmt.Fprintf(f.Stdout, "nothing to update in %s: it already matches %s\n", opts.Update, plan.Topology)
		return nil
	}
	fmt.Fprintf(f.Stdout, "updated %s to match %s:\n", opts.Update, plan.Topology)
	if err := printChanges(f.Stdout, r.Changes); err != nil {
		return err
	}
	if len(losses) > 0 {
		fmt.Fprintf(f.Stdout, "pruned: %s\n", describeLosses(losses, "removed", "replaced"))
	}
	redeployNext(f.Stdout, opts.Update, changedProducts(r.Changes))
	return nil
}

// changedProducts is the env/product of each change, in order.
func changedProducts(changes []lifecycle.Change) []string {
	var out []string
	for _, c := range changes {
		if ep := c.Env + "/" + c.Product; c.Product != "" && c.Action != lifecycle.ActionKeep && !slices.Contains(out, ep) {
			out = append(out, ep)
		}
	}
	return out
}

// planAgainstRun prints what 'generate --update DIR' would change.
func planAgainstRun(opts *PlanOptions, plan *gen.Plan) error {
	prior, err := lifecycle.ReadPrior(opts.Against)
	if err != nil {
		return err
	}
	r, err := lifecycle.Reconcile(plan, prior, opts.F.Now())
	if err != nil {
		return err
	}
	losses := r.Losses()
	if opts.Output == "json" {
		return writeJSON(opts.F.Stdout, struct {
			Topology   string             `json:"topology"`
			Against    string             `json:"against"`
			Changes    []lifecycle.Change `json:"changes"`
			NeedsPrune []lifecycle.Loss   `json:"needs_prune,omitempty"`
		}{plan.Topology, opts.Against, r.Changes, losses})
	}
	fmt.Fprintf(opts.F.Stdout, "topology: %s\nagainst: %s\n", plan.Topology, opts.Against)
	if err := printChanges(opts.F.Stdout, r.Changes); err != nil {
		return err
	}
	if len(losses) > 0 {
		fmt.Fprintf(opts.F.Stdout, "note: generate --update needs --prune: it would %s\n", describeLosses(losses, "remove", "replace"))
	}
	return nil
}

// pruneError refuses an update that would lose what the bundle holds
// (lifecycle.Reconciliation.Losses: an environment, a product, a store, a CA, a primary or
// internal key) when --prune is not given; plan --against notes it.
func pruneError(opts *GenerateOptions, losses []lifecycle.Loss) error {
	return &usageError{fmt.Sprintf("generate --update %s would %s; nothing was written. Check with 'wso2ks plan -f %s --against %s', then pass --prune to go ahead",
		opts.Update, describeLosses(losses, "remove", "replace"), opts.Topology, opts.Update)}
}

// describeLosses says in one clause what losses remove and replace, with
// the verbs given: "remove prod (environment) and dev/mi (product), and
// replace the primary key of dev/iam".
func describeLosses(losses []lifecycle.Loss, remove, replace string) string {
	var removed, replaced []string
	for _, l := range losses {
		if l.Kind == lifecycle.LossKey {
			replaced = append(replaced, l.String())
		} else {
			removed = append(removed, l.String())
		}
	}
	var parts []string
	if len(removed) > 0 {
		parts = append(parts, remove+" "+andList(removed))
	}
	if len(replaced) > 0 {
		parts = append(parts, replace+" "+andList(replaced))
	}
	return strings.Join(parts, ", and ")
}

// printChanges lists changes as ACTION PATH DETAILS, one store a line; a
// product's encryption key, which lives in secrets.env, as ACTION
// "<env>/<product> encryption key" DETAILS.
func printChanges(w io.Writer, changes []lifecycle.Change) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, c := range changes {
		what := c.Path
		if c.Role == lifecycle.RoleEncryptionKey {
			what = c.Env + "/" + c.Product + " encryption key"
		}
		var details []string
		if c.Reason != "" {
			details = append(details, c.Reason)
		}
		var entries []string
		for _, a := range c.Added {
			entries = append(entries, "+"+a)
		}
		for _, a := range c.Removed {
			entries = append(entries, "-"+a)
		}
		for _, a := range c.Changed {
			entries = append(entries, "~"+a)
		}
		if len(entries) > 0 {
			details = append(details, "entries "+strings.Join(entries, " "))
		}
		if len(details) == 0 {
			fmt.Fprintf(tw, "  %s\t%s\n", c.Action, what)
			continue
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", c.Action, what, strings.Join(details, "; "))
	}
	return tw.Flush()
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
