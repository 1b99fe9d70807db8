package cli

import (
	"github.com/spf13/cobra"
	"github.com/wso2ks/wso2ks/docs"
)

// helpTopics are the additional help topics of 'wso2ks help': commands that
// run nothing and print a document, so that someone with only the binary
// can read the topology's keys and the rules verify checks. Each prints
// from the source the docs and the commands use themselves: docs/topology.md
// (embedded) and verify.Rules, printed as 'verify --rules' prints it.
func helpTopics() []*cobra.Command {
	return []*cobra.Command{
		helpTopic("topology", "Every key of a topology file, which setting wins, and the limits on input",
			func(c *cobra.Command) error { writeMarkdown(c.OutOrStdout(), docs.Topology); return nil }),
		helpTopic("rules", "The rules verify checks, and the fix for each",
			func(c *cobra.Command) error { return writeRules(c.OutOrStdout(), "text") }),
	}
}

// helpTopic is a command without Run, which cobra lists under "Additional
// help topics" and shows through its help function, for 'wso2ks help NAME',
// 'wso2ks NAME' and 'wso2ks NAME --help' alike.
func helpTopic(name, short string, write func(*cobra.Command) error) *cobra.Command {
	c := &cobra.Command{Use: name, Short: short}
	c.SetHelpFunc(func(c *cobra.Command, _ []string) {
		// cobra's help function returns nothing; an error writing to
		// stdout is one no help could report.
		_ = write(c)
	})
	return c
}
