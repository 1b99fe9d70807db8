package cli

import (
	"bytes"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/docs/schemas"
	"github.com/wso2ks/wso2ks/pkg/verify"
)

// builds are the build informations `wso2ks version` must read, as the Go
// toolchain writes them.
var builds = []struct {
	name string
	info *debug.BuildInfo
}{
	{"go install module@v1.2.3", &debug.BuildInfo{GoVersion: "go1.24.2",
		Main:     debug.Module{Path: "github.com/wso2ks/wso2ks", Version: "v1.2.3"},
		Settings: []debug.BuildSetting{{Key: "-buildmode", Value: "exe"}, {Key: "GOARCH", Value: "arm64"}, {Key: "GOOS", Value: "darwin"}}}},
	{"go build in a changed checkout (Go 1.23)", &debug.BuildInfo{GoVersion: "go1.23.4",
		Main: debug.Module{Path: "github.com/wso2ks/wso2ks", Version: "(devel)"},
		Settings: []debug.BuildSetting{{Key: "GOARCH", Value: "amd64"}, {Key: "GOOS", Value: "linux"},
			{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: "abc1234def5678901234567890abcdef12345678"},
			{Key: "vcs.time", Value: "2026-11-20T10:11:12Z"}, {Key: "vcs.modified", Value: "true"}}}},
	{"go build in a clean checkout (Go 1.24+)", &debug.BuildInfo{GoVersion: "go1.26.0",
		Main: debug.Module{Path: "github.com/wso2ks/wso2ks", Version: "v0.0.0-20261120101112-abc1234def56"},
		Settings: []debug.BuildSetting{{Key: "GOARCH", Value: "amd64"}, {Key: "GOOS", Value: "linux"},
			{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: "abc1234def5678901234567890abcdef12345678"},
			{Key: "vcs.time", Value: "2026-11-20T10:11:12Z"}, {Key: "vcs.modified", Value: "false"}}}},
	{"go build -buildvcs=false", &debug.BuildInfo{GoVersion: "go1.26.0",
		Main:     debug.Module{Path: "github.com/wso2ks/wso2ks", Version: "(devel)"},
		Settings: []debug.BuildSetting{{Key: "GOARCH", Value: "amd64"}, {Key: "GOOS", Value: "linux"}}}},
}

// runBuild runs wso2ks as a binary built as info says (none: no build
// information at all).
func runBuild(info *debug.BuildInfo, args ...string) result {
	var stdout, stderr bytes.Buffer
	f := &Factory{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr,
		BuildInfo: func() (*debug.BuildInfo, bool) { return info, info != nil }}
	code := Run(f, args)
	return result{code, stdout.String(), stderr.String()}
}

func TestVersionText(t *testing.T) {
	var all strings.Builder
	for _, b := range builds {
		r := runBuild(b.info, "version")
		if r.code != 0 || r.stderr != "" {
			t.Fatalf("%s: %+v", b.name, r)
		}
		if alias := runBuild(b.info, "--version"); alias != r {
			t.Errorf("%s: --version printed %q, version %q", b.name, alias.stdout, r.stdout)
		}
		fmt.Fprintf(&all, "# %s\n%s", b.name, r.stdout)
	}
	golden(t, "version.txt", all.String())
}

func TestVersionWithoutBuildInfo(t *testing.T) {
	r := runBuild(nil, "version")
	want := fmt.Sprintf("wso2ks devel (commit unknown)\nbuilt unknown with %s for %s/%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
	if r.code != 0 || r.stdout != want {
		t.Errorf("got %+v, want %q", r, want)
	}
}

func TestVersionJSON(t *testing.T) {
	want := []string{
		`{"version":"v1.2.3","commit":"unknown","modified":false,"date":"unknown","go":"go1.24.2","platform":"darwin/arm64"}`,
		`{"version":"devel","commit":"abc1234def5678901234567890abcdef12345678","modified":true,"date":"2026-11-20T10:11:12Z","go":"go1.23.4","platform":"linux/amd64"}`,
		`{"version":"v0.0.0-20261120101112-abc1234def56","commit":"abc1234def5678901234567890abcdef12345678","modified":false,"date":"2026-11-20T10:11:12Z","go":"go1.26.0","platform":"linux/amd64"}`,
		`{"version":"devel","commit":"unknown","modified":false,"date":"unknown","go":"go1.26.0","platform":"linux/amd64"}`,
	}
	for i, b := range builds {
		r := runBuild(b.info, "version", "--output", "json")
		if r.code != 0 || r.stderr != "" {
			t.Fatalf("%s: %+v", b.name, r)
		}
		if err := verify.ValidateSchema(schemas.Version, []byte(r.stdout)); err != nil {
			t.Errorf("%s: %v\n%s", b.name, err, r.stdout)
		}
		compact := strings.NewReplacer("\n", "", "  ", "", `": `, `":`).Replace(r.stdout)
		if compact != want[i] {
			t.Errorf("%s:\n got %s\nwant %s", b.name, compact, want[i])
		}
	}
}

// TestVersionSchemaRefuses shows the schema test can fail: a document
// without a commit, or with a short platform, does not pass.
func TestVersionSchemaRefuses(t *testing.T) {
	for _, tc := range []struct{ doc, want string }{
		{`{"version":"v1","modified":false,"date":"unknown","go":"go1","platform":"a/b"}`, `output: "commit" is required`},
		{`{"version":"v1","commit":"XYZ","modified":false,"date":"unknown","go":"go1","platform":"a/b"}`, `output.commit: "XYZ" does not match ^([0-9a-f]{7,64}|unknown)$`},
		{`{"version":"v1","commit":"unknown","modified":false,"date":"unknown","go":"go1","platform":"linux"}`, `output.platform: "linux" does not match ^[a-z0-9]+/[a-z0-9]+$`},
	} {
		err := verify.ValidateSchema(schemas.Version, []byte(tc.doc))
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s: got %v, want %s", tc.doc, err, tc.want)
		}
	}
}

func TestVersionBadOutput(t *testing.T) {
	r := runBuild(nil, "version", "--output", "yaml")
	if want := "wso2ks: --output \"yaml\" is not a format; give text or json\n"; r.code != ExitInput || r.stdout != "" || r.stderr != want {
		t.Errorf("got %+v, want %q", r, want)
	}
}
