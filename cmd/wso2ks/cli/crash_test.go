package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/internal/crashpoint"
	"github.com/wso2ks/wso2ks/internal/testkit"
)

// The crash tests stop a wso2ks process at each step of its write
// (crashpoint), as a kill would, then run the next command on the same
// target: the target must then be the complete old or the complete new
// state, the next command must say what it put right, and nothing that
// holds a key or a password may be left beside the target.

// tempRE masks the random part of the names of temporary trees and staged
// copies.
var tempRE = regexp.MustCompile(`\.wso2ks-(new-)?[0-9]+`)

// crash runs args in a process that stops at moment and checks that it
// did.
func crash(t *testing.T, moment string, args ...string) {
	t.Helper()
	r := runProcess(t, []string{envCrashAt + "=" + moment}, args...)
	if r.code != crashExit {
		t.Fatalf("wso2ks %s did not stop at %s: exit %d\n%s", strings.Join(args, " "), moment, r.code, r.stderr)
	}
}

const removedTree = "wso2ks: removed DIR/.ks.wso2ks-new-N, left by an interrupted wso2ks run\n"

// TestCrashedBundleWriters: generate --force and rotate, stopped at each
// step, then renew (which has nothing to renew, so it writes nothing but
// what it recovers): the bundle is the old one or the new one.
func TestCrashedBundleWriters(t *testing.T) {
	for _, tt := range []struct {
		name   string
		args   []string // DIR is the bundle
		moment string
		new    bool // whether the new bundle is in place
		stderr string
	}{
		{"generate, lock held", []string{"generate", "-o", "DIR", "--force"}, crashpoint.LockHeld, false, ""},
		{"generate, partial", []string{"generate", "-o", "DIR", "--force"}, crashpoint.BundlePartial, false, removedTree},
		{"generate, staged", []string{"generate", "-o", "DIR", "--force"}, crashpoint.BundleStaged, false, removedTree},
		{"generate, exchanged", []string{"generate", "-o", "DIR", "--force"}, crashpoint.BundleExchanged, true, removedTree},
		{"rotate, staged", []string{"rotate", "DIR", "--product", "p1"}, crashpoint.BundleStaged, false, removedTree},
		{"rotate, exchanged", []string{"rotate", "DIR", "--product", "p1"}, crashpoint.BundleExchanged, true, removedTree},
		{"update, exchanged", []string{"generate", "-f", "TOPOLOGY", "--update", "DIR", "--prune"}, crashpoint.BundleExchanged, true, removedTree},
	} {
		t.Run(tt.name, func(t *testing.T) {
			topology, bundle := lockedBundle(t)
			if tt.args[0] == "generate" && tt.args[1] == "-f" {
				// An update with something to do: p2 goes.
				os.WriteFile(topology, []byte(twoProducts[:strings.LastIndex(twoProducts, "[[product]]")]), 0o644)
			}
			before := snapshot(t, bundle)
			args := strings.Fields(strings.NewReplacer("DIR", bundle, "TOPOLOGY", topology).Replace(strings.Join(tt.args, " ")))
			crash(t, tt.moment, args...)
			r := runProcess(t, nil, "renew", bundle)
			if r.code != 0 || r.stdout != "nothing to renew within 30 days\n" {
				t.Fatalf("renew after the crash: exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			if got := tempRE.ReplaceAllString(strings.ReplaceAll(r.stderr, filepath.Dir(bundle), "DIR"), ".wso2ks-${1}N"); got != tt.stderr {
				t.Errorf("renew said\n%q\nwant\n%q", got, tt.stderr)
			}
			after := snapshot(t, bundle)
			if (after != before) != tt.new {
				t.Errorf("the bundle changed %v, want %v (the new bundle in place)", after != before, tt.new)
			}
			if v := runProcess(t, nil, "verify", bundle); v.code != 0 {
				t.Errorf("verify after the crash: exit %d\n%s%s", v.code, v.stdout, v.stderr)
			}
			assertEntries(t, filepath.Dir(bundle), "ks", "topology.toml")
		})
	}
}

// TestCrashedFirstGenerate: a first generate killed before its bundle was
// in place leaves no bundle; the next generate removes the partial tree
// and writes one.
func TestCrashedFirstGenerate(t *testing.T) {
	for _, moment := range []string{crashpoint.BundlePartial, crashpoint.BundleStaged} {
		t.Run(moment, func(t *testing.T) {
			dir := t.TempDir()
			bundle := filepath.Join(dir, "ks")
			crash(t, moment, "generate", "-o", bundle)
			r := runProcess(t, nil, "generate", "-o", bundle)
			if got := tempRE.ReplaceAllString(strings.ReplaceAll(r.stderr, dir, "DIR"), ".wso2ks-${1}N"); r.code != 0 || got != removedTree {
				t.Errorf("generate after the crash: exit %d, stderr %q\nwant %q", r.code, got, removedTree)
			}
			assertEntries(t, dir, "ks")
		})
	}
}

// TestCrashedMerge: a merge killed after its backup or with its new file
// staged leaves the old deployment.toml; the next merge removes the staged
// copy (it holds the snippet's plain passwords) and merges.
func TestCrashedMerge(t *testing.T) {
	for _, tt := range []struct {
		moment string
		stderr string
		files  []string
	}{
		{crashpoint.BackupWritten, "", []string{"deployment.toml", "deployment.toml.wso2ks-backup", "deployment.toml.wso2ks-backup.1"}},
		{crashpoint.FileStaged, "wso2ks: removed DIR/.deployment.toml.wso2ks-N, a copy of deployment.toml an interrupted wso2ks run staged\n",
			[]string{"deployment.toml", "deployment.toml.wso2ks-backup", "deployment.toml.wso2ks-backup.1"}},
	} {
		t.Run(tt.moment, func(t *testing.T) {
			dir := t.TempDir()
			dep, orig := copyFixture(t, "merge/is71.toml", dir, "deployment.toml", 0o644)
			snippet := filepath.Join(emitTestdata, "snippets/plain-is71.toml")
			crash(t, tt.moment, "merge", snippet, dep)
			if readFile(t, dep) != string(orig) {
				t.Error("the killed merge changed deployment.toml")
			}
			r := runProcess(t, nil, "merge", snippet, dep)
			if got := tempRE.ReplaceAllString(strings.ReplaceAll(r.stderr, dir, "DIR"), ".wso2ks-${1}N"); r.code != 0 || got != tt.stderr {
				t.Errorf("merge after the crash: exit %d, stderr %q\nwant %q", r.code, got, tt.stderr)
			}
			if got, want := readFile(t, dep), readFile(t, filepath.Join(mergeTestdata, "merge/out/is71+plain-is71.toml")); got != want {
				t.Errorf("merged file differs from pkg/deploytoml's golden file:\n%s", testkit.Diff(want, got))
			}
			assertEntries(t, dir, tt.files...)
		})
	}
}
