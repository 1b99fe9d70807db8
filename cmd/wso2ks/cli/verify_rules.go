package cli

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/wso2ks/wso2ks/pkg/verify"
)

// rulesWidth is the column at which 'verify --rules' wraps its text.
const rulesWidth = 80

// writeRules prints the rules verify checks, in report order, from the table the binary
// carries (verify.Rules, which docs/verify.md repeats): each ID, what it checks and the fix,
// wrapped for a terminal; with output json, an array of {"id", "explain", "fix"}.
func writeRules(w io.Writer, output string) error {
	if output == "json" {
		return writeJSON(w, verify.Rules)
	}
	for i, r := range verify.Rules {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintln(w, r.ID)
		writeWrapped(w, "  checks: ", r.Explain)
		writeWrapped(w, "  fix:    ", r.Fix)
	}
	return nil
}

// writeWrapped prints text after label, wrapped at rulesWidth, its lines indented under the
// first; a word longer than the line stands alone.
func writeWrapped(w io.Writer, label, text string) {
	indent := strings.Repeat(" ", len(label))
	line := label
	fresh := true // nothing after the label or indent yet
	for _, word := range strings.Fields(text) {
		if !fresh && utf8.RuneCountInString(line)+1+utf8.RuneCountInString(word) > rulesWidth {
			fmt.Fprintln(w, line)
			line, fresh = indent, true
		}
		if !fresh {
			line += " "
		}
		line += word
		fresh = false
	}
	fmt.Fprintln(w, line)
}
