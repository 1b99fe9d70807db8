package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestMain lets the test binary act as wso2ks itself, so the tests below
// run the real main: process exit codes, real stdout and stderr.
func TestMain(m *testing.M) {
	if os.Getenv("WSO2KS_BE_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

func runMain(t *testing.T, dir string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "WSO2KS_BE_MAIN=1")
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		code = exit.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	return code, out.String(), errOut.String()
}

func TestMainExitCodes(t *testing.T) {
	dir := t.TempDir()
	if code, out, _ := runMain(t, dir, "version"); code != 0 || !strings.HasPrefix(out, "wso2ks ") {
		t.Errorf("version: exit %d, %q", code, out)
	}
	if code, _, errOut := runMain(t, dir, "generate", "--nope"); code != 2 || strings.Count(errOut, "\n") != 1 {
		t.Errorf("bad flag: exit %d, stderr %q", code, errOut)
	}
	os.WriteFile(filepath.Join(dir, "t.toml"), []byte("[subject]\n"), 0o644)
	if code, _, errOut := runMain(t, dir, "generate", "-f", "t.toml"); code != 2 || !strings.HasPrefix(errOut, "t.toml:") {
		t.Errorf("bad topology: exit %d, stderr %q", code, errOut)
	}
	// A bundle directory below a file is the user's mistake: exit 2 with
	// the fix, before any work.
	os.WriteFile(filepath.Join(dir, "file"), []byte("x"), 0o644)
	if code, _, errOut := runMain(t, dir, "generate", "-o", "file/keystores"); code != 2 ||
		errOut != "wso2ks: -o file/keystores: file is a file, not a directory; choose another -o DIR\n" {
		t.Errorf("a directory below a file: exit %d, stderr %q", code, errOut)
	}
	// One that cannot be created (sysfs refuses even root) is an I/O
	// failure: exit 3, one line naming it, and nothing left behind.
	if runtime.GOOS == "linux" {
		if code, _, errOut := runMain(t, dir, "generate", "-o", "/sys/keystores"); code != 3 ||
			strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, "/sys/keystores") {
			t.Errorf("unwritable directory: exit %d, stderr %q", code, errOut)
		}
		// procfs answers "no such file" to every create: that ends too,
		// where it once spun for ever.
		if code, _, errOut := runMain(t, dir, "generate", "-o", "/proc/self/keystores"); code != 3 ||
			strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, "/proc/self/keystores") {
			t.Errorf("procfs: exit %d, stderr %q", code, errOut)
		}
	}
	// The README's first command: the default bundle in ./keystores.
	code, out, errOut := runMain(t, dir, "generate")
	if code != 0 || errOut != "" || !strings.HasPrefix(out, "wrote keystores\n") {
		t.Fatalf("generate: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "keystores", "default", "iam", "repository", "resources", "security", "tls.p12")); err != nil {
		t.Error(err)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}
