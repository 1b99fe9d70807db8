package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/internal/crashpoint"
)

// twoProducts is a topology for the lock tests: small (no public CAs) and
// with two products whose truststores trust each other's tls certificate.
const twoProducts = `[subject]
organization = "Example Corp"
country = "LK"

[defaults]
public_cas = false

[[product]]
name = "p1"
kind = "wso2is"
version = "7.1.0"
hostnames = ["p1.example.com"]

[[product]]
name = "p2"
kind = "wso2is"
version = "7.1.0"
hostnames = ["p2.example.com"]
`

// lockedBundle writes twoProducts to dir/topology.toml and generates its
// bundle at dir/ks in a wso2ks process; it returns both paths.
func lockedBundle(t *testing.T) (topology, bundle string) {
	t.Helper()
	dir := t.TempDir()
	topology, bundle = filepath.Join(dir, "topology.toml"), filepath.Join(dir, "ks")
	if err := os.WriteFile(topology, []byte(twoProducts), 0o644); err != nil {
		t.Fatal(err)
	}
	mustRun(t, "generate", "-f", topology, "-o", bundle)
	return topology, bundle
}

// busyLine is the one line a writer prints when another holds its target.
func busyLine(target string, pid int, command string) string {
	return fmt.Sprintf("wso2ks: %s is being changed by another wso2ks process (pid %d: %s); wait for it to finish and run again, or check that it is not hung\n",
		target, pid, command)
}

var busyRE = regexp.MustCompile(`^wso2ks: .+ is being changed by another wso2ks process \(pid [0-9]+: wso2ks .+\); wait for it to finish and run again, or check that it is not hung\n$`)

// TestWritersWaitForTheHolder: while one command changes a bundle, every
// command that writes it waits, then gives up with exit 2 and one line
// naming the holder, and changes nothing; the readers go on.
func TestWritersWaitForTheHolder(t *testing.T) {
	topology, bundle := lockedBundle(t)
	holder, release := paused(t, "renew", bundle)
	before := snapshot(t, bundle)
	busy := busyLine(bundle, holder.cmd.Process.Pid, "wso2ks renew "+bundle)
	manifest := filepath.Join(bundle, "manifest.json") // any file passes for a chain until the lock
	for _, args := range [][]string{
		{"generate", "-f", topology, "-o", bundle},
		{"generate", "-f", topology, "-o", bundle, "--force"},
		{"generate", "-f", topology, "--update", bundle},
		{"renew", bundle},
		{"rotate", bundle, "--product", "p1"},
		{"rotate", bundle, "--product", "p1", "--finish"},
		{"csr", bundle},
		{"import-cert", bundle, manifest, "--product", "p1"},
		{"k8s", bundle},
		{"k8s", bundle, "-o", filepath.Join(bundle, "dev", "k8s")},
	} {
		name := strings.NewReplacer(bundle, "DIR", topology, "topology.toml", manifest, "chain.pem").Replace(strings.Join(args, " "))
		t.Run(name, func(t *testing.T) {
			r := runProcess(t, []string{envLockWait + "=200ms"}, args...)
			if r.code != 2 || r.stderr != busy || r.stdout != "" {
				t.Errorf("exit %d\nstdout %q\nstderr %q\nwant %q", r.code, r.stdout, r.stderr, busy)
			}
		})
	}
	for _, args := range [][]string{
		{"verify", bundle},
		{"plan", "-f", topology, "--against", bundle},
	} {
		if r := runProcess(t, []string{envLockWait + "=200ms"}, args...); r.code != 0 {
			t.Errorf("%s waited for the lock: exit %d\n%s", args[0], r.code, r.stderr)
		}
	}
	if snapshot(t, bundle) != before {
		t.Error("a waiting writer changed the bundle")
	}
	if r := release(); r.code != 0 || r.stderr != "" {
		t.Fatalf("the holder: exit %d\n%s", r.code, r.stderr)
	}
	assertEntries(t, filepath.Dir(bundle), "ks", "topology.toml")
}

// TestK8sOutsideTheBundleLocksItsOwnDirectory: manifests written outside
// the bundle wait for another writer of that directory, not of the bundle.
func TestK8sOutsideTheBundleLocksItsOwnDirectory(t *testing.T) {
	_, bundle := lockedBundle(t)
	out := filepath.Join(t.TempDir(), "manifests")
	holder, release := paused(t, "k8s", bundle, "-o", out)
	r := runProcess(t, []string{envLockWait + "=200ms"}, "k8s", bundle, "-o", out, "--force")
	if want := busyLine(out, holder.cmd.Process.Pid, "wso2ks k8s "+bundle+" -o "+out); r.code != 2 || r.stderr != want {
		t.Errorf("exit %d, stderr %q\nwant %q", r.code, r.stderr, want)
	}
	mustRun(t, "renew", bundle) // the bundle itself is free
	if r := release(); r.code != 0 {
		t.Fatalf("the holder: exit %d\n%s", r.code, r.stderr)
	}
}

func TestMergeWaitsForTheHolder(t *testing.T) {
	dir := t.TempDir()
	dep, orig := copyFixture(t, "merge/is71.toml", dir, "deployment.toml", 0o644)
	linked := filepath.Join(t.TempDir(), "conf")
	os.Symlink(dir, linked)
	snippet := filepath.Join(emitTestdata, "snippets/vault-is71.toml")
	holder, release := paused(t, "merge", snippet, dep)
	// Another name of the same file, through a linked directory, waits as
	// well (merge writes through no link at the file itself: links.go).
	for _, name := range []string{dep, filepath.Join(linked, "deployment.toml")} {
		busy := busyLine(name, holder.cmd.Process.Pid, "wso2ks merge "+snippet+" "+dep)
		r := runProcess(t, []string{envLockWait + "=200ms"}, "merge", snippet, name)
		if r.code != 2 || r.stderr != busy || r.stdout != "" {
			t.Errorf("merge into %s: exit %d\nstderr %q\nwant %q", name, r.code, r.stderr, busy)
		}
	}
	if r := runProcess(t, []string{envLockWait + "=200ms"}, "merge", "--dry-run", snippet, dep); r.code != 0 {
		t.Errorf("--dry-run waited for the lock: exit %d\n%s", r.code, r.stderr)
	}
	if readFile(t, dep) != string(orig) {
		t.Error("a waiting merge changed the file")
	}
	if r := release(); r.code != 0 {
		t.Fatalf("the holder: exit %d\n%s", r.code, r.stderr)
	}
	assertEntries(t, dir, "deployment.toml", "deployment.toml.wso2ks-backup")
}

// TestStaleLockBlocksNothing: a writer killed while it held the lock
// leaves its lock file, which the next writer simply takes.
func TestStaleLockBlocksNothing(t *testing.T) {
	_, bundle := lockedBundle(t)
	r := runProcess(t, []string{envCrashAt + "=" + crashpoint.LockHeld}, "renew", bundle)
	if r.code != crashExit {
		t.Fatalf("renew did not stop holding the lock: exit %d\n%s", r.code, r.stderr)
	}
	lockFile := filepath.Join(filepath.Dir(bundle), ".ks.wso2ks.lock")
	if data, err := os.ReadFile(lockFile); err != nil || !strings.HasSuffix(string(data), "\nwso2ks renew "+bundle+"\n") {
		t.Fatalf("the killed writer's lock file: %q, %v", data, err)
	}
	r = runProcess(t, []string{envLockWait + "=1ms"}, "renew", bundle)
	if r.code != 0 || r.stderr != "" || r.stdout != "nothing to renew within 30 days\n" {
		t.Errorf("after a killed writer: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	assertEntries(t, filepath.Dir(bundle), "ks", "topology.toml")
}

// assertEntries fails unless dir holds exactly names: no lock file, no
// temporary tree, no staged copy left.
func assertEntries(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if strings.Join(got, " ") != strings.Join(names, " ") {
		t.Errorf("%s holds %v, want %v", dir, got, names)
	}
}

func TestCommandLine(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"rotate", "ks", "--product", "p1"}, "wso2ks rotate ks --product p1"},
		{[]string{"merge", "a b.toml", "it's", ""}, `wso2ks merge 'a b.toml' 'it'\''s' ''`},
		{[]string{"-o", "/tmp/x_y-1.2/k=v,w@h+%:"}, "wso2ks -o /tmp/x_y-1.2/k=v,w@h+%:"},
	} {
		if got := commandLine(tt.args); got != tt.want {
			t.Errorf("%q: %s, want %s", tt.args, got, tt.want)
		}
	}
}
