package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/internal/crashpoint"
	"github.com/wso2ks/wso2ks/pkg/bundle"
)

// race starts every command line at once as a wso2ks process, each
// holding its lock a while longer (envSleepAt), and waits for all. Every
// run must succeed or give up with exit 2 and the lock message; the runs
// that succeeded must have held the lock one after the other, never two at
// a time. It returns which runs succeeded.
func race(t *testing.T, cmds ...[]string) []bool {
	t.Helper()
	log := filepath.Join(t.TempDir(), "log")
	env := []string{envLog + "=" + log, envSleepAt + "=" + crashpoint.LockHeld, envLockWait + "=2m"}
	var children []*child
	for _, args := range cmds {
		children = append(children, start(t, env, args...))
	}
	ok := make([]bool, len(cmds))
	pids := map[string]bool{}
	for i, c := range children {
		r := c.wait(t)
		switch {
		case r.code == 0:
			ok[i] = true
			pids[strconv.Itoa(c.cmd.Process.Pid)] = true
		case r.code != 2 || !busyRE.MatchString(r.stderr):
			t.Errorf("wso2ks %s: exit %d, neither success nor the lock message\n%s", strings.Join(cmds[i], " "), r.code, r.stderr)
		}
	}
	if !slices.Contains(ok, true) {
		t.Fatal("no run succeeded")
	}
	checkTurns(t, log, pids)
	return ok
}

// checkTurns reads the log of lock moments: one holder at a time, and each
// run that succeeded took and released the lock.
func checkTurns(t *testing.T, log string, succeeded map[string]bool) {
	t.Helper()
	data, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	// depth counts the locks the holder holds: install takes the home's,
	// then its deployment.toml's.
	holder, depth, held := "", 0, map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		pid, moment, _ := strings.Cut(line, " ")
		switch moment {
		case crashpoint.LockHeld:
			if holder != "" && holder != pid {
				t.Errorf("pid %s took the lock while pid %s held it", pid, holder)
			}
			holder, held[pid] = pid, true
			depth++
		case crashpoint.LockReleasing:
			if holder != pid {
				t.Errorf("pid %s released a lock it did not hold", pid)
			}
			if depth--; depth <= 0 {
				holder, depth = "", 0
			}
		default:
			if holder != pid {
				t.Errorf("pid %s reached %s without the lock (held by %q)", pid, moment, holder)
			}
		}
	}
	for pid := range succeeded {
		if !held[pid] {
			t.Errorf("pid %s succeeded without taking the lock", pid)
		}
	}
}

// TestConcurrentGenerate: three generate --force runs into one DIR take
// turns, and the bundle left is one whole bundle (verify passes).
func TestConcurrentGenerate(t *testing.T) {
	_, bundle := lockedBundle(t)
	args := []string{"generate", "-o", bundle, "--force"}
	race(t, args, args, args)
	if r := runProcess(t, nil, "verify", bundle); r.code != 0 {
		t.Errorf("verify: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	assertEntries(t, filepath.Dir(bundle), "ks", "topology.toml")
}

// TestConcurrentRotate: rotations of two products of one bundle both
// land, each on the bundle the other left.
func TestConcurrentRotate(t *testing.T) {
	_, bundle := lockedBundle(t)
	before := readManifest(t, bundle)
	ok := race(t,
		[]string{"rotate", bundle, "--product", "p1"},
		[]string{"rotate", bundle, "--product", "p2"})
	after := readManifest(t, bundle)
	for i, p := range []string{"p1", "p2"} {
		rotated := tlsOf(t, after, p) != tlsOf(t, before, p)
		if rotated != ok[i] {
			t.Errorf("%s: rotate succeeded %v, tls key changed %v", p, ok[i], rotated)
		}
		for _, s := range after.Stores {
			if s.Role == "truststore" && s.Product != p && slices.Contains(s.Entries, p+"-tls-previous") != ok[i] {
				t.Errorf("%s's truststore entries %v: a -previous entry for %s %v", s.Product, s.Entries, p, ok[i])
			}
		}
	}
	if r := runProcess(t, nil, "verify", bundle); r.code != 0 {
		t.Errorf("verify: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	assertEntries(t, filepath.Dir(bundle), "ks", "topology.toml")
}

// TestConcurrentMerge: two merges into one deployment.toml, whose
// [secrets] keys differ, both land.
func TestConcurrentMerge(t *testing.T) {
	dir := t.TempDir()
	dep, _ := copyFixture(t, "merge/is71.toml", dir, "deployment.toml", 0o644)
	a := filepath.Join(emitTestdata, "snippets/vault-is71.toml")
	b := filepath.Join(dir, "iam.toml")
	os.WriteFile(b, []byte(strings.ReplaceAll(readFile(t, a), "is71_", "iam_")), 0o644)
	ok := race(t, []string{"merge", a, dep}, []string{"merge", b, dep})
	got := readFile(t, dep)
	backups := []string{"deployment.toml", "iam.toml"}
	for i, secret := range []string{"\nis71_primary_password = ", "\niam_primary_password = "} {
		if strings.Contains(got, secret) != ok[i] {
			t.Errorf("merge %d succeeded %v, its [secrets] key in the file %v", i+1, ok[i], !ok[i])
		}
		if ok[i] {
			backups = append(backups, map[int]string{0: "deployment.toml.wso2ks-backup", 1: "deployment.toml.wso2ks-backup.1"}[len(backups)-2])
		}
	}
	slices.Sort(backups)
	assertEntries(t, dir, backups...)
}

func readManifest(t *testing.T, dir string) bundle.Manifest {
	t.Helper()
	var m bundle.Manifest
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(dir, bundle.ManifestName))), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func tlsOf(t *testing.T, m bundle.Manifest, product string) string {
	t.Helper()
	for _, s := range m.Stores {
		if s.Product == product && s.Role == "tls" {
			return s.SHA256
		}
	}
	t.Fatalf("no tls store of %s", product)
	return ""
}
