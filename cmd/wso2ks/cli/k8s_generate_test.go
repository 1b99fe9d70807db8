package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestGenerateK8s: generate --k8s writes the same manifests as the k8s
// command over the bundle.
func TestGenerateK8s(t *testing.T) {
	dir := t.TempDir()
	bundle := filepath.Join(dir, "ks")
	if r := run(t, false, "generate", "-o", bundle, "--k8s", "--namespace", "wso2"); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	out := filepath.Join(dir, "again")
	if r := run(t, false, "k8s", bundle, "-o", out, "--namespace", "wso2"); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	for _, name := range []string{"iam-keystores.yaml", "iam-passwords.yaml", "iam-config.yaml"} {
		a, err := os.ReadFile(filepath.Join(bundle, "k8s", "default", name))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := os.ReadFile(filepath.Join(out, "default", name))
		if !bytes.Equal(a, b) {
			t.Errorf("%s: generate --k8s and k8s differ", name)
		}
		if !bytes.Contains(a, []byte("namespace: \"wso2\"")) && !bytes.Contains(a, []byte("namespace: wso2")) {
			t.Errorf("%s has no namespace", name)
		}
	}
	r := run(t, false, "generate", "-o", filepath.Join(dir, "x"), "--namespace", "wso2")
	if r.code != 2 || r.stderr != "wso2ks: --namespace goes with --k8s\n" {
		t.Errorf("--namespace without --k8s: %+v", r)
	}
	r = run(t, false, "generate", "-o", filepath.Join(dir, "x"), "--k8s", "--namespace", "Bad_NS")
	if r.code != 2 || r.stderr != "wso2ks: --namespace \"Bad_NS\" is not a valid Kubernetes namespace: give at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit\n" {
		t.Errorf("bad namespace: %+v", r)
	}
}
