package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// strictCompletion makes cobra's default completion command refuse a
// shell it has no script for ("completion tcsh"), which cobra would answer
// with the command's help and exit 0. Without a shell it still prints the
// help.
func strictCompletion(root *cobra.Command) {
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		if c.Name() != "completion" {
			continue
		}
		var shells []string
		for _, s := range c.Commands() {
			shells = append(shells, s.Name())
		}
		c.Args = cobra.ArbitraryArgs
		c.RunE = func(c *cobra.Command, args []string) error {
			if len(args) == 0 {
				return c.Help()
			}
			return &usageError{fmt.Sprintf("%s: unknown shell %q; use %s", c.CommandPath(), args[0], strings.Join(shells, ", "))}
		}
	}
}
