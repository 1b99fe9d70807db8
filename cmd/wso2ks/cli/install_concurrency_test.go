package cli

import (
	"crypto/sha256"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/internal/crashpoint"
	"github.com/wso2ks/wso2ks/pkg/verify"
)

// TestConcurrentInstall: three installs of two bundles into one home
// (--replace-keys, so each may replace the other) take turns, and the home
// is then wholly one bundle's: every key store and vault file byte for byte
// that bundle's, and verify opens every store.
func TestConcurrentInstall(t *testing.T) {
	home, a, b := crashHome(t)
	install := func(bundle string) []string {
		return []string{"install", "--bundle", bundle, "--product", "iam", "--home", home, "--replace-keys"}
	}
	race(t, install(b), install(a), install(b))
	from := ""
	for _, rel := range []string{
		"repository/resources/security/primary.p12", "repository/resources/security/internal.p12",
		"repository/resources/security/tls.p12", "repository/conf/security/secret-conf.properties",
	} {
		got := sha256.Sum256([]byte(readFile(t, filepath.Join(home, rel))))
		which := ""
		for _, bundle := range []string{a, b} {
			if sha256.Sum256([]byte(readFile(t, filepath.Join(bundle, "default/iam", rel)))) == got {
				which = bundle
			}
		}
		switch {
		case which == "":
			t.Errorf("%s is neither bundle's", rel)
		case from == "":
			from = which
		case which != from && !strings.HasSuffix(rel, "secret-conf.properties"): // the same in both
			t.Errorf("the home mixes two bundles: %s is %s's, the stores before it %s's", rel, which, from)
		}
	}
	password := ""
	for _, line := range strings.Split(readFile(t, filepath.Join(from, "default/secrets.env")), "\n") {
		if v, ok := strings.CutPrefix(line, "WSO2KS_IAM_INTERNAL_PASSWORD="); ok {
			password = v
		}
	}
	// Every store opens with the passwords deployment.toml gives, and the
	// vault reads the encryption key the home keeps (cipher-text.properties
	// holds it encrypted again for the internal key installed, so it is
	// neither bundle's file).
	r := runProcess(t, []string{verify.PasswordVar + "=" + password}, "verify", home)
	if opens := strings.Count(r.stdout, "PASS  store-opens "); opens != 4 || r.code != 0 || !strings.Contains(r.stdout, "PASS  encryption-key ") {
		t.Errorf("verify: exit %d, %d stores open, want 0 and 4, and encryption-key passing\n%s%s", r.code, opens, r.stdout, r.stderr)
	}
	assertClean(t, home)
}

// TestInstallWaitsForTheHolder: while one install holds a home, another
// waits, then gives up with exit 2 and one line naming the holder, and
// changes nothing; --dry-run goes on.
func TestInstallWaitsForTheHolder(t *testing.T) {
	home, a, b := crashHome(t)
	args := []string{"install", "--bundle", b, "--product", "iam", "--home", home, "--replace-keys"}
	holder, release := paused(t, args...)
	before := snapshot(t, home)
	busy := busyLine(home, holder.cmd.Process.Pid, commandLine(args))
	r := runProcess(t, []string{envLockWait + "=200ms"}, "install", "--bundle", a, "--product", "iam", "--home", home)
	if r.code != 2 || r.stderr != busy || r.stdout != "" {
		t.Errorf("exit %d\nstdout %q\nstderr %q\nwant %q", r.code, r.stdout, r.stderr, busy)
	}
	if r := runProcess(t, []string{envLockWait + "=200ms"}, "install", "--bundle", a, "--product", "iam", "--home", home, "--dry-run"); r.code != 0 {
		t.Errorf("--dry-run waited for the lock: exit %d\n%s", r.code, r.stderr)
	}
	if snapshot(t, home) != before {
		t.Error("a waiting install changed the home")
	}
	if r := release(); r.code != 0 || r.stderr != "" {
		t.Fatalf("the holder: exit %d\n%s", r.code, r.stderr)
	}
	assertClean(t, home)
}

// TestConcurrentInstallAndMerge: an install into a home and a merge into
// its deployment.toml, each holding every lock longer than usual, take
// turns on the deployment.toml lock, the last both take: never two holders
// of it at a time, and every step of either write under it. Both land, and
// nothing is left behind.
func TestConcurrentInstallAndMerge(t *testing.T) {
	home, a, b := crashHome(t)
	dep := filepath.Join(home, "repository/conf/deployment.toml")
	log := filepath.Join(t.TempDir(), "log")
	env := []string{envLog + "=" + log, envSleepAt + "=" + crashpoint.LockHeld, envLockWait + "=2m"}
	install := start(t, env, "install", "--bundle", b, "--product", "iam", "--home", home, "--replace-keys")
	merge := start(t, env, "merge", filepath.Join(a, "default/iam/deployment.snippet.toml"), dep)
	for _, c := range []*child{install, merge} {
		if r := c.wait(t); r.code != 0 {
			t.Errorf("wso2ks %s: exit %d\n%s", strings.Join(c.cmd.Args[1:], " "), r.code, r.stderr)
		}
	}
	// The deployment.toml lock is install's second and merge's only one.
	second := map[string]int{strconv.Itoa(install.cmd.Process.Pid): 2, strconv.Itoa(merge.cmd.Process.Pid): 1}
	depth, holder := map[string]int{}, ""
	for _, line := range strings.Split(strings.TrimSpace(readFile(t, log)), "\n") {
		pid, moment, _ := strings.Cut(line, " ")
		switch moment {
		case crashpoint.LockHeld:
			if depth[pid]++; depth[pid] == second[pid] {
				if holder != "" {
					t.Errorf("pid %s took the deployment.toml lock while pid %s held it", pid, holder)
				}
				holder = pid
			}
		case crashpoint.LockReleasing:
			if depth[pid] == second[pid] {
				holder = ""
			}
			depth[pid]--
		default:
			if holder != pid {
				t.Errorf("pid %s reached %s without the deployment.toml lock (held by %q)", pid, moment, holder)
			}
		}
	}
	assertClean(t, home)
}
