package cli

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// TestFlagConvention holds every command to the convention of flags.go,
// so that a command added later follows it: --output is a format with no
// short form, -o is a path whose long name says which kind, --within is
// the only window of days, and the spellings they replaced are hidden.
func TestFlagConvention(t *testing.T) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.Flags().VisitAll(func(fl *pflag.Flag) {
			where := c.CommandPath() + " --" + fl.Name
			switch {
			case fl.Name == "output":
				if fl.Shorthand != "" || !strings.HasPrefix(fl.Usage, "print in `FORMAT`: text") || fl.DefValue != "text" {
					t.Errorf("%s: %q (-%s, default %q): want addOutput's flag", where, fl.Usage, fl.Shorthand, fl.DefValue)
				}
			case fl.Shorthand == "o":
				if fl.Name != "output-dir" && fl.Name != "output-file" {
					t.Errorf("%s: -o is --output-dir or --output-file", where)
				}
			case fl.Name == "expiry-warn" || fl.Name == "expiring" || fl.Name == "role":
				if !fl.Hidden {
					t.Errorf("%s: an old spelling, hidden from help", where)
				}
			case strings.Contains(fl.Usage, "days") && fl.Name != "within":
				t.Errorf("%s: a window of days is --within", where)
			case fl.Name == "env" || fl.Name == "product":
				if !strings.Contains(fl.Usage, "`NAME`") {
					t.Errorf("%s: %q: an --env or --product takes a NAME", where, fl.Usage)
				}
			}
			if fl.Name == "within" && !strings.Contains(fl.Usage, "`Nd` days") {
				t.Errorf("%s: %q: --within takes Nd", where, fl.Usage)
			}
		})
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(NewCmdRoot(&Factory{}))
}

// TestFlagConventionRefusals: a format given to -o, and a path given to
// --output, are refused with the other flag named, and nothing is written;
// -o where a command has only --output suggests it.
func TestFlagConventionRefusals(t *testing.T) {
	dir := t.TempDir()
	b := filepath.Join(dir, "b")
	if r := run(t, false, "generate", "-o", b); r.code != 0 {
		t.Fatalf("generate: %+v", r)
	}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"generate -o json", []string{"generate", "-o", "json"},
			`wso2ks: -o json would name the bundle directory "json", and -o is where to write, not a format: for json output give --output json; to name it json give -o ./json`},
		{"k8s -o yaml", []string{"k8s", b, "-o", "yaml"},
			`wso2ks: -o yaml would name the manifest directory "yaml", and -o is where to write, not a format: to name it yaml give -o ./yaml`},
		{"init -o json", []string{"init", "-o", "json"},
			`wso2ks: -o json would name the topology file "json", and -o is where to write, not a format: to name it json give -o ./json`},
		{"generate --output DIR", []string{"generate", "--output", "keystores"},
			`wso2ks: --output "keystores" is not a format; give text or json (--output is what is printed; -o, --output-dir, is where files go)`},
		{"plan -o", []string{"plan", "-o", "json"},
			"wso2ks: plan: unknown shorthand flag: 'o' in -o; did you mean --output? see 'wso2ks plan --help'"},
		{"verify -o", []string{"verify", b, "-o", "json"},
			"wso2ks: verify: unknown shorthand flag: 'o' in -o; did you mean --output? see 'wso2ks verify --help'"},
		// An old spelling that is given with an error: the error alone.
		{"old spelling, bad input", []string{"rotate", b, "--role", "tls"},
			"wso2ks: rotate needs --product, the product whose tls key to rotate (manifest.json lists them)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := snapshot(t, dir)
			r := run(t, false, tc.args...)
			if r.code != 2 || r.stdout != "" || r.stderr != tc.want+"\n" {
				t.Errorf("exit %d, stdout %q\nstderr %q\nwant   %q", r.code, r.stdout, r.stderr, tc.want+"\n")
			}
			if snapshot(t, dir) != before {
				t.Error("the refusal wrote something")
			}
		})
	}
	// ./json is a directory of that name.
	t.Chdir(dir)
	if r := run(t, false, "init", "-o", "./json"); r.code != 0 || r.stderr != "" {
		t.Errorf("init -o ./json: %+v", r)
	}
}

// TestOldSpellings: the spellings the convention replaced still work, and
// say once, after the command's output, what to write instead.
func TestOldSpellings(t *testing.T) {
	dir := t.TempDir()
	b := filepath.Join(dir, "b")
	if r := run(t, false, "generate", "-o", b); r.code != 0 {
		t.Fatalf("generate: %+v", r)
	}
	for _, tc := range []struct {
		old, now []string
		note     string
	}{
		{[]string{"inspect", b, "--expiring", "30d"}, []string{"inspect", b, "--within", "30d"},
			"wso2ks: --expiring is deprecated; write --within 30d, which means the same\n"},
		{[]string{"verify", b, "--expiry-warn", "30"}, []string{"verify", b, "--within", "30d"},
			"wso2ks: --expiry-warn is deprecated; write --within 30d, which means the same\n"},
	} {
		was, is := run(t, false, tc.old...), run(t, false, tc.now...)
		if was.code != is.code || was.stdout != is.stdout || was.stderr != is.stderr+tc.note {
			t.Errorf("%q: %+v\nwant the output of %q and the note %q", tc.old, was, tc.now, tc.note)
		}
	}
	r := run(t, false, "rotate", b, "--role", "tls", "--product", "iam")
	if r.code != 0 || !strings.HasSuffix(r.stderr, "wso2ks: --role is deprecated; leave it out: rotate always rotates the tls store\n") {
		t.Errorf("rotate --role tls: %+v", r)
	}
}

func TestOrList(t *testing.T) {
	for in, want := range map[string]string{"a": "a", "a b": "a or b", "a b c": "a, b or c"} {
		if got := orList(strings.Fields(in)); got != want {
			t.Errorf("orList(%q) = %q, want %q", in, got, want)
		}
	}
}
