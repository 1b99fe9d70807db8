package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestErrorsOneVoice walks the kinds of mistake issue 14 names: a
// misspelt flag or topology key gets a "did you mean", a wrong --env or
// --product the names there are, a password given where a file is wanted
// a word about where passwords come from (and no echo), merge's arguments
// swapped a word that they are. Each is one line after one "wso2ks:" (or
// the file), exit 2, nothing on stdout and nothing written.
func TestErrorsOneVoice(t *testing.T) {
	dir := t.TempDir()
	topo := "../../../examples/multi-product.toml"
	b := filepath.Join(dir, "b")
	if r := run(t, false, "generate", "-f", topo, "-o", b); r.code != 0 {
		t.Fatalf("generate: %+v", r)
	}
	typo := filepath.Join(dir, "typo.toml")
	if err := os.WriteFile(typo, []byte("[subject]\norganization = \"X\"\n[defaults]\nformt = \"jks\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	dep := filepath.Join(dir, "deployment.toml")
	if err := os.WriteFile(dep, []byte("[server]\nhostname = \"x\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	snippet := filepath.Join(b, "dev", "iam", "deployment.snippet.toml")
	out := filepath.Join(dir, "out")
	const secret = "Hunter2-secret"
	passwordsFromFiles := "passwords come from files or the environment (see docs/passwords-and-vault.md), not from an argument"
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		// One prefix, and a flag's likely meaning.
		{"generate flag", []string{"generate", "-f", topo, "--ouput-dir", out},
			"wso2ks: generate: unknown flag: --ouput-dir; did you mean --output-dir? see 'wso2ks generate --help'"},
		{"plan flag", []string{"plan", "-f", topo, "--evn", "dev"},
			"wso2ks: plan: unknown flag: --evn; did you mean --env? see 'wso2ks plan --help'"},
		{"renew flag", []string{"renew", b, "--withn", "30d"},
			"wso2ks: renew: unknown flag: --withn; did you mean --within? see 'wso2ks renew --help'"},
		{"k8s flag", []string{"k8s", b, "--namspace", "x"},
			"wso2ks: k8s: unknown flag: --namspace; did you mean --namespace? see 'wso2ks k8s --help'"},
		{"root flag", []string{"--vers"},
			"wso2ks: unknown flag: --vers; did you mean --version? see 'wso2ks --help'"},
		{"flag far from any", []string{"init", "--zzzzzz"},
			"wso2ks: init: unknown flag: --zzzzzz; see 'wso2ks init --help'"},
		{"command's own message", []string{"rotate", b, "--product", "iam", "--role", "primary"},
			"wso2ks: --role primary cannot be rotated: tokens are signed and data and secrets encrypted with that key, so it must stay; rotate the tls store (leave --role out), or give the same key a new certificate with 'wso2ks renew'"},
		// A topology key's likely meaning, at its line and column.
		{"topology key", []string{"plan", "-f", typo},
			typo + ":4:1: unknown key \"defaults.formt\"; did you mean \"format\"? remove it or check its spelling against `wso2ks init`"},
		// A wrong --env or --product lists the names there are.
		{"generate env", []string{"generate", "-f", topo, "--env", "stage", "-o", out},
			topo + `: no environment "stage"; give --env one of: dev, prod`},
		{"install product", []string{"install", "--bundle", b, "--product", "nope", "--home", dir},
			b + `/manifest.json: no product "nope"; give --product one of: iam, apim, mi`},
		{"install env", []string{"install", "--bundle", b, "--env", "stage", "--home", dir},
			b + `/manifest.json: no environment "stage"; give --env one of: dev, prod`},
		{"csr env", []string{"csr", b, "--env", "stage"},
			b + `/manifest.json: no environment "stage"; give --env one of: dev, prod`},
		{"csr product", []string{"csr", b, "--product", "nope"},
			b + `/manifest.json: no product "nope"; give --product one of: iam, apim, mi`},
		{"import-cert product", []string{"import-cert", b, "--product", "nope", typo},
			b + `/manifest.json: no product "nope"; give --product one of: iam, apim, mi`},
		{"rotate product", []string{"rotate", b, "--product", "nope"},
			b + `/manifest.json: no product "nope"; give --product one of: iam, apim, mi`},
		{"rotate env", []string{"rotate", b, "--product", "iam", "--env", "stage"},
			b + `/manifest.json: no environment "stage"; give --env one of: dev, prod`},
		{"verify env", []string{"verify", b, "--connect", "--env", "stage"},
			b + `/manifest.json: no environment "stage"; give --env one of: dev, prod`},
		{"verify product near", []string{"verify", b, "--connect", "--product", "iamm"},
			b + `/manifest.json: no product "iamm"; did you mean "iam"? give --product one of: iam, apim, mi`},
		{"install topology, several envs", []string{"install", "-f", topo, "--home", dir},
			topo + ": install puts one environment's product into a home, and the topology has several; give --env one of: dev, prod"},
		{"install env near", []string{"install", "--bundle", b, "--env", "prd", "--home", dir},
			b + `/manifest.json: no environment "prd"; did you mean "prod"? give --env one of: dev, prod`},
		// A password where a file is wanted: said so, and not repeated.
		{"--passwords", []string{"generate", "-f", topo, "--env", "dev", "--passwords", secret, "-o", out},
			"wso2ks: --passwords names no file: " + passwordsFromFiles + "; give the secrets.env of an earlier bundle"},
		{"--passwords before --env", []string{"generate", "-f", topo, "--passwords", secret, "-o", out},
			"wso2ks: --passwords names no file: " + passwordsFromFiles + "; give the secrets.env of an earlier bundle"},
		{"verify --password-file", []string{"verify", b, "--password-file", secret},
			"wso2ks: --password-file names no file: " + passwordsFromFiles + "; give a file whose first line is the store's password"},
		{"inspect --password-file", []string{"inspect", b, "--password-file", secret},
			"wso2ks: --password-file names no file: " + passwordsFromFiles + "; give a file whose first line is the store's password"},
		{"--password-file path", []string{"verify", b, "--password-file", filepath.Join(dir, "pw.txt")},
			"wso2ks: --password-file " + filepath.Join(dir, "pw.txt") + " does not exist; give a file whose first line is the store's password"},
		// merge DEPLOYMENT_TOML SNIPPET.
		{"merge swapped", []string{"merge", dep, snippet},
			"wso2ks: the arguments are swapped: " + snippet + " is a snippet wso2ks wrote and " + dep + " is not; give the snippet first: wso2ks merge " + snippet + " " + dep},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := snapshot(t, dir)
			r := run(t, false, tc.args...)
			if r.code != 2 || r.stderr != tc.want+"\n" || r.stdout != "" {
				t.Errorf("exit %d, stdout %q\nstderr %q\nwant   %q", r.code, r.stdout, r.stderr, tc.want+"\n")
			}
			if strings.Count(r.stderr, "wso2ks:") > 1 || strings.Contains(r.stderr, secret) {
				t.Errorf("stderr %q: two prefixes, or the password repeated", r.stderr)
			}
			if snapshot(t, dir) != before {
				t.Error("bad input changed the directory")
			}
		})
	}
}
