package cli

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// TestREADMECommandTable: the README's command table and `wso2ks --help`
// name the same commands — every command and help topic of the binary has
// a row, and every row names one of them.
func TestREADMECommandTable(t *testing.T) {
	readme, err := os.ReadFile("../../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("(?m)^\\| `wso2ks (help )?([a-z0-9-]+)")
	inREADME := map[string]bool{}
	for _, m := range row.FindAllStringSubmatch(markdownSection(string(readme), "## Commands"), -1) {
		inREADME[m[2]] = true
	}
	var inBinary []string
	for _, c := range NewCmdRoot(&Factory{}).Commands() {
		if c.Hidden || c.Name() == "help" {
			continue
		}
		inBinary = append(inBinary, c.Name())
		if !inREADME[c.Name()] {
			t.Errorf("wso2ks --help lists %s, which the README's command table has no row for", c.Name())
		}
	}
	for name := range inREADME {
		if !slices.Contains(inBinary, name) {
			t.Errorf("the README's command table has a row for %s, which wso2ks --help does not list", name)
		}
	}
}

// TestREADMECommandFlags: the flags of the README's command table are the
// binary's. Every flag a row's command cell names is a visible flag of the
// command it is written after (`generate --k8s` in the k8s row is
// generate's), and every visible flag of every command but --help is named
// in backticks in that command's rows, in the command cell or the
// description. Everything comes from the cobra tree, so a renamed, removed
// or new flag fails until the README follows it.
func TestREADMECommandFlags(t *testing.T) {
	readme, err := os.ReadFile("../../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	root := NewCmdRoot(&Factory{})
	mentioned := map[*cobra.Command][]string{} // flag tokens by the command they are written after
	for _, line := range strings.Split(markdownSection(string(readme), "## Commands"), "\n") {
		cells := tableCells(line)
		if len(cells) != 2 || !strings.HasPrefix(cells[0], "`wso2ks ") {
			continue
		}
		own := spanCommand(root, codeSpans(cells[0])[0], root)
		for _, span := range codeSpans(cells[0]) {
			c := spanCommand(root, span, own)
			for _, token := range flagsIn(span) {
				if f := flagOf(c, token); f == nil || f.Hidden || f.Deprecated != "" ||
					!strings.HasPrefix(token, "--") && f.ShorthandDeprecated != "" {
					t.Errorf("README, row %s: %s is not a flag of %s", cells[0], token, c.CommandPath())
				}
				mentioned[c] = append(mentioned[c], token)
			}
		}
		for _, span := range codeSpans(cells[1]) {
			c := spanCommand(root, span, own)
			mentioned[c] = append(mentioned[c], flagsIn(span)...)
		}
	}
	for _, c := range visibleCommands(root)[1:] {
		names := map[string]bool{}
		for a := c; a != root; a = a.Parent() { // the completion row holds its shells' flags
			for _, token := range mentioned[a] {
				if f := flagOf(c, token); f != nil {
					names[f.Name] = true
				}
			}
		}
		c.LocalFlags().VisitAll(func(f *pflag.Flag) {
			if !f.Hidden && f.Deprecated == "" && f.Name != "help" && !names[f.Name] {
				t.Errorf("the README's command table never names --%s of %s; add it to that command's row", f.Name, c.CommandPath())
			}
		})
	}
}

// tableCells splits a Markdown table row into its cells, keeping \| inside
// a cell; nil for a line that is not a row.
func tableCells(line string) []string {
	if !strings.HasPrefix(line, "|") {
		return nil
	}
	var cells []string
	var cell strings.Builder
	for i := 1; i < len(line); i++ {
		switch {
		case line[i] == '\\' && i+1 < len(line) && line[i+1] == '|':
			cell.WriteByte('|')
			i++
		case line[i] == '|':
			cells = append(cells, strings.TrimSpace(cell.String()))
			cell.Reset()
		default:
			cell.WriteByte(line[i])
		}
	}
	return cells
}

// codeSpans lists the `code` spans of a cell.
func codeSpans(cell string) []string {
	var out []string
	for i, part := range strings.Split(cell, "`") {
		if i%2 == 1 {
			out = append(out, part)
		}
	}
	return out
}

// spanCommand is the command a code span is written after: "wso2ks X Y"
// or "X Y" with X (and Y) commands of the tree, the root for "wso2ks
// --version", or def.
func spanCommand(root *cobra.Command, span string, def *cobra.Command) *cobra.Command {
	words := strings.Fields(span)
	c, named := root, false
	if len(words) > 0 && words[0] == "wso2ks" {
		words, named = words[1:], true
	}
	for len(words) > 0 {
		sub, _, err := c.Find(words[:1])
		if err != nil || sub == c || sub.Name() != words[0] {
			break
		}
		c, words = sub, words[1:]
	}
	if c == root && !named {
		return def
	}
	return c
}
