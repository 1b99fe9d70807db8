package verify

import (
	"os"
	"strings"
	"testing"
)

// TestDocsListRules: the rule table of docs/verify.md is the rule table, row
// for row: every rule has its row, word for word, and every row is a rule.
func TestDocsListRules(t *testing.T) {
	const file = "../../docs/verify.md"
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	esc := strings.NewReplacer("|", `\|`)
	ids := map[string]bool{}
	for _, r := range Rules {
		ids[r.ID] = true
		row := "| `" + r.ID + "` | " + esc.Replace(r.Explain) + " | " + esc.Replace(r.Fix) + " |\n"
		if !strings.Contains(string(data), row) {
			t.Errorf("%s lacks the row\n%s", file, row)
		}
	}
	rows := 0
	for _, line := range strings.Split(string(data), "\n") {
		if id, ok := strings.CutPrefix(line, "| `"); ok {
			id, _, _ = strings.Cut(id, "`")
			rows++
			if !ids[id] {
				t.Errorf("%s has a row for %q, which is no rule", file, id)
			}
		}
	}
	if rows != len(Rules) {
		t.Errorf("%s has %d rule rows, want %d", file, rows, len(Rules))
	}
}
