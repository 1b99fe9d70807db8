package cli

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// walkRow is how TestEveryCommandRefusesOneLine calls one command: args, a
// whole valid call, to which a misspelt flag (meaning the flag means), a
// wrong --env or a wrong --product is added last: a flag given once takes
// the last value, a repeatable one is checked value by value. env and prod
// say whether the command takes --env and --product; one that does not is
// called with them anyway, an unknown flag refused in one line.
type walkRow struct {
	args      []string
	typo      []string
	means     string
	env, prod bool
	envFile   string // the file a wrong --env is refused against
}

// TestEveryCommandRefusesOneLine walks every command of wso2ks (a command
// added without a row fails) and gives each a misspelt flag, a wrong --env
// and a wrong --product: each is one line on stderr after "wso2ks:" or the
// file at fault, with a suggestion, exit 2, nothing on stdout, no password
// of the bundle, and nothing written.
func TestEveryCommandRefusesOneLine(t *testing.T) {
	dir := t.TempDir()
	topo := "../../../examples/multi-product.toml"
	b := filepath.Join(dir, "b")
	if r := run(t, false, "generate", "-f", topo, "-o", b); r.code != 0 {
		t.Fatalf("generate: %+v", r)
	}
	manifest := filepath.Join(b, "manifest.json")
	chain := filepath.Join(dir, "chain.pem")
	dep := filepath.Join(dir, "deployment.toml")
	for file, body := range map[string]string{chain: "the CA's answer\n", dep: "[server]\nhostname = \"x\"\n"} {
		if err := os.WriteFile(file, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	home := fakeHome(t, dir, "wso2is-7.1.0", "wso2is")
	var passwords []string
	for _, env := range []string{"dev", "prod"} {
		for _, v := range readSecretsEnv(t, filepath.Join(b, env, "secrets.env")) {
			passwords = append(passwords, v)
		}
	}
	if len(passwords) == 0 {
		t.Fatal("the bundle's secrets.env hold no password")
	}
	out := filepath.Join(dir, "out")
	completion := walkRow{typo: []string{"--no-descriptons"}, means: "--no-descriptions"}
	rows := map[string]walkRow{
		"csr":                   {args: []string{b, "--env", "dev", "--product", "iam"}, typo: []string{"--prodct", "iam"}, means: "--product", env: true, prod: true, envFile: manifest},
		"generate":              {args: []string{"-f", topo, "-o", out, "--env", "dev"}, typo: []string{"--evn", "dev"}, means: "--env", env: true, envFile: topo},
		"import-cert":           {args: []string{b, chain, "--product", "iam", "--env", "dev"}, typo: []string{"--evn", "dev"}, means: "--env", env: true, prod: true, envFile: manifest},
		"init":                  {args: []string{"-o", filepath.Join(dir, "init.toml")}, typo: []string{"--knd", "wso2am"}, means: "--kind"},
		"inspect":               {args: []string{b}, typo: []string{"--srot", "expiry"}, means: "--sort"},
		"install":               {args: []string{"--bundle", b, "--home", home, "--env", "dev", "--product", "iam"}, typo: []string{"--bundel", b}, means: "--bundle", env: true, prod: true, envFile: manifest},
		"k8s":                   {args: []string{b, "-o", out}, typo: []string{"--namspace", "x"}, means: "--namespace"},
		"merge":                 {args: []string{filepath.Join(b, "dev", "iam", "deployment.snippet.toml"), dep}, typo: []string{"--dry-rn"}, means: "--dry-run"},
		"plan":                  {args: []string{"-f", topo, "--env", "dev"}, typo: []string{"--evn", "dev"}, means: "--env", env: true, envFile: topo},
		"renew":                 {args: []string{b, "--env", "dev", "--product", "iam"}, typo: []string{"--withn", "30d"}, means: "--within", env: true, prod: true, envFile: manifest},
		"rotate":                {args: []string{b, "--product", "iam", "--env", "dev"}, typo: []string{"--finsh"}, means: "--finish", env: true, prod: true, envFile: manifest},
		"verify":                {args: []string{b, "--connect", "--env", "dev", "--product", "iam"}, typo: []string{"--quite"}, means: "--quiet", env: true, prod: true, envFile: manifest},
		"version":               {typo: []string{"--outpt", "json"}, means: "--output"},
		"completion":            {typo: []string{"--hlp"}, means: "--help"},
		"completion bash":       completion,
		"completion zsh":        completion,
		"completion fish":       completion,
		"completion powershell": completion,
	}

	for _, name := range commandPaths(NewCmdRoot(&Factory{})) {
		row, ok := rows[name]
		if !ok {
			if strings.HasPrefix(name, "completion ") {
				continue // completion's shells are optional rows
			}
			t.Errorf("wso2ks %s has no row: add one saying how it is called and whether it takes --env and --product", name)
			continue
		}
		words := strings.Fields(name)
		call := func(extra ...string) []string {
			return slices.Concat(words, row.args, extra)
		}
		t.Run(name+"/typo", func(t *testing.T) {
			r := refusedOneLine(t, dir, passwords, call(row.typo...))
			if want := "did you mean " + row.means + "?"; !strings.Contains(r, want) {
				t.Errorf("stderr %q has no %q", r, want)
			}
		})
		t.Run(name+"/env", func(t *testing.T) {
			r := refusedOneLine(t, dir, passwords, call("--env", "stag"))
			want := "wso2ks: " + name + ": unknown flag: --env; see 'wso2ks " + name + " --help'\n"
			if row.env {
				want = row.envFile + `: no environment "stag"; give --env one of: dev, prod` + "\n"
			}
			if r != want {
				t.Errorf("stderr\n%s\nwant\n%s", r, want)
			}
		})
		t.Run(name+"/product", func(t *testing.T) {
			r := refusedOneLine(t, dir, passwords, call("--product", "iamm"))
			want := "wso2ks: " + name + ": unknown flag: --product; see 'wso2ks " + name + " --help'\n"
			if row.prod {
				want = manifest + `: no product "iamm"; did you mean "iam"? give --product one of: iam, apim, mi` + "\n"
			}
			if r != want {
				t.Errorf("stderr\n%s\nwant\n%s", r, want)
			}
		})
	}
}

// refusedOneLine runs args and checks what every refusal shares: exit 2,
// nothing on stdout, one line on stderr after "wso2ks:" or the file at
// fault, no password, nothing in dir changed. It returns stderr.
func refusedOneLine(t *testing.T, dir string, passwords, args []string) string {
	t.Helper()
	before := snapshot(t, dir)
	r := run(t, false, args...)
	if r.code != 2 || r.stdout != "" {
		t.Errorf("wso2ks %s: exit %d, stdout %q; want exit 2 and no stdout", strings.Join(args, " "), r.code, r.stdout)
	}
	if strings.Count(r.stderr, "\n") != 1 || !strings.HasSuffix(r.stderr, "\n") {
		t.Errorf("stderr is not one line: %q", r.stderr)
	}
	if file, _, ok := strings.Cut(r.stderr, ": "); !ok || file != "wso2ks" && !exists(file) {
		t.Errorf("stderr %q starts with neither wso2ks: nor a file", r.stderr)
	}
	if !strings.Contains(r.stderr, "did you mean") && !strings.Contains(r.stderr, "give --") && !strings.Contains(r.stderr, "see 'wso2ks") {
		t.Errorf("stderr %q suggests nothing", r.stderr)
	}
	for _, p := range passwords {
		if strings.Contains(r.stderr, p) {
			t.Errorf("stderr %q holds a password of the bundle", r.stderr)
		}
	}
	if snapshot(t, dir) != before {
		t.Errorf("wso2ks %s changed %s", strings.Join(args, " "), dir)
	}
	return r.stderr
}

func exists(file string) bool {
	_, err := os.Stat(file)
	return err == nil
}

// commandPaths are the commands a user can run, without "wso2ks ": every
// command that is not hidden, help or a help topic, and the subcommands of
// those that group others (completion's shells).
func commandPaths(root *cobra.Command) []string {
	var out []string
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			if !sub.IsAvailableCommand() || sub.Name() == "help" {
				continue
			}
			if sub.Runnable() {
				out = append(out, strings.TrimPrefix(sub.CommandPath(), root.Name()+" "))
			}
			walk(sub)
		}
	}
	walk(root)
	return out
}
