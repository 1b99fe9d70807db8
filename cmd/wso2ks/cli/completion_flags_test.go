package cli

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/spf13/pflag"
)

// complete runs cobra's hidden __complete command, as a shell's completion
// script does, and returns the candidates and the directive it prints.
func complete(t *testing.T, args ...string) string {
	t.Helper()
	r := run(t, false, append([]string{"__complete"}, args...)...)
	if r.code != 0 {
		t.Fatalf("__complete %q: %+v", args, r)
	}
	return r.stdout
}

// TestCompleteWords: flags with a fixed set of values complete them (those
// that start with what was typed), and no file names.
func TestCompleteWords(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"init", "--kind", ""}, "wso2is\tWSO2 Identity Server\nwso2am\tWSO2 API Manager\nwso2mi\tWSO2 Micro Integrator\n:4\n"},
		{[]string{"init", "--kind", "wso2a"}, "wso2am\tWSO2 API Manager\n:4\n"},
		{[]string{"generate", "--output", ""}, "text\njson\n:4\n"},
		{[]string{"plan", "--output", "j"}, "json\n:4\n"},
		{[]string{"verify", "keystores", "--output", ""}, "text\njson\n:4\n"},
		{[]string{"inspect", "keystores", "--output", ""}, "text\njson\nprometheus\n:4\n"},
		{[]string{"version", "--output", ""}, "text\njson\n:4\n"},
		{[]string{"inspect", "keystores", "--sort", ""}, "store\nexpiry\n:4\n"},
		{[]string{"rotate", "keystores", "--role", ""}, "tls\n:4\n"},
		{[]string{"k8s", "keystores", "--apim-chart", ""}, "all-in-one\ncontrol-plane\ngateway\nkey-manager\ntraffic-manager\n:4\n"},
		{[]string{"generate", "--apim-chart", "g"}, "gateway\n:4\n"},
		{[]string{"renew", "keystores", "--within", ""}, ":4\n"},
		{[]string{"k8s", "keystores", "--namespace", ""}, ":4\n"},
	} {
		if got := complete(t, tc.args...); got != tc.want {
			t.Errorf("%q:\n got %q\nwant %q", tc.args, got, tc.want)
		}
	}
}

// TestCompleteFiles: file flags and arguments complete by extension (8,
// cobra's FilterFileExt), directories (16, FilterDirs) or any file (0).
func TestCompleteFiles(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"generate", "-f", ""}, "toml\n:8\n"},
		{[]string{"plan", "--file", ""}, "toml\n:8\n"},
		{[]string{"install", "-f", ""}, "toml\n:8\n"},
		{[]string{"init", "-o", ""}, "toml\n:8\n"},
		{[]string{"generate", "--passwords", ""}, "env\n:8\n"},
		{[]string{"generate", "-o", ""}, ":16\n"},
		{[]string{"generate", "--update", ""}, ":16\n"},
		{[]string{"plan", "--against", ""}, ":16\n"},
		{[]string{"install", "--home", ""}, ":16\n"},
		{[]string{"install", "--bundle", ""}, ":16\n"},
		{[]string{"install", "--secrets", ""}, ":0\n"},
		{[]string{"verify", "keystores", "--password-file", ""}, ":0\n"},
		{[]string{"inspect", "keystores", "--password-file", ""}, ":0\n"},
		{[]string{"k8s", "-o", ""}, ":16\n"},
		// arguments
		{[]string{"renew", ""}, ":16\n"},
		{[]string{"renew", "keystores", ""}, ":4\n"},
		{[]string{"csr", ""}, ":16\n"},
		{[]string{"rotate", ""}, ":16\n"},
		{[]string{"k8s", ""}, ":16\n"},
		{[]string{"import-cert", ""}, ":16\n"},
		{[]string{"import-cert", "keystores", ""}, "pem\n:8\n"},
		{[]string{"import-cert", "keystores", "chain.pem", ""}, ":4\n"},
		{[]string{"merge", ""}, "toml\n:8\n"},
		{[]string{"merge", "deployment.snippet.toml", ""}, "toml\n:8\n"},
		{[]string{"merge", "a.toml", "b.toml", ""}, ":4\n"},
		{[]string{"generate", ""}, ":4\n"},
		{[]string{"version", ""}, ":4\n"},
		{[]string{"verify", ""}, ":0\n"},
		{[]string{"inspect", ""}, ":0\n"},
	} {
		if got := complete(t, tc.args...); got != tc.want {
			t.Errorf("%q:\n got %q\nwant %q", tc.args, got, tc.want)
		}
	}
}

// TestCompleteNames: --env and --product complete the names of the topology
// given with -f (the built-in one when generate or plan has none), or of
// the bundle given with --bundle or as DIR; a file that does not read
// completes nothing.
func TestCompleteNames(t *testing.T) {
	topo := "../../../examples/multi-product.toml"
	dir := generated(t, "-f", topo)
	bad := filepath.Join(t.TempDir(), "bad.toml")
	if err := os.WriteFile(bad, []byte("[[product]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	envs, products := "dev\nprod\n:4\n", "iam\napim\nmi\n:4\n"
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"generate", "-f", topo, "--env", ""}, envs},
		{[]string{"generate", "-f", topo, "--env", "p"}, "prod\n:4\n"},
		{[]string{"plan", "-f", topo, "--env", ""}, envs},
		{[]string{"generate", "--env", ""}, "default\n:4\n"},
		{[]string{"install", "-f", topo, "--env", ""}, envs},
		{[]string{"install", "-f", topo, "--product", ""}, products},
		{[]string{"install", "-f", topo, "--product", "a"}, "apim\n:4\n"},
		{[]string{"install", "--bundle", dir, "--env", ""}, envs},
		{[]string{"install", "--bundle", dir, "--product", ""}, products},
		{[]string{"install", "--product", ""}, ":4\n"},
		{[]string{"csr", dir, "--env", ""}, envs},
		{[]string{"csr", dir, "--product", ""}, products},
		{[]string{"renew", dir, "--env", ""}, envs},
		{[]string{"renew", dir, "--within", "45d", "--product", "a"}, "apim\n:4\n"},
		{[]string{"rotate", dir, "--product", "m"}, "mi\n:4\n"},
		{[]string{"rotate", dir, "--env", ""}, envs},
		{[]string{"import-cert", dir, "--product", ""}, products},
		{[]string{"import-cert", dir, "chain.pem", "--env", ""}, envs},
		{[]string{"verify", dir, "--connect", "--product", ""}, products},
		{[]string{"verify", dir, "--connect", "--env", ""}, envs},
		// what does not read completes nothing
		{[]string{"csr", "--product", ""}, ":4\n"},
		{[]string{"csr", t.TempDir(), "--product", ""}, ":4\n"},
		{[]string{"generate", "-f", bad, "--env", ""}, ":4\n"},
		{[]string{"install", "-f", "no-such.toml", "--env", ""}, ":4\n"},
	} {
		if got := complete(t, tc.args...); got != tc.want {
			t.Errorf("%q:\n got %q\nwant %q", tc.args, got, tc.want)
		}
	}
}

// TestCompletionCoversFlags: every flag that takes a value has a
// completion, and every completion names a flag of its command, so a flag
// added or renamed cannot be left out.
func TestCompletionCoversFlags(t *testing.T) {
	root := NewCmdRoot(&Factory{})
	table := flagCompletions(&Factory{})
	for _, c := range root.Commands() {
		if c.Name() == "completion" || c.Name() == "help" {
			continue
		}
		c.Flags().VisitAll(func(fl *pflag.Flag) {
			if fl.Value.Type() == "bool" || fl.Name == "help" {
				return
			}
			if _, ok := table[c.Name()][fl.Name]; !ok && fl.Annotations[formatsKey] == nil {
				t.Errorf("%s --%s has no completion in flagCompletions", c.Name(), fl.Name)
			}
		})
		for name := range table[c.Name()] {
			if c.Flags().Lookup(name) == nil {
				t.Errorf("flagCompletions names %s --%s, which %s does not have", c.Name(), name, c.Name())
			}
		}
		if _, ok := argCompletions[c.Name()]; !ok && !slices.Contains([]string{"verify", "inspect"}, c.Name()) {
			t.Errorf("%s has no argument completion in argCompletions", c.Name())
		}
	}
	for name := range table {
		if c, _, err := root.Find([]string{name}); err != nil || c == root {
			t.Errorf("flagCompletions names command %s, which wso2ks does not have", name)
		}
	}
}
