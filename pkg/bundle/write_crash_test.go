package bundle

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/internal/crashpoint"
)

// crashExit is the exit code of a child stopped at its crash point.
const crashExit = 97

// TestMain lets the test binary be a writer that crashes: with
// WSO2KS_EMIT_CRASH=<moment> it writes newBundle over WSO2KS_EMIT_DIR
// (through the two-rename fallback when WSO2KS_EMIT_FALLBACK=1) and exits
// at that moment, as a kill would stop it.
func TestMain(m *testing.M) {
	if moment := os.Getenv("WSO2KS_EMIT_CRASH"); moment != "" {
		crashpoint.Hook = func(at string) {
			if at == moment {
				os.Exit(crashExit)
			}
		}
		if os.Getenv("WSO2KS_EMIT_FALLBACK") == "1" {
			exchange = func(a, b string) error { return errCannotExchange }
		}
		if err := newBundle.Write(os.Getenv("WSO2KS_EMIT_DIR"), true); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

var (
	oldBundle = &Bundle{Files: []File{{Path: "manifest.json", Data: []byte("old")}, {Path: "dev/iam/tls.p12", Data: []byte("old key")}}}
	newBundle = &Bundle{Files: []File{{Path: "manifest.json", Data: []byte("new")}, {Path: "dev/iam/tls.p12", Data: []byte("new key")},
		{Path: "dev/secrets.env", Data: []byte("new password")}}}
)

var digitsRE = regexp.MustCompile(`wso2ks-new-[0-9]+`)

// contents lists dir's files with their bytes, or "missing".
func contents(t *testing.T, dir string) string {
	t.Helper()
	if _, err := os.Lstat(dir); errors.Is(err, fs.ErrNotExist) {
		return "missing"
	}
	var lines []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		lines = append(lines, filepath.ToSlash(rel)+"="+string(data))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(lines)
	return strings.Join(lines, " ")
}

func names(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

// TestCrashAtEveryStepOfWrite stops a real process at each step of a
// bundle write, then runs Recover as the next writer does: the bundle is
// the complete old or the complete new one, and nothing else is left.
func TestCrashAtEveryStepOfWrite(t *testing.T) {
	const (
		old     = "dev/iam/tls.p12=old key manifest.json=old"
		new     = "dev/iam/tls.p12=new key dev/secrets.env=new password manifest.json=new"
		removed = "removed %s/.ks.wso2ks-new-N, left by an interrupted wso2ks run"
	)
	tests := []struct {
		name     string
		moment   string
		fallback bool
		first    bool // no old bundle
		want     string
		notes    []string
	}{
		{"first write, partial", crashpoint.BundlePartial, false, true, "missing", []string{removed}},
		{"first write, staged", crashpoint.BundleStaged, false, true, "missing", []string{removed}},
		{"partial", crashpoint.BundlePartial, false, false, old, []string{removed}},
		{"staged", crashpoint.BundleStaged, false, false, old, []string{removed}},
		{"exchanged", crashpoint.BundleExchanged, false, false, new, []string{removed}},
		{"fallback, staged", crashpoint.BundleStaged, true, false, old, []string{removed}},
		{"fallback, moved aside", crashpoint.BundleMovedAside, true, false, old, []string{
			"restored %s/ks from %s/.ks.wso2ks-new-N.old, where an interrupted wso2ks run had moved it aside", removed}},
		{"fallback, renamed", crashpoint.BundleRenamed, true, false, new, []string{
			"removed %s/.ks.wso2ks-new-N.old, left by an interrupted wso2ks run"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.moment == crashpoint.BundleExchanged && runtime.GOOS != "linux" {
				t.Skip("only Linux exchanges directories")
			}
			parent := t.TempDir()
			dir := filepath.Join(parent, "ks")
			if !tt.first {
				if err := oldBundle.Write(dir, false); err != nil {
					t.Fatal(err)
				}
			}
			cmd := exec.Command(os.Args[0])
			cmd.Env = append(os.Environ(), "WSO2KS_EMIT_CRASH="+tt.moment, "WSO2KS_EMIT_DIR="+dir)
			if tt.fallback {
				cmd.Env = append(cmd.Env, "WSO2KS_EMIT_FALLBACK=1")
			}
			out, err := cmd.CombinedOutput()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != crashExit {
				t.Fatalf("the writer did not stop at %s: %v %s", tt.moment, err, out)
			}
			if left, _ := filepath.Glob(filepath.Join(parent, ".ks.wso2ks-new-*")); len(left) == 0 {
				t.Fatalf("the crash left nothing to recover: %v", names(t, parent))
			}
			notes, err := Recover(dir)
			if err != nil {
				t.Fatal(err)
			}
			if got := contents(t, dir); got != tt.want {
				t.Errorf("after Recover the bundle is\n%s\nwant\n%s", got, tt.want)
			}
			var want []string
			for _, n := range tt.notes {
				want = append(want, strings.ReplaceAll(n, "%s", parent))
			}
			for i := range notes {
				notes[i] = digitsRE.ReplaceAllString(notes[i], "wso2ks-new-N")
			}
			if strings.Join(notes, "\n") != strings.Join(want, "\n") {
				t.Errorf("notes\n%s\nwant\n%s", strings.Join(notes, "\n"), strings.Join(want, "\n"))
			}
			if got := names(t, parent); len(got) > 1 || len(got) == 1 && got[0] != "ks" {
				t.Errorf("left beside the bundle: %v", got)
			}
			// And the next write goes through.
			if err := newBundle.Write(dir, true); err != nil {
				t.Fatal(err)
			}
			if got := contents(t, dir); got != new {
				t.Errorf("the next write gave %s", got)
			}
		})
	}
}

func TestWriteFallbackReplaces(t *testing.T) {
	t.Cleanup(func() { exchange = exchangeDirs })
	exchange = func(a, b string) error { return errCannotExchange }
	parent := t.TempDir()
	dir := filepath.Join(parent, "ks")
	oldBundle.Write(dir, false)
	if err := newBundle.Write(dir, true); err != nil {
		t.Fatal(err)
	}
	if got := contents(t, dir); !strings.HasSuffix(got, "manifest.json=new") {
		t.Errorf("bundle %s", got)
	}
	if got := names(t, parent); len(got) != 1 {
		t.Errorf("left: %v", got)
	}
}

func TestRecoverLeavesOthersAlone(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "ks")
	oldBundle.Write(dir, false)
	keep := []string{".ks.wso2ks-new-12x", ".ks.wso2ks-new-", ".other.wso2ks-new-1", "ks.old", ".ks.wso2ks.lock", ".ks.wso2ks-new-1.older", "ks"}
	for _, n := range keep[:len(keep)-1] {
		os.Mkdir(filepath.Join(parent, n), 0o700)
	}
	notes, err := Recover(dir)
	if err != nil || len(notes) != 0 {
		t.Fatalf("notes %v, err %v", notes, err)
	}
	sort.Strings(keep)
	if got := names(t, parent); strings.Join(got, " ") != strings.Join(keep, " ") {
		t.Errorf("left %v, want %v", got, keep)
	}
	// A bundle that is there is never replaced by one aside.
	os.Mkdir(filepath.Join(parent, ".ks.wso2ks-new-7.old"), 0o700)
	notes, err = Recover(dir)
	if err != nil || len(notes) != 1 || contents(t, dir) != "dev/iam/tls.p12=old key manifest.json=old" {
		t.Errorf("notes %v, err %v, bundle %s", notes, err, contents(t, dir))
	}
	if notes, err := Recover(filepath.Join(parent, "missing", "ks")); notes != nil || err != nil {
		t.Errorf("a missing parent: %v %v", notes, err)
	}
	os.WriteFile(filepath.Join(parent, "file"), nil, 0o600)
	if notes, err := Recover(filepath.Join(parent, "file", "ks")); notes != nil || err != nil {
		t.Errorf("a file as parent: %v %v", notes, err)
	}
}
