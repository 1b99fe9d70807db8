package cli

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/internal/testca"
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
	step(1, "rotate", vault, "--product", "iam")
	step(1, "rotate", vault, "--product", "iam", "--finish")
	step(1, "csr", vault, "--product", "apim")
	chain := filepath.Join(tmp, "chain.pem")
	if err := os.Rename(signCSR(t, testca.New(t, testNow, "Corp"), filepath.Join(vault, "default", "apim", "tls.csr"), nil), chain); err != nil {
		t.Fatal(err)
	}
	step(1, "import-cert", vault, chain, "--product", "apim")
	for _, dir := range []string{vault, k8sDir, envDir} {
		for _, pw := range bundlePasswords(t, dir) {
			if strings.Contains(b.String(), pw) {
				t.Errorf("a password of %s is in the next steps", dir)
			}
		}
	}
	golden(t, "next-steps.txt", b.String())
}

// writers are the ways to run a command that writes files, by the command
// and the flags that make it write something else (init writes only with
// -o); readOnly are the commands that write nothing. Every command of the
// tree is in one of them, so a new command must be placed.
var (
	writers = map[string][][]string{
		"generate":    {{}, {"--update"}, {"--k8s"}},
		"k8s":         {{}},
		"install":     {{}},
		"merge":       {{}},
		"renew":       {{}},
		"rotate":      {{}, {"--finish"}},
		"csr":         {{}},
		"import-cert": {{}},
		"init":        {{"-o"}},
	}
	readOnly = []string{"", "plan", "verify", "inspect", "version", "rules", "topology",
		"completion", "completion bash", "completion fish", "completion powershell", "completion zsh"}
)

// TestNextStepsCoverEveryWriter: next-steps.txt runs every way to write of
// every command that writes: a '$ wso2ks CMD' line whose mode flags (the
// flags that tell CMD's ways apart) are exactly that way's.
func TestNextStepsCoverEveryWriter(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(testdata, "next-steps.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range visibleCommands(NewCmdRoot(&Factory{})) {
		path := commandPath(c)
		ways, writes := writers[path]
		if !writes {
			if !slices.Contains(readOnly, path) {
				t.Errorf("wso2ks %s is neither in writers nor in readOnly: if it writes files, add it to writers and a step to TestNextSteps", path)
			}
			continue
		}
		modes := map[string]bool{} // the long names of CMD's mode flags
		for _, way := range ways {
			for _, token := range way {
				f := flagOf(c, token)
				if f == nil {
					t.Fatalf("wso2ks %s has no flag %s", path, token)
				}
				modes[f.Name] = true
			}
		}
		for _, way := range ways {
			want := map[string]bool{}
			for _, token := range way {
				want[flagOf(c, token).Name] = true
			}
			found := false
			for _, line := range strings.Split(string(data), "\n") {
				args, ok := strings.CutPrefix(line, "$ wso2ks "+path+" ")
				if !ok {
					continue
				}
				got := map[string]bool{}
				for _, token := range flagsIn(args) {
					if f := flagOf(c, token); f != nil && modes[f.Name] {
						got[f.Name] = true
					}
				}
				if maps.Equal(got, want) {
					found = true
					break
				}
			}
			if !found {
				t.Errorf("next-steps.txt has no step 'wso2ks %s' (add one to TestNextSteps)", strings.TrimSpace(path+" "+strings.Join(way, " ")))
			}
		}
	}
}
