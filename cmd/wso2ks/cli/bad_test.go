package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/internal/testkit"
)

// TestMalformedTopologies runs generate on every testdata/bad/*.toml. The
// first line of each file is "# want: " and the exact stderr line, with
// FILE standing for the file's path. Each must exit 2 with that one line,
// print nothing on stdout and write nothing. -update rewrites the want
// lines from what the command says (review the diff).
func TestMalformedTopologies(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(testdata, "bad", "*.toml"))
	if err != nil || len(files) < 20 {
		t.Fatalf("want at least 20 malformed topologies, found %d (%v)", len(files), err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".toml"), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			first, rest, _ := strings.Cut(string(data), "\n")
			want, ok := strings.CutPrefix(first, "# want: ")
			if !ok {
				t.Fatalf("first line %q is not '# want: …'", first)
			}
			out := filepath.Join(t.TempDir(), "keystores")
			for _, cmd := range []string{"generate", "plan"} {
				args := []string{cmd, "-f", file}
				if cmd == "generate" {
					args = append(args, "-o", out)
				}
				r := run(t, false, args...)
				got := strings.ReplaceAll(strings.TrimSuffix(r.stderr, "\n"), file, "FILE")
				if testkit.Updating() && cmd == "generate" {
					if err := os.WriteFile(file, []byte("# want: "+got+"\n"+rest), 0o644); err != nil {
						t.Fatal(err)
					}
					want = got
				}
				if r.code != 2 {
					t.Errorf("%s: exit %d, want 2", cmd, r.code)
				}
				if got != want || strings.Count(r.stderr, "\n") != 1 {
					t.Errorf("%s: stderr:\n%q\nwant one line:\n%q", cmd, r.stderr, want)
				}
				if !strings.HasPrefix(got, "FILE:") {
					t.Errorf("%s: the error does not start with the file's name", cmd)
				}
				if r.stdout != "" {
					t.Errorf("%s: stdout %q", cmd, r.stdout)
				}
			}
			if _, err := os.Stat(out); err == nil {
				t.Error("bad input wrote the bundle directory")
			}
		})
	}
}
