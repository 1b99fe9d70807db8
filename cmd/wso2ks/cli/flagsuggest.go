package cli

import (
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/wso2ks/wso2ks/pkg/gen"
)

// flagSuggestion is " did you mean --NAME?" for pflag's "unknown flag:
// --NAME" when c has a flag of a close name, as cobra suggests commands;
// for an unknown -x, the one flag that begins with x; otherwise "".
func flagSuggestion(c *cobra.Command, err error) string {
	name, ok := strings.CutPrefix(err.Error(), "unknown flag: --")
	if !ok {
		return shorthandSuggestion(c, err.Error())
	}
	name, _, _ = strings.Cut(name, "=")
	var names []string
	visit := func(fl *pflag.Flag) {
		if !fl.Hidden {
			names = append(names, fl.Name)
		}
	}
	c.Flags().VisitAll(visit)
	c.InheritedFlags().VisitAll(visit)
	if near := gen.Closest(name, names); near != "" {
		return " did you mean --" + near + "?"
	}
	return ""
}
