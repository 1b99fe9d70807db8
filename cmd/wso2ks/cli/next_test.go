package cli

import (
	"path/filepath"
	"strings"
	"testing"
)

// splitNext cuts the block of "next: " lines that ends what a writing
// command prints off its stdout.
func splitNext(stdout string) (body, next string) {
	lines := strings.SplitAfter(stdout, "\n")
	i := len(lines)
	for i > 0 && (lines[i-1] == "" || strings.HasPrefix(lines[i-1], "next: ")) {
		i--
	}
	return strings.Join(lines[:i], ""), strings.Join(lines[i:], "")
}

// TestNextSteps: every writing command ends with its next steps, specific
// to what it wrote: the env/product names, the password mode, the
// manifests a renewal makes stale. The goldens hold whole outputs, so a
// step that goes missing or names the wrong product fails.
func TestNextSteps(t *testing.T) {
	tmp := t.TempDir()
	vault, k8sDir, envDir := filepath.Join(tmp, "vault"), filepath.Join(tmp, "k8s"), filepath.Join(tmp, "env")
	mask := map[string]string{tmp: "$TMP"}
	var b strings.Builder
	step := func(days int, args ...string) {
		t.Helper()
		r := runAt(t, testNow.AddDate(0, 0, days), args...)
		if r.code != 0 || r.stderr != "" {
			t.Fatalf("%s: exit %d, stderr %q", strings.Join(args, " "), r.code, r.stderr)
		}
		if _, next := splitNext(r.stdout); next == "" {
			t.Errorf("%s printed no next steps:\n%s", strings.Join(args, " "), r.stdout)
		}
		b.WriteString(masked("$ wso2ks "+strings.Join(args, " ")+"\n"+r.stdout, mask))
	}
	step(0, "generate", "-f", "../../../examples/vault.toml", "-o", vault)
	step(0, "generate", "-f", "../../../examples/kubernetes.toml", "-o", k8sDir, "--k8s", "--helm", "--namespace", "wso2")
	step(380, "renew", vault, "--env", "default", "--product", "mi")
	step(380, "renew", k8sDir, "--within", "30d")
	step(380, "k8s", k8sDir, "--helm", "--force", "--namespace", "wso2")
	step(0, "generate", "-f", isTopology(t, tmp, "env", `hostnames = ["localhost"]`), "-o", envDir)
	step(0, "install", "--bundle", envDir, "--home", fakeHome(t, filepath.Join(tmp, "a"), "wso2is-7.1.0", "wso2is"))
	other := fakeHome(t, filepath.Join(tmp, "b"), "wso2is-7.1.0", "wso2is")
	step(0, "merge", filepath.Join(envDir, "default/iam/deployment.snippet.toml"), filepath.Join(other, "repository/conf/deployment.toml"))
	step(0, "generate", "-f", isTopology(t, tmp, "env", `hostnames = ["localhost", "iam.example.com"]`), "--update", envDir)
	step(0, "init", "--kind", "wso2mi", "-o", filepath.Join(tmp, "mi.toml"))
	for _, dir := range []string{vault, k8sDir, envDir} {
		for _, pw := range bundlePasswords(t, dir) {
			if strings.Contains(b.String(), pw) {
				t.Errorf("a password of %s is in the next steps", dir)
			}
		}
	}
	golden(t, "next-steps.txt", b.String())
}
