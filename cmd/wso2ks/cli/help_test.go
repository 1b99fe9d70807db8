package cli

import (
	"strings"
	"testing"
)

// TestHelpTopics: 'wso2ks help NAME', 'wso2ks NAME' and 'wso2ks NAME --help'
// print the same document, exit 0 and write nothing on stderr; the root help
// lists the topics (help/root.txt). The topology topic is docs/topology.md
// rendered, so its golden (help/topology.txt, which TestHelpGoldens checks)
// follows the file with -update, and the rules topic is what 'verify
// --rules' prints.
func TestHelpTopics(t *testing.T) {
	for _, topic := range []string{"topology", "rules"} {
		t.Run(topic, func(t *testing.T) {
			r := run(t, false, "help", topic)
			if r.code != 0 || r.stderr != "" {
				t.Fatalf("%+v", r)
			}
			for _, args := range [][]string{{topic}, {topic, "--help"}} {
				if again := run(t, false, args...); again != r {
					t.Errorf("wso2ks %s: %+v, unlike 'wso2ks help %s'", strings.Join(args, " "), again, topic)
				}
			}
		})
	}
	rules := run(t, false, "verify", "--rules")
	if r := run(t, false, "help", "rules"); r.stdout != rules.stdout {
		t.Errorf("'help rules' is not what 'verify --rules' prints:\n%s", r.stdout)
	}
}

// TestHelpTopicsFitATerminal: the prose of a topic wraps at rulesWidth
// columns; only the lines of a code block, printed as they are, may be wider.
func TestHelpTopicsFitATerminal(t *testing.T) {
	for _, topic := range []string{"topology", "rules"} {
		r := run(t, false, "help", topic)
		for i, line := range strings.Split(r.stdout, "\n") {
			if n := len([]rune(line)); n > rulesWidth && !strings.HasPrefix(line, "    ") {
				t.Errorf("help %s, line %d: %d columns: %q", topic, i+1, n, line)
			}
		}
	}
}

func TestWriteMarkdown(t *testing.T) {
	for _, tc := range []struct{ name, md, want string }{
		{"heading and link", "## Limits\n\nSee [Speed](speed.md) and **100 products**.\n",
			"Limits\n======\n\nSee Speed and 100 products.\n"},
		{"paragraph rewrapped", "one\ntwo\n", "one two\n"},
		{"list items", "- a\n  b\n- c\n", "  - a b\n  - c\n"},
		{"code kept", "```toml\nkey = 1   # [x](y)\n```\n", "    key = 1   # [x](y)\n"},
		{"narrow table aligned", "| a | bb |\n|---|---|\n| ccc | `d` |\n",
			"  a    bb\n  ccc  `d`\n"},
		{"wide table as blocks", "| file | at most |\n|---|---|\n| " + strings.Repeat("x ", 40) + "| 1 MiB |\n",
			"  " + strings.TrimSpace(strings.Repeat("x ", 39)) + "\n  x\n      at most: 1 MiB\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			writeMarkdown(&b, tc.md)
			if b.String() != tc.want {
				t.Errorf("got\n%q\nwant\n%q", b.String(), tc.want)
			}
		})
	}
}
