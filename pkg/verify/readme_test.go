package verify

import (
	"os"
	"strings"
	"testing"
)

// TestREADMEListsRules: the README's rule table is the rule table, row for row.
func TestREADMEListsRules(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	esc := strings.NewReplacer("|", `\|`)
	for _, r := range Rules {
		row := "| `" + r.ID + "` | " + esc.Replace(r.Explain) + " | " + esc.Replace(r.Fix) + " |\n"
		if !strings.Contains(string(data), row) {
			t.Errorf("README.md lacks the row\n%s", row)
		}
	}
}
