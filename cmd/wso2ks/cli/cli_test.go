package cli

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/wso2ks/wso2ks/internal/testkit"
	"github.com/wso2ks/wso2ks/pkg/infile"
)

var testNow = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

// testEnv is the process environment the commands see.
var testEnv = map[string]string{}

// result is what a user sees of one run.
type result struct {
	code           int
	stdout, stderr string
}

// run executes wso2ks in-process with a fixed clock and seeded randomness.
func run(t *testing.T, tty bool, args ...string) result {
	t.Helper()
	var seed [32]byte
	var stdout, stderr bytes.Buffer
	f := &Factory{
		Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr,
		StderrIsTerminal: tty,
		Now:              func() time.Time { return testNow },
		Rand:             rand.NewChaCha8(seed),
		ReadFile:         infile.Read,
		Getenv:           func(name string) (string, bool) { v, ok := testEnv[name]; return v, ok },
	}
	code := Run(f, args)
	return result{code, stdout.String(), stderr.String()}
}

// testdata is absolute because some tests change directory.
var testdata, _ = filepath.Abs("testdata")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	testkit.Golden(t, filepath.Join(testdata, name), []byte(got))
}

// snapshot lists every file below dir with its mode and content hash, so a
// test can tell that nothing changed.
func snapshot(t *testing.T, dir string) string {
	t.Helper()
	var lines []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		info, _ := d.Info()
		rel, _ := filepath.Rel(dir, p)
		line := info.Mode().String() + " " + rel
		if d.Type().IsRegular() { // a FIFO is listed by its mode, not read
			data, _ := os.ReadFile(p)
			line += fmt.Sprintf(" %x", sha256.Sum256(data))
		}
		lines = append(lines, line)
		return nil
	})
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func TestGenerateDefaultBundle(t *testing.T) {
	t.Chdir(t.TempDir())
	r := run(t, false, "generate")
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	golden(t, "generate-default.txt", r.stdout)
	var got []string
	filepath.WalkDir("keystores", func(p string, d fs.DirEntry, err error) error {
		info, _ := d.Info()
		got = append(got, fmt.Sprintf("%v %s", info.Mode(), p))
		return err
	})
	want := []string{
		"drwx------ keystores",
		"drwx------ keystores/default",
		"drwx------ keystores/default/iam",
		"-rw------- keystores/default/iam/deployment.snippet.toml",
		"drwx------ keystores/default/iam/repository",
		"drwx------ keystores/default/iam/repository/resources",
		"drwx------ keystores/default/iam/repository/resources/security",
		"-rw------- keystores/default/iam/repository/resources/security/client-truststore.p12",
		"-rw------- keystores/default/iam/repository/resources/security/internal.p12",
		"-rw------- keystores/default/iam/repository/resources/security/primary.p12",
		"-rw------- keystores/default/iam/repository/resources/security/tls.p12",
		"-rw------- keystores/default/secrets.env",
		"-rw------- keystores/manifest.json",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("bundle:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// Passwords never reach stdout, stderr or the manifest.
	secrets, _ := os.ReadFile("keystores/default/secrets.env")
	manifest, _ := os.ReadFile("keystores/manifest.json")
	for _, line := range strings.Split(string(secrets), "\n") {
		if _, pw, ok := strings.Cut(line, "="); ok && !strings.HasPrefix(line, "#") {
			if strings.Contains(r.stdout+r.stderr+string(manifest), pw) {
				t.Errorf("a password from secrets.env leaked into output or manifest")
			}
		}
	}

	// A second run refuses the non-empty directory and changes nothing.
	before := snapshot(t, "keystores")
	r = run(t, false, "generate")
	if r.code != 2 || r.stdout != "" || r.stderr != "wso2ks: keystores: bundle directory exists and is not empty; choose another -o DIR, or pass --force to replace it\n" {
		t.Errorf("second run: %+v", r)
	}
	if snapshot(t, "keystores") != before {
		t.Error("the refused run changed the bundle")
	}
	// --force replaces it with new keys.
	r = run(t, false, "generate", "--force")
	if r.code != 0 {
		t.Fatalf("--force: %+v", r)
	}
	if snapshot(t, "keystores") == before {
		t.Error("--force did not replace the bundle")
	}
}

func TestGenerateExamplesJSON(t *testing.T) {
	dir := t.TempDir()
	for _, ex := range []string{"single-node", "multi-product"} {
		out := filepath.Join(dir, ex)
		r := run(t, false, "generate", "-f", "../../../examples/"+ex+".toml", "-o", out, "--output", "json")
		if r.code != 0 || r.stderr != "" {
			t.Fatalf("%s: exit %d, stderr %q", ex, r.code, r.stderr)
		}
		if !strings.HasPrefix(r.stdout, "{\n  \"dir\": ") || !strings.Contains(r.stdout, `"sha256": "`) {
			t.Errorf("%s: stdout is not the JSON summary: %.200s", ex, r.stdout)
		}
	}
	manifest, err := os.ReadFile(filepath.Join(dir, "multi-product", "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"path": "dev/iam/repository/resources/security/wssec.p12"`, `"path": "prod/mi/repository/resources/security/tls.jks"`, `"key": "ecdsa-p256"`} {
		if !strings.Contains(string(manifest), want) {
			t.Errorf("manifest lacks %s", want)
		}
	}
	// --env limits the bundle.
	r := run(t, false, "generate", "-f", "../../../examples/multi-product.toml", "-o", filepath.Join(dir, "prod-only"), "--env", "prod")
	if r.code != 0 {
		t.Fatalf("--env prod: %+v", r)
	}
	if _, err := os.Stat(filepath.Join(dir, "prod-only", "dev")); err == nil {
		t.Error("--env prod wrote dev")
	}
}

func TestProgressOnlyOnTerminal(t *testing.T) {
	dir := t.TempDir()
	r := run(t, true, "generate", "-o", filepath.Join(dir, "a"))
	if r.code != 0 || !strings.Contains(r.stderr, "\rgenerating keys 3/3") {
		t.Errorf("terminal: exit %d, stderr %q", r.code, r.stderr)
	}
	r = run(t, false, "generate", "-o", filepath.Join(dir, "b"))
	if r.code != 0 || r.stderr != "" {
		t.Errorf("not a terminal: exit %d, stderr %q", r.code, r.stderr)
	}
}

// TestBadInput: exit 2, exactly one line on stderr, nothing on stdout and
// nothing written.
func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.toml")
	os.WriteFile(bad, []byte("[subject]\norganization = \"X\"\n\n[[product]]\nname = \"iam\"\nkind = \"wso2is\"\nversion = \"7.1.0\"\nhostname = [\"a\"]\n"), 0o644)
	badHost := filepath.Join(dir, "host.toml")
	os.WriteFile(badHost, []byte("[subject]\norganization = \"X\"\n[[product]]\nname = \"iam\"\nkind = \"wso2is\"\nversion = \"7.1.0\"\nhostnames = [\"ok.example.com\", \"iam_1\"]\n"), 0o644)
	out := filepath.Join(dir, "out")
	tests := []struct {
		name   string
		args   []string
		stderr string
	}{
		{"unknown key", []string{"generate", "-f", bad, "-o", out},
			bad + ":8:1: unknown key \"product.hostname\"; did you mean \"hostnames\"? remove it or check its spelling against `wso2ks init`"},
		{"bad hostname", []string{"generate", "-f", badHost, "-o", out},
			badHost + `:7:32: product "iam": hostname "iam_1" is not a valid DNS name (letters, digits and '-' in dot-separated labels of at most 63 characters) or IP address`},
		{"missing file", []string{"generate", "-f", filepath.Join(dir, "nope.toml"), "-o", out},
			filepath.Join(dir, "nope.toml") + ": no such topology file; check the -f path, or run 'wso2ks init -o " + filepath.Join(dir, "nope.toml") + "' to write a starter"},
		{"unknown env", []string{"generate", "--env", "prod", "-o", out},
			`<default topology>: no environment "prod"; give --env one of: default`},
		{"unknown flag", []string{"generate", "--bogus"},
			"wso2ks: generate: unknown flag: --bogus; see 'wso2ks generate --help'"},
		{"bad output", []string{"plan", "--output", "yaml"},
			`wso2ks: --output "yaml" is not a format; give text or json`},
		{"extra argument", []string{"generate", "topology.toml"},
			`wso2ks: generate takes no arguments, got "topology.toml"; see 'wso2ks generate --help'`},
		{"unknown kind", []string{"init", "--kind", "wso2esb"},
			`wso2ks: --kind "wso2esb" is unknown; use wso2is, wso2am or wso2mi`},
		{"unknown command", []string{"generat"},
			`wso2ks: unknown command "generat" for "wso2ks"; did you mean 'generate'? see 'wso2ks --help'`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, false, tt.args...)
			if r.code != 2 {
				t.Errorf("exit %d, want 2", r.code)
			}
			if r.stderr != tt.stderr+"\n" {
				t.Errorf("stderr:\n%q\nwant:\n%q", r.stderr, tt.stderr+"\n")
			}
			if r.stdout != "" {
				t.Errorf("stdout: %q", r.stdout)
			}
			if _, err := os.Stat(out); err == nil {
				t.Error("bad input wrote the bundle directory")
			}
		})
	}
}

func TestPlanGolden(t *testing.T) {
	for _, tt := range []struct{ name, file string }{
		{"default", ""},
		{"single-node", "../../../examples/single-node.toml"},
		{"multi-product", "../../../examples/multi-product.toml"},
		{"vault", "../../../examples/vault.toml"},
		{"internal-ca", "testdata/internal-ca.toml"},
	} {
		for _, output := range []string{"text", "json"} {
			t.Run(tt.name+"-"+output, func(t *testing.T) {
				args := []string{"plan", "--output", output}
				if tt.file != "" {
					args = append(args, "-f", tt.file)
				}
				r := run(t, false, args...)
				if r.code != 0 || r.stderr != "" {
					t.Fatalf("exit %d: %s", r.code, r.stderr)
				}
				again := run(t, false, args...)
				if again.stdout != r.stdout {
					t.Error("two plans differ")
				}
				ext := map[string]string{"text": "txt", "json": "json"}[output]
				golden(t, "plan-"+tt.name+"."+ext, r.stdout)
			})
		}
	}
}

func TestInit(t *testing.T) {
	dir := t.TempDir()
	for _, kind := range []string{"wso2is", "wso2am", "wso2mi"} {
		r := run(t, false, "init", "--kind", kind)
		if r.code != 0 || r.stderr != "" {
			t.Fatalf("%s: %+v", kind, r)
		}
		golden(t, "init-"+kind+".toml", r.stdout)
		file := filepath.Join(dir, kind+".toml")
		wantOut := "wrote " + file + "\nnext: edit " + file + " (its comments say what each key does; wso2ks help topology lists them)\n" +
			"next: wso2ks plan -f " + file + ", then wso2ks generate -f " + file + " -o keystores\n"
		if r := run(t, false, "init", "--kind", kind, "-o", file); r.code != 0 || r.stdout != wantOut {
			t.Fatalf("init -o: %+v", r)
		}
		// What init writes, plan accepts.
		if r := run(t, false, "plan", "-f", file); r.code != 0 {
			t.Errorf("plan of the %s starter: %+v", kind, r)
		}
		// An existing file is not overwritten.
		r = run(t, false, "init", "--kind", kind, "-o", file)
		if r.code != 2 || r.stderr != "wso2ks: "+file+" exists; choose another -o or pass --force to overwrite it\n" {
			t.Errorf("init over an existing file: %+v", r)
		}
	}
}
