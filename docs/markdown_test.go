// The tests of this file keep README.md and the Markdown files of this
// directory honest — every relative link and #anchor resolves, every file
// here is linked from the README, and the README's two commands are the ones
// CI runs.
package docs

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// docFiles are the .md files of this directory.
func docFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("*.md")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no .md files in docs/")
	}
	return files
}

// markdownFiles are the documents whose links the tests check, relative to
// this directory: the README, bench/README.md and every .md file here.
func markdownFiles(t *testing.T) []string {
	t.Helper()
	return append([]string{filepath.Join("..", "README.md"), filepath.Join("..", "bench", "README.md")}, docFiles(t)...)
}

func readDoc(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// withoutFences is doc with each line of its fenced code blocks emptied, so
// that line numbers stay.
func withoutFences(doc string) string {
	lines := strings.Split(doc, "\n")
	fenced := false
	for i, line := range lines {
		if strings.HasPrefix(line, "```") {
			fenced = !fenced
			lines[i] = ""
		} else if fenced {
			lines[i] = ""
		}
	}
	return strings.Join(lines, "\n")
}

// prose is doc without code: no fenced blocks and no code spans, which may
// hold brackets and parentheses that are no link.
func prose(doc string) string {
	return codeSpan.ReplaceAllStringFunc(withoutFences(doc), func(s string) string {
		return strings.Repeat("\n", strings.Count(s, "\n"))
	})
}

var (
	codeSpan = regexp.MustCompile("`[^`]*`")
	heading  = regexp.MustCompile(`(?m)^#{1,6} +(.+?) *$`)
	link     = regexp.MustCompile(`\[[^\]]*\]\(([^()\s]*)\)`)
)

// anchors are the fragment identifiers GitHub gives doc's headings: lower
// case, punctuation other than '-' and '_' dropped, spaces as '-', and a
// second heading of the same text numbered -1, -2, ….
func anchors(doc string) map[string]bool {
	out := map[string]bool{}
	seen := map[string]int{}
	for _, m := range heading.FindAllStringSubmatch(withoutFences(doc), -1) {
		var b strings.Builder
		for _, r := range strings.ToLower(m[1]) {
			switch {
			case r == ' ':
				b.WriteByte('-')
			case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
				b.WriteRune(r)
			}
		}
		slug := b.String()
		if n := seen[slug]; n > 0 {
			seen[slug]++
			slug += "-" + strconv.Itoa(n)
		} else {
			seen[slug] = 1
		}
		out[slug] = true
	}
	return out
}

// links are the targets of doc's inline links, outside code.
func links(doc string) []string {
	var out []string
	for _, m := range link.FindAllStringSubmatch(prose(doc), -1) {
		out = append(out, m[1])
	}
	return out
}
