package cli

import (
	"os"
	"regexp"
	"slices"
	"testing"
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
