package deploytoml

import (
	"reflect"
	"strings"
	"testing"
)

// edgeSnippet is a small snippet: a header comment merge does not copy, and
// two owned tables with a comment attached to the second.
const edgeSnippet = `# wso2ks: header comment, not copied.

[keystore.primary]
file_name = "primary.jks"
password = "new"

# attached to truststore
[truststore]
file_name = "ts.jks"
password = "new-ts"
`

// edgeBlock is what merge inserts for edgeSnippet.
const edgeBlock = `[keystore.primary]
file_name = "primary.jks"
password = "new"

# attached to truststore
[truststore]
file_name = "ts.jks"
password = "new-ts"
`

const secretsSnippet = `[keystore.primary]
password = "$secret{p}"

# Keep last.
[secrets]
p = "NEW"
q = "ADDED"
`

func TestMergeEdgeCases(t *testing.T) {
	tests := []struct {
		name, deployment, snippet, want string
		notes                           []string
	}{
		{name: "empty file", deployment: "", want: edgeBlock},
		{name: "no owned table: appended after a blank line",
			deployment: "[server]\nhostname = \"a\"\n",
			want:       "[server]\nhostname = \"a\"\n\n" + edgeBlock},
		{name: "no owned table, no final newline",
			deployment: "[server]\nhostname = \"a\"",
			want:       "[server]\nhostname = \"a\"\n\n" + edgeBlock},
		{name: "no owned table, ends with a blank line",
			deployment: "[server]\nhostname = \"a\"\n\n",
			want:       "[server]\nhostname = \"a\"\n\n" + edgeBlock},
		{name: "only comments",
			deployment: "# nothing yet\n",
			want:       "# nothing yet\n\n" + edgeBlock},
		{name: "scattered owned tables: the first place gets them",
			deployment: "[keystore.primary]\nfile_name = \"old\"\n\n[server]\nx = 1\n\n[truststore]\nfile_name = \"old\"\n\n[other]\ny = 2\n",
			want:       edgeBlock + "\n[server]\nx = 1\n\n[other]\ny = 2\n"},
		{name: "scattered, the second at the end",
			deployment: "[keystore.tls]\na = 1\n\n[server]\nx = 1\n\n[truststore]\nb = 2\n\n",
			want:       edgeBlock + "\n[server]\nx = 1\n"},
		{name: "comment attribution",
			deployment: "# about server\n[server]\nx = 1\n\n# about the primary store\n[keystore.primary]\n# inside\nfile_name = \"old\"\n# trailing in primary\n\n# between owned tables\n\n[keystore.internal]\na = 1\n# after internal\n\n[z]\n",
			want:       "# about server\n[server]\nx = 1\n\n" + edgeBlock + "# after internal\n\n[z]\n"},
		{name: "a comment directly above the next table stays with it",
			deployment: "[truststore]\nfile_name = \"old\"\n# about z\n[z]\n",
			want:       edgeBlock + "# about z\n[z]\n"},
		{name: "owned table last, no final newline",
			deployment: "[server]\nx = 1\n\n[truststore]\nfile_name = \"old\"",
			want:       "[server]\nx = 1\n\n" + edgeBlock},
		{name: "CRLF stays CRLF",
			deployment: "[server]\r\nx = 1\r\n\r\n[truststore]\r\nb = 2\r\n\r\n# end\r\n",
			want:       "[server]\r\nx = 1\r\n\r\n" + strings.ReplaceAll(edgeBlock, "\n", "\r\n") + "\r\n# end\r\n"},
		{name: "CRLF append",
			deployment: "[server]\r\nx = 1",
			want:       "[server]\r\nx = 1\r\n\r\n" + strings.ReplaceAll(edgeBlock, "\n", "\r\n")},
		{name: "array tables and sub-tables are owned",
			deployment: "[[keystore.custom]]\na = 1\n\n[[keystore.custom]]\na = 2\n\n[keystore.mapping.ws_trust]\nk = \"x\"\n[keystore.primary.extra]\nz = 1\n",
			want:       edgeBlock},
		{name: "an empty [keystore] header stays",
			deployment: "[keystore]\n\n[keystore.primary]\nfile_name = \"x\"\n",
			want:       "[keystore]\n\n" + edgeBlock},
		{name: "headers spelled loosely",
			deployment: "  [ \"keystore\" . primary ]  # old\nfile_name = \"x\"\n[ truststore ]\n",
			want:       edgeBlock},
		{name: "a header inside a multi-line string is text",
			deployment: "[server]\nmotd = \"\"\"\n[keystore.primary]\n# not a comment\n\"\"\"\n",
			want:       "[server]\nmotd = \"\"\"\n[keystore.primary]\n# not a comment\n\"\"\"\n\n" + edgeBlock},
		{name: "dotted keys below a non-owned part of transport",
			deployment: "[transport.http]\nlistener.port = 8290\nsocket_timeout = 1\n",
			snippet:    "[transport.http.listener.keystore]\nlocation = \"tls.jks\"\n",
			want:       "[transport.http]\nlistener.port = 8290\nsocket_timeout = 1\n\n[transport.http.listener.keystore]\nlocation = \"tls.jks\"\n"},
		{name: "secrets: new table at the end",
			deployment: "[server]\nx = 1\n", snippet: secretsSnippet,
			want: "[server]\nx = 1\n\n[keystore.primary]\npassword = \"$secret{p}\"\n\n# Keep last.\n[secrets]\np = \"NEW\"\nq = \"ADDED\"\n"},
		{name: "secrets: last, merged key by key in place",
			deployment: "[server]\nx = 1\n\n[keystore.primary]\npassword = \"old\"\n\n# ciphertexts\n[secrets]\nadmin = \"A\"\np = 'OLD' # kept comment\n", snippet: secretsSnippet,
			want: "[server]\nx = 1\n\n[keystore.primary]\npassword = \"$secret{p}\"\n\n# ciphertexts\n[secrets]\nadmin = \"A\"\np = \"NEW\" # kept comment\nq = \"ADDED\"\n"},
		{name: "secrets: not last, moved to the end",
			deployment: "[secrets]\nadmin = \"A\"\n\n[server]\nx = 1\n", snippet: secretsSnippet,
			want:  "[server]\nx = 1\n\n[keystore.primary]\npassword = \"$secret{p}\"\n\n[secrets]\nadmin = \"A\"\np = \"NEW\"\nq = \"ADDED\"\n",
			notes: []string{noteSecretsMoved}},
		{name: "secrets: last, owned tables inserted before it",
			deployment: "[server]\nx = 1\n[secrets]\nadmin = \"A\"", snippet: secretsSnippet,
			want: "[server]\nx = 1\n\n[keystore.primary]\npassword = \"$secret{p}\"\n\n[secrets]\nadmin = \"A\"\np = \"NEW\"\nq = \"ADDED\"\n"},
		{name: "secrets: last and untouched, no final newline kept",
			deployment: "[truststore]\nfile_name = \"old\"\n\n[secrets]\nadmin = \"A\"",
			want:       edgeBlock + "\n[secrets]\nadmin = \"A\""},
		{name: "secrets: moved by a snippet without secrets",
			deployment: "[a]\nx = 1\n\n[secrets]\nk = \"v\"\n\n[b]\ny = 2\n",
			want:       "[a]\nx = 1\n\n[b]\ny = 2\n\n" + edgeBlock + "\n[secrets]\nk = \"v\"\n",
			notes:      []string{noteSecretsMoved}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			snippet := tt.snippet
			if snippet == "" {
				snippet = edgeSnippet
			}
			r, err := MergeTables([]byte(tt.deployment), []byte(snippet), MergeOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if string(r.Merged) != tt.want {
				t.Errorf("merged:\n%q\nwant:\n%q", r.Merged, tt.want)
			}
			if r.Changed != (tt.want != tt.deployment) {
				t.Errorf("changed = %v", r.Changed)
			}
			if !reflect.DeepEqual(r.Notes, tt.notes) {
				t.Errorf("notes %q, want %q", r.Notes, tt.notes)
			}
			checkMerge(t, []byte(tt.deployment), []byte(snippet))
		})
	}
}
