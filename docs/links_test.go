package docs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLinksResolve: every relative link of the READMEs and of docs/*.md names
// a file or directory that exists, and every #anchor a heading of its file.
func TestLinksResolve(t *testing.T) {
	checked := 0
	for _, file := range markdownFiles(t) {
		for _, target := range links(readDoc(t, file)) {
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			checked++
			path, anchor, _ := strings.Cut(target, "#")
			dest := file
			if path != "" {
				dest = filepath.Join(filepath.Dir(file), filepath.FromSlash(path))
				if _, err := os.Stat(dest); err != nil {
					t.Errorf("%s: link (%s): %v", file, target, err)
					continue
				}
			}
			if anchor == "" {
				continue
			}
			if !strings.HasSuffix(dest, ".md") {
				t.Errorf("%s: link (%s): an anchor into %s, which is not Markdown", file, target, dest)
				continue
			}
			if !anchors(readDoc(t, dest))[anchor] {
				t.Errorf("%s: link (%s): %s has no heading #%s", file, target, dest, anchor)
			}
		}
	}
	if checked < 20 {
		t.Errorf("only %d links checked; the link pattern is broken", checked)
	}
}

// TestREADMELinksEveryDoc: each file of docs/ is reachable from the README.
func TestREADMELinksEveryDoc(t *testing.T) {
	linked := map[string]bool{}
	for _, target := range links(readDoc(t, filepath.Join("..", "README.md"))) {
		path, _, _ := strings.Cut(target, "#")
		linked[path] = true
	}
	for _, file := range docFiles(t) {
		if !linked["docs/"+file] {
			t.Errorf("README.md does not link docs/%s", file)
		}
	}
}

// TestAnchors pins the heading rule the link check relies on.
func TestAnchors(t *testing.T) {
	doc := "# wso2ks verify\n## wso2ks generate --update\n### The `k8s` output, again!\n" +
		"## Limits\n```sh\n# not a heading\n```\n## Limits\n"
	got := anchors(doc)
	for _, want := range []string{"wso2ks-verify", "wso2ks-generate---update", "the-k8s-output-again", "limits", "limits-1"} {
		if !got[want] {
			t.Errorf("no anchor %q in %v", want, got)
		}
	}
	if got["not-a-heading"] || len(got) != 5 {
		t.Errorf("anchors %v, want exactly five", got)
	}
}
