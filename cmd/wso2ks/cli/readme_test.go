package cli

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/internal/testkit"
)

// TestREADMEWorkedExample runs the README's worked example as it is written:
// every ./wso2ks command of its first sh block, in a directory that holds
// examples/ and an unpacked IS 7.1.0 pack named wso2is-7.1.0, must succeed,
// and generate must print what the README shows it printing.
func TestREADMEWorkedExample(t *testing.T) {
	readme, err := os.ReadFile("../../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	example, err := os.ReadFile("../../../examples/single-node.toml")
	if err != nil {
		t.Fatal(err)
	}
	blocks := fencedBlocks(markdownSection(string(readme), "## A worked example"))
	if len(blocks) != 2 || blocks[0].info != "sh" || blocks[1].info != "" {
		t.Fatalf("the README's worked example has %d code blocks; want an sh block of commands, then generate's output", len(blocks))
	}
	var commands [][]string
	for _, line := range strings.Split(blocks[0].text, "\n") {
		line, _, _ = strings.Cut(line, "#")
		if args, ok := strings.CutPrefix(strings.TrimSpace(line), "./wso2ks "); ok {
			commands = append(commands, strings.Fields(args))
		}
	}
	if len(commands) < 4 {
		t.Fatalf("the worked example runs %d wso2ks commands, want plan, generate, verify and install", len(commands))
	}

	dir := t.TempDir()
	fakeHome(t, dir, "wso2is-7.1.0", "wso2is") // reads its fixture relative to this package
	t.Chdir(dir)
	if err := os.Mkdir("examples", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("examples", "single-node.toml"), example, 0o644); err != nil {
		t.Fatal(err)
	}

	generated := false
	for _, args := range commands {
		r := run(t, false, args...)
		if r.code != 0 {
			t.Fatalf("wso2ks %s: exit %d, stderr %q", strings.Join(args, " "), r.code, r.stderr)
		}
		if args[0] == "generate" {
			generated = true
			if r.stdout != blocks[1].text {
				t.Errorf("wso2ks %s printed what the README does not show:\n%s", strings.Join(args, " "), testkit.Diff(blocks[1].text, r.stdout))
			}
		}
	}
	if !generated {
		t.Error("the worked example runs no generate")
	}
}

// TestREADMETwoCommands: the README's "Two commands" are the ones newcomers
// and CI run, word for word, and .ci/run runs that test command.
func TestREADMETwoCommands(t *testing.T) {
	readme, err := os.ReadFile("../../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := fencedBlocks(markdownSection(string(readme), "## Two commands"))
	if len(blocks) == 0 || blocks[0].info != "sh" {
		t.Fatal("the README's Two commands section has no sh block")
	}
	var commands []string
	for _, line := range strings.Split(strings.TrimSuffix(blocks[0].text, "\n"), "\n") {
		line, _, _ = strings.Cut(line, "#")
		commands = append(commands, strings.TrimSpace(line))
	}
	want := []string{"go run ./cmd/wso2ks generate", "go test -count=1 ./..."}
	if !slices.Equal(commands, want) {
		t.Errorf("the README's two commands are %q, want %q", commands, want)
	}
	ci, err := os.ReadFile("../../../.ci/run")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(strings.Split(string(ci), "\n"), want[1]) {
		t.Errorf(".ci/run has no line %q: CI must run the README's test command", want[1])
	}
}

// markdownSection is the text below heading up to the next heading of the
// same or a higher level, outside code blocks; "" when there is no such
// heading.
func markdownSection(doc, heading string) string {
	level := strings.Index(heading, " ")
	var b strings.Builder
	in, fenced := false, false
	for _, line := range strings.SplitAfter(doc, "\n") {
		text := strings.TrimSuffix(line, "\n")
		if strings.HasPrefix(text, "```") {
			fenced = !fenced
		}
		if !fenced {
			if text == heading {
				in = true
				continue
			}
			if n := len(text) - len(strings.TrimLeft(text, "#")); in && n > 0 && n <= level && strings.HasPrefix(text[n:], " ") {
				break
			}
		}
		if in {
			b.WriteString(line)
		}
	}
	return b.String()
}

// fencedBlock is a ``` block of Markdown: its info string and its lines,
// each ending in a newline.
type fencedBlock struct{ info, text string }

func fencedBlocks(doc string) []fencedBlock {
	var blocks []fencedBlock
	var cur *fencedBlock
	for _, line := range strings.SplitAfter(doc, "\n") {
		switch fence, ok := strings.CutPrefix(strings.TrimSuffix(line, "\n"), "```"); {
		case ok && cur == nil:
			cur = &fencedBlock{info: fence}
		case ok:
			blocks = append(blocks, *cur)
			cur = nil
		case cur != nil:
			cur.text += line
		}
	}
	return blocks
}
