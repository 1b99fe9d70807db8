package cli

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestREADMEKubernetes runs the README's Kubernetes section as it is
// written: every ./wso2ks command succeeds, and every kubectl and helm
// command names what those wrote — the directory kubectl applies, the
// values file of each helm install and upgrade, whose header names the
// same chart and release, and the deployment the IS chart makes of the
// release (its fullname, RELEASE-identity-server). Each helm line is, up to
// the values the reader adds (--set), a helm line the ./wso2ks commands
// print under next:, so the README and the next steps say one thing.
func TestREADMEKubernetes(t *testing.T) {
	readme, err := os.ReadFile("../../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	example, err := os.ReadFile("../../../examples/kubernetes.toml")
	if err != nil {
		t.Fatal(err)
	}
	blocks := fencedBlocks(markdownSection(string(readme), "## Kubernetes with WSO2's Helm charts"))
	if len(blocks) != 2 || blocks[0].info != "sh" || blocks[1].info != "sh" {
		t.Fatalf("the README's Kubernetes section has %d code blocks; want two sh blocks (deploy, then renew and roll)", len(blocks))
	}
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.Mkdir("examples", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("examples", "kubernetes.toml"), example, 0o644); err != nil {
		t.Fatal(err)
	}
	releases := map[string]string{} // release → chart
	counts := map[string]int{}
	var nextHelm []string // the helm commands of the next: lines
	for _, block := range blocks {
		for _, line := range strings.Split(block.text, "\n") {
			line, _, _ = strings.Cut(line, "#")
			args := strings.Fields(line)
			if len(args) == 0 {
				continue
			}
			counts[args[0]]++
			switch {
			case args[0] == "./wso2ks":
				r := run(t, false, args[1:]...)
				if r.code != 0 {
					t.Fatalf("%s: exit %d, stderr %q", line, r.code, r.stderr)
				}
				for _, l := range strings.Split(r.stdout, "\n") {
					if _, cmd, ok := strings.Cut(l, ": helm "); ok && strings.HasPrefix(l, "next: ") {
						nextHelm = append(nextHelm, "helm "+cmd)
					}
				}
			case args[0] == "kubectl" && args[1] == "apply":
				if st, err := os.Stat(flagValue(args, "-f")); err != nil || !st.IsDir() {
					t.Errorf("%s: applies what wso2ks did not write: %v", line, err)
				}
			case args[0] == "kubectl" && args[1] == "rollout":
				if release := strings.TrimSuffix(strings.TrimPrefix(args[3], "deployment/"), "-identity-server"); releases[release] != "wso2/identity-server" {
					t.Errorf("%s: restarts no deployment of an identity-server release (%v)", line, releases)
				}
			case args[0] == "helm" && args[1] == "upgrade":
				if args[2] != "--install" || flagValue(args, "--reuse-values") != "-f" {
					t.Errorf("%s: not 'helm upgrade --install ... --reuse-values -f', the one form that installs and upgrades", line)
				}
				if !slices.ContainsFunc(nextHelm, func(n string) bool { return strings.HasPrefix(strings.Join(args, " "), n) }) {
					t.Errorf("%s: no next: line of wso2ks says it; they say\n%s", line, strings.Join(nextHelm, "\n"))
				}
				release, chart, version := args[3], args[4], flagValue(args, "--version")
				releases[release] = chart
				values, err := os.ReadFile(flagValue(args, "-f"))
				if err != nil {
					t.Errorf("%s: %v", line, err)
					continue
				}
				if want := "# wso2ks: values for WSO2's " + strings.TrimPrefix(chart, "wso2/") + " Helm chart " + version + ", "; !strings.HasPrefix(string(values), want) {
					t.Errorf("%s: the values file is not for that chart and release; its header:\n%.200s", line, values)
				}
				if flagValue(args, "-n") != "wso2" || !strings.Contains(string(values), " -n wso2 --reuse-values -f ") {
					t.Errorf("%s: not in the namespace the manifests name", line)
				}
			}
		}
	}
	if counts["./wso2ks"] < 3 || counts["helm"] < 7 || counts["kubectl"] < 4 {
		t.Errorf("the section runs %v; want generate, renew and k8s, helm repo/install/upgrade for IS, APIM and MI, kubectl apply and rollout", counts)
	}
}

// flagValue is the argument after flag in args, "" when there is none.
func flagValue(args []string, flag string) string {
	for i, a := range args[:len(args)-1] {
		if a == flag {
			return args[i+1]
		}
	}
	return ""
}
