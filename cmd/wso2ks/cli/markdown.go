package cli

import (
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode/utf8"
)

// writeMarkdown prints a document of docs/ for a terminal: headings
// underlined, paragraphs and list items rewrapped at rulesWidth without
// link targets or emphasis, code blocks as they are (indented), and tables
// as aligned columns, or as one block per row when the columns do not fit.
// It knows the Markdown docs/ uses, no more.
func writeMarkdown(w io.Writer, doc string) {
	lines := strings.Split(strings.TrimRight(doc, "\n"), "\n")
	var para []string // the lines of the paragraph or list item being read
	flush := func() {
		if len(para) == 0 {
			return
		}
		text := inline(strings.Join(para, " "))
		if item, ok := strings.CutPrefix(text, "- "); ok {
			writeWrapped(w, "  - ", item)
		} else {
			writeWrapped(w, "", text)
		}
		para = nil
	}
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		switch {
		case strings.HasPrefix(line, "```"):
			flush()
			for i++; i < len(lines) && !strings.HasPrefix(lines[i], "```"); i++ {
				fmt.Fprintln(w, strings.TrimRight("    "+lines[i], " "))
			}
		case strings.HasPrefix(line, "#"):
			flush()
			title := inline(strings.TrimLeft(line, "# "))
			fmt.Fprintln(w, title)
			fmt.Fprintln(w, strings.Repeat("=", utf8.RuneCountInString(title)))
		case strings.HasPrefix(line, "|"):
			flush()
			var rows []string
			for ; i < len(lines) && strings.HasPrefix(lines[i], "|"); i++ {
				rows = append(rows, lines[i])
			}
			i--
			writeTable(w, rows)
		case strings.TrimSpace(line) == "":
			flush()
			fmt.Fprintln(w)
		case strings.HasPrefix(line, "- "):
			flush()
			para = append(para, line)
		default:
			para = append(para, strings.TrimSpace(line))
		}
	}
	flush()
}

var (
	mdLink = regexp.MustCompile(`\[([^\]]*)\]\([^()\s]*\)`)
	mdBold = regexp.MustCompile(`\*\*([^*]+)\*\*`)
)

// inline drops what a terminal cannot show of a line: a link keeps its
// text, bold its words. Code spans keep their backticks, which say "type
// this" in plain text too.
func inline(s string) string {
	return mdBold.ReplaceAllString(mdLink.ReplaceAllString(s, "$1"), "$1")
}

// writeTable prints a Markdown table's rows (the header, the |---| line,
// the body) as columns padded to their widest cell when they fit in
// rulesWidth, else each body row as its first cell and, indented below it,
// "header: cell" for the others.
func writeTable(w io.Writer, rows []string) {
	var cells [][]string
	for _, row := range rows {
		row = strings.Trim(strings.TrimSpace(row), "|")
		if strings.Trim(row, "-| :") == "" {
			continue // the line under the header
		}
		var cs []string
		for c := range strings.SplitSeq(row, "|") {
			cs = append(cs, inline(strings.TrimSpace(c)))
		}
		cells = append(cells, cs)
	}
	widths := make([]int, len(cells[0]))
	for _, row := range cells {
		for j, c := range row {
			if j < len(widths) {
				widths[j] = max(widths[j], utf8.RuneCountInString(c))
			}
		}
	}
	total := 2 * len(widths)
	for _, n := range widths {
		total += n
	}
	if total <= rulesWidth {
		for _, row := range cells {
			line := " "
			for j, c := range row {
				line += " " + c + strings.Repeat(" ", widths[j]-utf8.RuneCountInString(c)+1)
			}
			fmt.Fprintln(w, strings.TrimRight(line, " "))
		}
		return
	}
	header := cells[0]
	for i, row := range cells[1:] {
		if i > 0 {
			fmt.Fprintln(w)
		}
		writeWrapped(w, "  ", row[0])
		for j := 1; j < len(row) && j < len(header); j++ {
			if row[j] != "" {
				writeWrapped(w, "      ", header[j]+": "+row[j])
			}
		}
	}
}
