package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// kubernetesExample: one product of each kind at the version WSO2's current
// chart deploys, in environment dev.
const kubernetesExample = "../../../examples/kubernetes.toml"

// TestK8sHelm walks the life of a bundle's overlays as a user meets it:
// `k8s --helm` after `generate --k8s` adds them beside the same Secrets;
// after renew the Secrets are stale and the run is refused until --force;
// an edited overlay is not replaced without --force.
func TestK8sHelm(t *testing.T) {
	dir := t.TempDir()
	ks := filepath.Join(dir, "ks")
	if r := run(t, false, "generate", "-f", kubernetesExample, "-o", ks, "--k8s"); r.code != 0 {
		t.Fatalf("generate --k8s: %+v", r)
	}
	passwords := bundlePasswords(t, ks)
	out := filepath.Join(ks, "k8s")
	manifests := readTree(t, out)

	r := run(t, false, "k8s", ks, "--helm")
	checkNoPassword(t, r, passwords)
	if r.code != 0 || !strings.Contains(r.stdout, "  dev/apim-values.yaml\n") || !strings.Contains(r.stdout, "next: dev/apim: helm upgrade --install apim wso2/wso2am-all-in-one --version 4.7.0-1 --reuse-values -f "+filepath.Join(out, "dev", "apim-values.yaml")+"\n") {
		t.Fatalf("k8s --helm: %+v", r)
	}
	if strings.Contains(r.stdout, "roll its pods") {
		t.Errorf("k8s --helm beside the same Secrets says to roll the pods:\n%s", r.stdout)
	}
	withValues := readTree(t, out)
	for name, data := range manifests {
		if withValues[name] != data {
			t.Errorf("adding the overlays changed %s", name)
		}
	}
	for _, product := range []string{"iam", "apim", "mi"} {
		name := "dev/" + product + "-values.yaml"
		st, err := os.Stat(filepath.Join(out, name))
		if err != nil || st.Mode().Perm() != 0o600 || withValues[name] == "" {
			t.Errorf("%s: %v, %v", name, st, err)
		}
	}
	if len(withValues) != len(manifests)+3 {
		t.Errorf("%d files with the overlays, want %d", len(withValues), len(manifests)+3)
	}

	// Without --helm the overlays would be dropped: refused, with the fix.
	before := snapshot(t, ks)
	r = run(t, false, "k8s", ks)
	if want := "wso2ks: " + out + " was written with --helm: it holds " + filepath.Join(out, "dev", "apim-values.yaml") +
		"; add --helm (and the same --apim-chart) to keep the overlays, or pass --force to drop them\n"; r.code != 2 || r.stdout != "" || r.stderr != want {
		t.Errorf("k8s without --helm: %+v\nwant stderr %q", r, want)
	}
	if snapshot(t, ks) != before {
		t.Error("the refused run changed the bundle")
	}

	// renew re-issues the certificates: the Secrets in ks/k8s are stale.
	if r := run(t, false, "renew", ks, "--within", "3650d"); r.code != 0 {
		t.Fatalf("renew: %+v", r)
	}
	before = snapshot(t, ks)
	r = run(t, false, "k8s", ks, "--helm")
	checkNoPassword(t, r, passwords)
	want := "wso2ks: " + filepath.Join(out, "dev", "apim-keystores.yaml") + " is stale against the bundle " + ks +
		", which changed since it was written (renew, rotate or generate --update) or was written with another --namespace; pass --force to rewrite the manifests, then kubectl apply them and roll the pods (docs/kubernetes.md)\n"
	if r.code != 2 || r.stdout != "" || r.stderr != want {
		t.Errorf("stale Secrets: %+v\nwant stderr %q", r, want)
	}
	if snapshot(t, ks) != before {
		t.Error("the refused run changed the bundle")
	}
	r = run(t, false, "k8s", ks, "--helm", "--force")
	if r.code != 0 {
		t.Fatalf("--force: %+v", r)
	}
	for _, ep := range []string{"dev/iam", "dev/apim", "dev/mi"} {
		if want := "next: " + ep + ": roll its pods unless they roll by themselves (kubectl rollout restart): they keep the old stores until they restart\n"; strings.Count(r.stdout, want) != 1 {
			t.Errorf("--force after renew: want once %q in\n%s", want, r.stdout)
		}
	}
	if renewed := readTree(t, out); renewed["dev/mi-keystores.yaml"] == withValues["dev/mi-keystores.yaml"] || renewed["dev/mi-values.yaml"] == withValues["dev/mi-values.yaml"] {
		t.Error("--force after renew did not rewrite the Secrets and the overlays")
	}

	// An overlay the operator edited is theirs.
	values := filepath.Join(out, "dev", "mi-values.yaml")
	data, err := os.ReadFile(values)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(values, append(data, "replicaCount: 2\n"...), 0o600); err != nil {
		t.Fatal(err)
	}
	before = snapshot(t, ks)
	r = run(t, false, "k8s", ks, "--helm")
	if want := "wso2ks: " + values + " is not the values overlay wso2ks writes for " + ks + " now (edited, or the bundle changed since); pass --force to replace " + out + ", or choose another -o DIR\n"; r.code != 2 || r.stderr != want {
		t.Errorf("edited overlay: %+v\nwant stderr %q", r, want)
	}
	if snapshot(t, ks) != before {
		t.Error("the refused run changed the bundle")
	}
}

// readTree maps the path of every file under dir, slash-separated, to its
// content.
func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestK8sHelmBadInput: a product the chart cannot serve, an unknown chart
// or a flag out of place: exit 2, one line with the fix, nothing written.
func TestK8sHelmBadInput(t *testing.T) {
	dir := t.TempDir()
	topology := filepath.Join(dir, "topology.toml")
	example, err := os.ReadFile(kubernetesExample)
	if err != nil {
		t.Fatal(err)
	}
	old := strings.Replace(string(example), `version = "4.7.0"`, `version = "4.5.0"`, 1)
	if err := os.WriteFile(topology, []byte(old), 0o600); err != nil {
		t.Fatal(err)
	}
	ks := filepath.Join(dir, "ks")
	if r := run(t, false, "generate", "-f", topology, "-o", ks); r.code != 0 {
		t.Fatalf("generate: %+v", r)
	}
	version := `product "apim" in environment "dev" is WSO2 API Manager 4.5.0, which WSO2's wso2am-all-in-one chart does not deploy (release 4.7.0-1 deploys 4.7.0); set the product's version to 4.7.0 in the topology and regenerate, or leave out --helm`
	for _, tc := range []struct {
		name   string
		args   []string
		stderr string
	}{
		{"version the chart does not deploy", []string{"k8s", ks, "--helm"}, "wso2ks: " + ks + ": " + version},
		{"generate, version the chart does not deploy", []string{"generate", "-f", topology, "-o", filepath.Join(dir, "new"), "--k8s", "--helm"}, "wso2ks: kubernetes manifests: " + version},
		{"unknown chart", []string{"k8s", ks, "--helm", "--apim-chart", "nope"},
			`wso2ks: --apim-chart "nope" is not one of WSO2's APIM charts; use all-in-one, control-plane, gateway, key-manager, traffic-manager`},
		{"chart without --helm", []string{"k8s", ks, "--apim-chart", "gateway"}, "wso2ks: --apim-chart goes with --helm"},
		{"--helm without --k8s", []string{"generate", "-f", topology, "-o", filepath.Join(dir, "new"), "--helm"},
			"wso2ks: --helm goes with --k8s: the values overlays name the Secrets --k8s writes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := snapshot(t, dir)
			r := run(t, false, tc.args...)
			if r.code != 2 || r.stdout != "" || r.stderr != tc.stderr+"\n" {
				t.Errorf("%+v\nwant stderr %q", r, tc.stderr+"\n")
			}
			if snapshot(t, dir) != before {
				t.Error("the refused run wrote something")
			}
		})
	}
}
