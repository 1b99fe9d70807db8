package cli

import (
	"fmt"
	"strings"

	"github.com/wso2ks/wso2ks/pkg/emit"
)

// An update that loses something the bundle holds (emit.Losses: an
// environment, a product, a store, a CA, a primary or internal key) needs
// --prune: without it, generate --update refuses and writes nothing, and
// plan --against says that it will.

// pruneError is the refusal of an update that would lose losses.
func pruneError(opts *GenerateOptions, losses []emit.Loss) error {
	return &usageError{fmt.Sprintf("generate --update %s would %s; nothing was written. Check with 'wso2ks plan -f %s --against %s', then pass --prune to go ahead",
		opts.Update, describeLosses(losses, "remove", "replace"), opts.Topology, opts.Update)}
}

// describeLosses says in one clause what losses remove and replace, with
// the verbs given: "remove prod (environment) and dev/mi (product), and
// replace the primary key of dev/iam".
func describeLosses(losses []emit.Loss, remove, replace string) string {
	var removed, replaced []string
	for _, l := range losses {
		if l.Kind == emit.LossKey {
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

// andList joins "a", "b", "c" as "a, b and c".
func andList(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
