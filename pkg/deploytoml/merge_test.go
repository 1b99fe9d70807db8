package deploytoml

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/internal/testkit"
	"github.com/wso2ks/wso2ks/pkg/emit"
)

// mergeCases pairs the deployment.toml fixtures (written to look like the
// files IS 7.1, APIM 4.5 and MI 4.4 ship) with snippets of their family.
var mergeCases = []struct{ deployment, snippet string }{
	{"merge/is71.toml", "snippets/plain-is71.toml"},
	{"merge/is71.toml", "snippets/env-is71.toml"},
	{"merge/is71.toml", "snippets/plain-is70.toml"},
	{"merge/is71.toml", "merge/cipher-is71.toml"},
	{"merge/is71.toml", "snippets/vault-is71.toml"},
	{"merge/is71-secrets.toml", "merge/cipher-is71.toml"},
	{"merge/is71-secrets.toml", "snippets/vault-is71.toml"},
	{"merge/is71-secrets.toml", "snippets/plain-is71.toml"},
	{"merge/apim45.toml", "snippets/plain-apim.toml"},
	{"merge/apim45.toml", "snippets/env-apim.toml"},
	{"merge/apim45.toml", "snippets/vault-apim.toml"},
	{"merge/mi44.toml", "snippets/plain-mi44.toml"},
	{"merge/mi44.toml", "snippets/env-mi44.toml"},
	{"merge/mi44.toml", "snippets/plain-mi41.toml"},
	{"merge/mi44.toml", "snippets/vault-mi44.toml"},
	{"merge/mi44.toml", "snippets/vault-mi41.toml"},
}

// emitSnippets holds the snippets emit's golden test pins: merge is tested
// on exactly what generate writes.
const emitSnippets = "../emit/testdata/snippets"

// testdataPath is where the merge inputs name are: snippets/… are emit's
// goldens, merge/… this package's fixtures.
func testdataPath(name string) string {
	if rest, ok := strings.CutPrefix(name, "snippets/"); ok {
		return filepath.Join(emitSnippets, rest)
	}
	return filepath.Join("testdata", name)
}

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	return testkit.ReadFile(t, testdataPath(name))
}

func caseName(deployment, snippet string) string {
	base := func(s string) string { return strings.TrimSuffix(filepath.Base(s), ".toml") }
	return base(deployment) + "+" + base(snippet)
}

func TestMergeFixtures(t *testing.T) {
	for _, tt := range mergeCases {
		name := caseName(tt.deployment, tt.snippet)
		t.Run(name, func(t *testing.T) {
			orig, snippet := readTestdata(t, tt.deployment), readTestdata(t, tt.snippet)
			merged := checkMerge(t, orig, snippet)
			testkit.Golden(t, filepath.Join("testdata", "merge", "out", name+".toml"), merged)
		})
	}
}

// TestMergeLineEndings: a CRLF file stays CRLF, and the merge of a file
// without its final newline is the merge of the file with it, less that
// newline, when the file ends outside the owned tables.
func TestMergeLineEndings(t *testing.T) {
	for _, tt := range mergeCases {
		t.Run(caseName(tt.deployment, tt.snippet), func(t *testing.T) {
			orig, snippet := readTestdata(t, tt.deployment), readTestdata(t, tt.snippet)
			lf, _, err := merge(orig, snippet)
			if err != nil {
				t.Fatal(err)
			}
			crlf := checkMerge(t, toCRLF(orig), snippet)
			if want := toCRLF(lf); !bytes.Equal(crlf, want) {
				t.Errorf("CRLF merge is not the CRLF form of the LF merge:\n%s", testkit.Diff(string(want), string(crlf)))
			}
			if bytes.Contains(bytes.ReplaceAll(crlf, []byte("\r\n"), nil), []byte("\n")) {
				t.Error("the CRLF merge has a bare LF line ending")
			}
			trimmed := bytes.TrimSuffix(orig, []byte("\n"))
			got := checkMerge(t, trimmed, snippet)
			// Unless the merge appended after it, the last line keeps
			// lacking its newline.
			want := lf
			lastLine := orig[bytes.LastIndexByte(trimmed, '\n')+1:]
			if !bytes.Equal(trimmed, orig) && bytes.HasSuffix(lf, lastLine) {
				want = bytes.TrimSuffix(lf, []byte("\n"))
			}
			if !bytes.Equal(got, want) {
				t.Errorf("merge without the final newline:\n%s", testkit.Diff(string(want), string(got)))
			}
		})
	}
}

func toCRLF(b []byte) []byte { return bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n")) }

// TestMergeSnippetFromPlan merges snippets rendered by Snippet, as
// generate writes them, for every product of testkit.Snippets into
// the fixture of its family.
func TestMergeSnippetFromPlan(t *testing.T) {
	plan := testkit.Plan(t, testkit.Snippets)
	fixture := map[string]string{"wso2is": "merge/is71.toml", "wso2am": "merge/apim45.toml", "wso2mi": "merge/mi44.toml"}
	for _, env := range plan.Environments {
		for i := range env.Products {
			p := &env.Products[i]
			t.Run(env.Name+"/"+p.Name, func(t *testing.T) {
				snippet, err := emit.Snippet(env.Name, p, nil)
				if err != nil {
					t.Fatal(err)
				}
				checkMerge(t, readTestdata(t, fixture[string(p.Kind)]), snippet)
			})
		}
	}
}

// merge returns deployment with snippet's tables spliced in, and whether
// anything changed. See MergeTables; an [encryption] key deployment has is
// kept.
func merge(deployment, snippet []byte) (merged []byte, changed bool, err error) {
	r, err := MergeTables(deployment, snippet, MergeOptions{})
	if err != nil {
		return nil, false, err
	}
	return r.Merged, r.Changed, nil
}
