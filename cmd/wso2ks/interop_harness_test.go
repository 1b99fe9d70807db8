package main

// The Java interop harness: testdata/interop/Interop.java opens stores the way WSO2 products and
// their tools do (KeyStore.load, Cipher.init with the certificate, JSSE handshakes with hostname
// verification) and checks a whole set of them in one JVM run. runInterop drives it from Go.

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// interopStore is one keystore for the checker. Password is both the store and the key password.
// Role is primary, internal, tls, wssec or truststore; Alias names the key of a key store; Entries
// lists the aliases a truststore must hold as trusted-certificate entries.
type interopStore struct {
	Path, Type, Password, Role, Alias string
	Entries                           []string
}

// interopHandshake is a JSSE server on Server's key (opened with the store password) and a client
// that trusts only Client; every name in Hosts must pass HTTPS hostname verification.
type interopHandshake struct {
	Server, Client interopStore
	Hosts          []string
}

type interopSpec struct {
	Stores     []interopStore
	Handshakes []interopHandshake
}

// interopTimeout bounds one checker run; the checker's own watchdog gives up earlier (150 s), so a
// hang still produces a report.
const interopTimeout = 3 * time.Minute

// interopSummary matches the checker's last line.
var interopSummary = regexp.MustCompile(`(?m)^interop: (\d+) passed, (\d+) failed$`)

// requireJava returns the path of java, failing the test when there is none: the interop tests are
// how we know the stores work in the products, so they must not silently skip.
func requireJava(t testing.TB) string {
	t.Helper()
	java, err := exec.LookPath("java")
	if err != nil {
		t.Fatalf("java is not on PATH: the interop tests need a JDK 17 or later (java and keytool), e.g. apt-get install openjdk-17-jdk-headless: %v", err)
	}
	return java
}

// runInterop checks spec with the Java checker and returns its output and whether every check
// passed. A spec the checker cannot read, a run without a final report or a timeout fail the test.
func runInterop(t *testing.T, spec interopSpec) (output string, ok bool) {
	t.Helper()
	requireJava(t)
	data, err := interopProperties(spec)
	if err != nil {
		t.Fatalf("interop spec: %v", err)
	}
	file := filepath.Join(t.TempDir(), "interop.properties")
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}
	output, code := interopExec(t, file)
	t.Logf("interop checker (exit %d):\n%s", code, output)
	m := interopSummary.FindStringSubmatch(output)
	switch {
	case code != 0 && code != 1:
		t.Fatalf("interop checker rejected its spec (exit %d):\n%s", code, output)
	case m == nil:
		t.Fatalf("interop checker ended without its summary line (exit %d):\n%s", code, output)
	case (m[2] == "0") != (code == 0):
		t.Fatalf("interop checker exited %d but reported %q", code, m[0])
	}
	return output, code == 0
}

// passInterop checks spec with the Java checker and returns its output; a
// failed check fails the test with each FAIL line, then what names the
// bundles checked.
func passInterop(t *testing.T, spec interopSpec, what string) string {
	t.Helper()
	out, ok := runInterop(t, spec)
	if !ok {
		for _, line := range interopReport(out) {
			if strings.HasPrefix(line, "FAIL") {
				t.Error(line)
			}
		}
		t.Fatalf("the Java checker failed stores of %s", what)
	}
	return out
}

// interopExec runs the checker on a spec file and returns its combined output and exit code.
func interopExec(t testing.TB, specFile string) (string, int) {
	t.Helper()
	java := requireJava(t)
	checker, err := filepath.Abs(filepath.Join("testdata", "interop", "Interop.java"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), interopTimeout)
	defer cancel()
	// C1 only: the run is mostly compiling the source, which this makes about a third faster.
	cmd := exec.CommandContext(ctx, java, "-XX:TieredStopAtLevel=1", checker, specFile)
	cmd.Env = interopEnv()
	cmd.WaitDelay = 5 * time.Second
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("interop checker did not finish within %v:\n%s", interopTimeout, out)
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return string(out), exit.ExitCode()
	}
	if err != nil {
		t.Fatalf("run interop checker: %v\n%s", err, out)
	}
	return string(out), 0
}

// interopEnv is the environment for java and keytool. JDK 17 converts file names with the locale's
// charset, so under LANG=C a non-ASCII path cannot even be opened; a UTF-8 locale avoids that.
func interopEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "LC_ALL=") {
			env = append(env, kv)
		}
	}
	return append(env, "LC_ALL=C.UTF-8")
}

// interopReport returns the checker's OK, FAIL and summary lines, without anything the JVM may add
// (such as "Picked up JAVA_TOOL_OPTIONS").
func interopReport(output string) []string {
	var lines []string
	for _, l := range strings.Split(output, "\n") {
		if strings.HasPrefix(l, "OK ") || strings.HasPrefix(l, "FAIL ") || interopSummary.MatchString(l) {
			lines = append(lines, l)
		}
	}
	return lines
}
