package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// visibleCommands is every command of root's tree that 'wso2ks --help'
// and its subcommands' help list, root first.
func visibleCommands(root *cobra.Command) []*cobra.Command {
	var out []*cobra.Command
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		out = append(out, c)
		for _, sub := range c.Commands() {
			if !sub.Hidden && sub.Name() != "help" {
				walk(sub)
			}
		}
	}
	walk(root)
	return out
}

// commandPath is c's path below the root: "" for the root, "completion bash".
func commandPath(c *cobra.Command) string {
	return strings.TrimPrefix(strings.TrimPrefix(c.CommandPath(), "wso2ks"), " ")
}

// TestHelpGoldens: 'wso2ks PATH --help' of every visible command exits 0,
// writes nothing on stderr and prints testdata/help/PATH.txt (spaces as
// dashes; root.txt for 'wso2ks --help'). A command without a golden fails
// until 'go test -update' writes one, and so does a golden that no command
// prints any more.
func TestHelpGoldens(t *testing.T) {
	want := map[string]bool{}
	for _, c := range visibleCommands(NewCmdRoot(&Factory{})) {
		path := commandPath(c)
		name := strings.ReplaceAll(path, " ", "-")
		if name == "" {
			name = "root"
		}
		want[name+".txt"] = true
		t.Run(name, func(t *testing.T) {
			r := run(t, false, append(strings.Fields(path), "--help")...)
			if r.code != 0 || r.stderr != "" {
				t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
			}
			golden(t, filepath.Join("help", name+".txt"), r.stdout)
			checkHelpWidth(t, r.stdout)
			checkUseFlags(t, c)
		})
	}
	files, err := os.ReadDir(filepath.Join(testdata, "help"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if !want[f.Name()] {
			t.Errorf("testdata/help/%s is the help of no command; remove it", f.Name())
		}
	}
}

// checkHelpWidth: no line of the Usage and Flags sections of help is wider
// than helpWidth. The sections run from their heading to the next blank
// line.
func checkHelpWidth(t *testing.T, help string) {
	t.Helper()
	in := false
	for i, line := range strings.Split(help, "\n") {
		switch {
		case line == "Usage:" || line == "Flags:" || line == "Global Flags:":
			in = true
		case line == "":
			in = false
		case in && len([]rune(line)) > helpWidth:
			t.Errorf("line %d: %d columns, more than %d: %q", i+1, len([]rune(line)), helpWidth, line)
		}
	}
}

// checkUseFlags: every flag c's usage line names is a flag of c.
func checkUseFlags(t *testing.T, c *cobra.Command) {
	t.Helper()
	for _, token := range flagsIn(c.Use) {
		if flagOf(c, token) == nil {
			t.Errorf("the usage line %q names %s, which %s has no flag for", c.Use, token, c.CommandPath())
		}
	}
}
