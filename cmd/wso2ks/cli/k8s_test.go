package cli

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/pkg/bundle"
)

// generateBundle writes the default bundle into a new directory.
func generateBundle(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "bundle")
	if r := run(t, false, "generate", "-o", dir); r.code != 0 {
		t.Fatalf("generate: %+v", r)
	}
	return dir
}

// bundlePasswords are the values of every secrets.env of the bundle at dir.
func bundlePasswords(t *testing.T, dir string) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*", bundle.SecretsName))
	var out []string
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		vars, err := bundle.ParseSecretsEnv(data)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range vars {
			out = append(out, v)
		}
	}
	if len(out) == 0 {
		t.Fatal("the bundle has no passwords")
	}
	return out
}

func checkNoPassword(t *testing.T, r result, passwords []string) {
	t.Helper()
	for _, pw := range passwords {
		if strings.Contains(r.stdout+r.stderr, pw) {
			t.Errorf("a password of secrets.env is on stdout or stderr")
		}
	}
}

func TestK8sCommand(t *testing.T) {
	dir := generateBundle(t)
	passwords := bundlePasswords(t, dir)
	out := filepath.Join(dir, "k8s")

	r := run(t, false, "k8s", dir)
	checkNoPassword(t, r, passwords)
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	golden(t, "k8s/stdout.txt", strings.ReplaceAll(r.stdout, dir, "BUNDLE"))
	var got []string
	filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, _ := d.Info()
		rel, _ := filepath.Rel(out, p)
		got = append(got, fmt.Sprintf("%v %s", info.Mode(), rel))
		return nil
	})
	want := []string{
		"drwx------ .",
		"drwx------ default",
		"-rw------- default/iam-config.yaml",
		"-rw------- default/iam-keystores.yaml",
		"-rw------- default/iam-passwords.yaml",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("k8s directory:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for file, want := range map[string]string{
		"default/iam-keystores.yaml": "kind: Secret\nmetadata:\n  name: \"wso2ks-default-iam-keystores\"\n",
		"default/iam-passwords.yaml": "kind: Secret\nmetadata:\n  name: \"wso2ks-default-iam-passwords\"\n",
		// The default topology is in plain mode: the snippet holds passwords.
		"default/iam-config.yaml": "kind: Secret\nmetadata:\n  name: \"wso2ks-default-iam-config\"\n",
	} {
		data, _ := os.ReadFile(filepath.Join(out, file))
		if !strings.Contains(string(data), want) {
			t.Errorf("%s lacks %q", file, want)
		}
	}

	// A second run finds the manifests current: nothing would be lost, so
	// it rewrites them, byte for byte, without --force.
	before := snapshot(t, dir)
	r = run(t, false, "k8s", dir)
	checkNoPassword(t, r, passwords)
	if r.code != 0 || r.stderr != "" || snapshot(t, dir) != before {
		t.Errorf("second run: %+v, or the manifests changed", r)
	}
	// A file 'wso2ks k8s' does not write makes the directory someone
	// else's: refused, and nothing changes.
	foreign := filepath.Join(out, "default", "notes.txt")
	if err := os.WriteFile(foreign, []byte("mine\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	withForeign := snapshot(t, dir)
	r = run(t, false, "k8s", dir)
	checkNoPassword(t, r, passwords)
	if r.code != 2 || r.stdout != "" || r.stderr != "wso2ks: "+out+" exists and holds "+foreign+", which 'wso2ks k8s' does not write; choose another -o DIR, or pass --force to replace it\n" {
		t.Errorf("run with a foreign file: %+v", r)
	}
	if snapshot(t, dir) != withForeign {
		t.Error("the refused run changed the bundle")
	}
	if err := os.Remove(foreign); err != nil {
		t.Fatal(err)
	}
	// --force rewrites it: the same bundle gives the same bytes.
	r = run(t, false, "k8s", dir, "--force")
	checkNoPassword(t, r, passwords)
	if r.code != 0 || snapshot(t, dir) != before {
		t.Errorf("--force: exit %d, or the manifests changed", r.code)
	}

	// -o elsewhere, with a namespace.
	other := filepath.Join(t.TempDir(), "manifests")
	r = run(t, false, "k8s", dir, "-o", other, "--namespace", "wso2-prod")
	checkNoPassword(t, r, passwords)
	if r.code != 0 || !strings.HasPrefix(r.stdout, "wrote "+other+" ") {
		t.Fatalf("-o: %+v", r)
	}
	data, err := os.ReadFile(filepath.Join(other, "default", "iam-keystores.yaml"))
	if err != nil || !strings.Contains(string(data), "  namespace: \"wso2-prod\"\n") {
		t.Errorf("-o --namespace: %v, %.300s", err, data)
	}
}

// TestK8sBadInput: exit 2, one line on stderr naming the problem, nothing
// on stdout, nothing written and the bundle unchanged.
func TestK8sBadInput(t *testing.T) {
	good := generateBundle(t)
	tmp := t.TempDir()
	copyBundle := func(name string) string {
		dst := filepath.Join(tmp, name)
		if err := os.CopyFS(dst, os.DirFS(good)); err != nil {
			t.Fatal(err)
		}
		return dst
	}
	empty := filepath.Join(tmp, "empty")
	os.Mkdir(empty, 0o700)
	corrupt := copyBundle("corrupt")
	os.WriteFile(filepath.Join(corrupt, "manifest.json"), []byte(`{"stores": [`), 0o600)
	noStore := copyBundle("no-store")
	os.Remove(filepath.Join(noStore, "default/iam/repository/resources/security/tls.p12"))
	noSecrets := copyBundle("no-secrets")
	os.Remove(filepath.Join(noSecrets, "default/secrets.env"))
	file := filepath.Join(tmp, "file")
	os.WriteFile(file, []byte("x"), 0o600)
	passwords := bundlePasswords(t, good)

	tests := []struct {
		name   string
		args   []string
		stderr string
	}{
		{"no argument", []string{"k8s"},
			"wso2ks: k8s takes one bundle directory, got 0 arguments; see 'wso2ks k8s --help'"},
		{"two arguments", []string{"k8s", good, good},
			"wso2ks: k8s takes one bundle directory, got 2 arguments; see 'wso2ks k8s --help'"},
		{"missing directory", []string{"k8s", filepath.Join(tmp, "nope")},
			"wso2ks: " + filepath.Join(tmp, "nope") + ": no such bundle directory; give the directory 'wso2ks generate -o' wrote"},
		{"a file", []string{"k8s", file},
			"wso2ks: " + file + " is a file, not a bundle directory"},
		{"no manifest.json", []string{"k8s", empty},
			"wso2ks: " + empty + " has no manifest.json; give the directory 'wso2ks generate -o' wrote"},
		{"corrupt manifest.json", []string{"k8s", corrupt},
			"wso2ks: " + corrupt + "/manifest.json:1: unexpected end of JSON input; regenerate the bundle with 'wso2ks generate'"},
		{"store missing", []string{"k8s", noStore},
			"wso2ks: " + noStore + "/default/iam/repository/resources/security/tls.p12 is missing; regenerate the bundle with 'wso2ks generate'"},
		{"secrets.env missing", []string{"k8s", noSecrets},
			"wso2ks: " + noSecrets + "/default/secrets.env is missing; regenerate the bundle with 'wso2ks generate'"},
		{"bad namespace", []string{"k8s", good, "--namespace", "Prod_1"},
			`wso2ks: --namespace "Prod_1" is not a valid Kubernetes namespace: give at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit`},
		{"long namespace", []string{"k8s", good, "-n", strings.Repeat("a", 64)},
			`wso2ks: --namespace "` + strings.Repeat("a", 64) + `" is not a valid Kubernetes namespace: give at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit`},
		{"-o is the bundle", []string{"k8s", good, "-o", good, "--force"},
			"wso2ks: -o " + good + " holds the bundle's manifest.json; choose a directory outside the bundle's files, such as the default " + good + "/k8s"},
		{"-o inside the bundle's files", []string{"k8s", good, "-o", good + "/default/", "--force"},
			"wso2ks: -o " + good + "/default/ holds the bundle's default/iam/repository/resources/security/primary.p12; choose a directory outside the bundle's files, such as the default " + good + "/k8s"},
		{"-o is a file", []string{"k8s", good, "-o", file},
			"wso2ks: " + file + " is a file, not a directory; choose another -o DIR"},
		{"unknown flag", []string{"k8s", good, "--bogus"},
			"wso2ks: k8s: unknown flag: --bogus; see 'wso2ks k8s --help'"},
	}
	before := snapshot(t, tmp)
	goodBefore := snapshot(t, good)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, false, tt.args...)
			checkNoPassword(t, r, passwords)
			if r.code != 2 {
				t.Errorf("exit %d, want 2", r.code)
			}
			if r.stderr != tt.stderr+"\n" {
				t.Errorf("stderr:\n%q\nwant:\n%q", r.stderr, tt.stderr+"\n")
			}
			if r.stdout != "" {
				t.Errorf("stdout: %q", r.stdout)
			}
			if snapshot(t, tmp) != before || snapshot(t, good) != goodBefore {
				t.Error("bad input wrote or changed files")
			}
		})
	}
}

// TestK8sRunF: the command fills its options and defaults -o to BUNDLE/k8s.
func TestK8sRunF(t *testing.T) {
	var got *K8sOptions
	cmd := NewCmdK8s(&Factory{}, func(o *K8sOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"some/bundle", "-n", "wso2", "--force"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.Bundle != "some/bundle" || got.Dir != filepath.Join("some/bundle", "k8s") || got.Namespace != "wso2" || !got.Force {
		t.Errorf("options %+v", got)
	}
}
