package cli

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/keystore"
)

func readSecretsEnv(t *testing.T, file string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	vars, err := bundle.ParseSecretsEnv(data)
	if err != nil {
		t.Fatal(err)
	}
	return vars
}

// TestPasswordsFileKeepsPasswords: a re-run with --passwords writes the
// same passwords, and the new stores open with them.
func TestPasswordsFileKeepsPasswords(t *testing.T) {
	dir := t.TempDir()
	first := filepath.Join(dir, "first")
	if r := run(t, false, "generate", "-o", first); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	second := filepath.Join(dir, "second")
	r := run(t, false, "generate", "-o", second, "--passwords", filepath.Join(first, "default", "secrets.env"))
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("%+v", r)
	}
	a := readSecretsEnv(t, filepath.Join(first, "default", "secrets.env"))
	b := readSecretsEnv(t, filepath.Join(second, "default", "secrets.env"))
	if len(a) != 5 || len(b) != 5 || a["WSO2KS_IAM_ENCRYPTION_KEY"] == "" {
		t.Fatalf("secrets.env has %d and %d passwords and keys, want 4 and the encryption key", len(a), len(b))
	}
	for k, v := range a {
		if b[k] != v {
			t.Errorf("%s changed on the re-run", k)
		}
	}
	data, _ := os.ReadFile(filepath.Join(second, "default/iam/repository/resources/security/tls.p12"))
	if _, err := keystore.Decode(keystore.PKCS12, data, a["WSO2KS_IAM_TLS_PASSWORD"]); err != nil {
		t.Errorf("the re-run's tls store does not open with the kept password: %v", err)
	}
}

// TestPasswordsFileOfAnotherBundle: an earlier bundle's secrets.env is
// refused for another environment and for another product set, nothing
// written; a file written by hand may give some products' passwords only.
func TestPasswordsFileOfAnotherBundle(t *testing.T) {
	dir := t.TempDir()
	first := filepath.Join(dir, "first")
	if r := run(t, false, "generate", "-o", first); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	secrets := filepath.Join(first, "default", "secrets.env")
	topology := func(name, extra string) string {
		file := filepath.Join(dir, name)
		os.WriteFile(file, []byte("[subject]\norganization = \"X\"\n[[product]]\nname = \"iam\"\nkind = \"wso2is\"\nversion = \"7.1.0\"\nhostnames = [\"iam.example.com\"]\n"+extra), 0o644)
		return file
	}
	withAPIM := topology("apim.toml", "[[product]]\nname = \"apim\"\nkind = \"wso2am\"\nversion = \"4.5.0\"\nhostnames = [\"api.example.com\"]\n")
	prod := topology("prod.toml", "[environment.prod]\n")
	for _, tc := range []struct {
		name, topology, want string
	}{
		{"another product set", withAPIM, `wso2ks: --passwords FILE: the file has no password of product "apim", which environment "default" plans: the file is from another product set; to add products to an existing bundle, run 'wso2ks generate -f TOPOLOGY --update DIR' on that bundle instead`},
		{"another environment", prod, `wso2ks: --passwords FILE: the file is the secrets.env of environment "default" (its first line says so), but this run generates "prod"; give --passwords the secrets.env of "prod"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(dir, "out")
			r := run(t, false, "generate", "-f", tc.topology, "-o", out, "--passwords", secrets)
			if r.code != 2 || r.stderr != tc.want+"\n" || r.stdout != "" {
				t.Errorf("exit %d\nstderr %q\nwant   %q", r.code, r.stderr, tc.want+"\n")
			}
			if _, err := os.Stat(out); err == nil {
				t.Error("a refused --passwords wrote the bundle")
			}
		})
	}

	hand := filepath.Join(dir, "hand.env")
	os.WriteFile(hand, []byte("WSO2KS_IAM_TLS_PASSWORD=Hand-written1\n"), 0o600)
	out := filepath.Join(dir, "hand")
	if r := run(t, false, "generate", "-f", withAPIM, "-o", out, "--passwords", hand); r.code != 0 || r.stderr != "" {
		t.Fatalf("a hand-written file: %+v", r)
	}
	vars := readSecretsEnv(t, filepath.Join(out, "default", "secrets.env"))
	if vars["WSO2KS_IAM_TLS_PASSWORD"] != "Hand-written1" || len(vars["WSO2KS_APIM_TLS_PASSWORD"]) != 32 {
		t.Error("want the hand-written tls password of iam kept and apim's generated")
	}
}

func TestPasswordsFileErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(content), 0o600)
		return p
	}
	unknown := write("unknown.env", "WSO2KS_NOPE_TLS_PASSWORD=abcdefgh\n")
	short := write("short.env", "WSO2KS_IAM_TLS_PASSWORD=abc\n")
	broken := write("broken.env", "WSO2KS_IAM_TLS_PASSWORD='abc\n")
	nonASCII := write("utf8.env", "WSO2KS_IAM_TLS_PASSWORD=pässwörd\n")
	header := func(env string) string {
		return "# wso2ks: keystore passwords for environment \"" + env + "\". Keep this file secret.\n# Load it with: set -a; . ./secrets.env; set +a\n"
	}
	iam := "WSO2KS_IAM_PRIMARY_PASSWORD=abcdefgh\nWSO2KS_IAM_TLS_PASSWORD=abcdefgh\n"
	prod := write("prod.env", header("prod")+iam)
	iamOnly := write("iam.env", header("default")+iam)
	withMI := write("mi.env", header("default")+iam+"WSO2KS_MI_TLS_PASSWORD=abcdefgh\n")
	products := func(names ...string) string {
		topo := "[subject]\norganization = \"X\"\n"
		for _, n := range names {
			topo += "[[product]]\nname = \"" + n + "\"\nkind = \"wso2is\"\nversion = \"7.1.0\"\nhostnames = [\"" + n + ".example.com\"]\n"
		}
		return write(strings.Join(names, "-")+".toml", topo)
	}
	out := filepath.Join(dir, "out")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown variable", []string{"--passwords", unknown},
			`wso2ks: --passwords FILE: WSO2KS_NOPE_TLS_PASSWORD names no store of environment "default"; remove the line`},
		{"short", []string{"--passwords", short},
			"wso2ks: --passwords FILE: the password in WSO2KS_IAM_TLS_PASSWORD is 3 characters long; use at least 6"},
		{"unclosed quote", []string{"--passwords", broken},
			"wso2ks: --passwords FILE: line 1 (WSO2KS_IAM_TLS_PASSWORD): a single quote is not closed; write NAME=value lines as secrets.env has them"},
		{"not ASCII", []string{"--passwords", nonASCII},
			"wso2ks: --passwords FILE: the password in WSO2KS_IAM_TLS_PASSWORD has a character that is not printable ASCII at position 2; use printable ASCII only"},
		{"missing file", []string{"--passwords", filepath.Join(dir, "none.env")},
			"wso2ks: --passwords FILE does not exist; give the secrets.env of an earlier bundle"},
		{"a password for a file", []string{"--passwords", "Hunter2-secret"},
			"wso2ks: --passwords names no file: passwords come from files or the environment (see docs/passwords-and-vault.md), not from an argument; give the secrets.env of an earlier bundle"},
		{"a password for a file, several environments", []string{"--passwords", "Hunter2-secret", "-f", "../../../examples/multi-product.toml"},
			"wso2ks: --passwords names no file: passwords come from files or the environment (see docs/passwords-and-vault.md), not from an argument; give the secrets.env of an earlier bundle"},
		{"several environments", []string{"--passwords", short, "-f", "../../../examples/multi-product.toml"},
			"wso2ks: --passwords FILE: holds one environment's passwords, and the topology has 2; choose one with --env NAME"},
		{"another environment", []string{"--passwords", prod},
			`wso2ks: --passwords FILE: the file is the secrets.env of environment "prod" (its first line says so), but this run generates "default"; give --passwords the secrets.env of "default"`},
		{"another environment of the topology", []string{"--passwords", prod, "-f", "../../../examples/multi-product.toml", "--env", "dev"},
			`wso2ks: --passwords FILE: the file is the secrets.env of environment "prod" (its first line says so), but this run generates "dev"; give --passwords the secrets.env of "dev"`},
		{"a product the environment lacks", []string{"--passwords", withMI},
			`wso2ks: --passwords FILE: WSO2KS_MI_TLS_PASSWORD names no store of environment "default"; remove the line`},
		{"a product the file lacks", []string{"--passwords", iamOnly, "-f", products("iam", "apim")},
			`wso2ks: --passwords FILE: the file has no password of product "apim", which environment "default" plans: the file is from another product set; to add products to an existing bundle, run 'wso2ks generate -f TOPOLOGY --update DIR' on that bundle instead`},
		{"products the file lacks", []string{"--passwords", iamOnly, "-f", products("iam", "apim", "mi")},
			`wso2ks: --passwords FILE: the file has no password of products "apim" and "mi", which environment "default" plans: the file is from another product set; to add products to an existing bundle, run 'wso2ks generate -f TOPOLOGY --update DIR' on that bundle instead`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, false, append([]string{"generate", "-o", out}, tt.args...)...)
			if r.code != 2 || r.stderr != tt.want+"\n" || r.stdout != "" {
				t.Errorf("exit %d\nstderr %q\nwant   %q", r.code, r.stderr, tt.want+"\n")
			}
			if strings.Contains(r.stderr, "pässwörd") || strings.Contains(r.stderr, "abc;") {
				t.Error("the error repeats the password")
			}
			if i := slices.Index(tt.args, "--passwords"); strings.Contains(r.stderr, tt.args[i+1]) {
				t.Errorf("the error repeats --passwords' argument %q", tt.args[i+1])
			}
			if _, err := os.Stat(out); err == nil {
				t.Error("bad input wrote the bundle")
			}
		})
	}
}

// TestTopologyPasswords: passwords named in the topology, from the
// environment and from a file, end up in the stores and secrets.env, and
// plan says where they come from without showing them.
func TestTopologyPasswords(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "trust.txt"), []byte("Trust-Store pass'1\n"), 0o600)
	topo := filepath.Join(dir, "t.toml")
	os.WriteFile(topo, []byte(`[subject]
organization = "X"
[[product]]
name = "iam"
kind = "wso2is"
version = "7.1.0"
hostnames = ["iam.example.com"]
[product.passwords]
tls = "env:IAM_${env}_TLS"
truststore = "file:trust.txt"
`), 0o644)
	testEnv["IAM_default_TLS"] = "from-the-environment"
	defer delete(testEnv, "IAM_default_TLS")
	r := run(t, false, "plan", "-f", topo)
	if r.code != 0 || !strings.Contains(r.stdout, "  tls password from env:IAM_default_TLS\n  truststore password from file:trust.txt\n") {
		t.Errorf("plan: %+v", r)
	}
	if strings.Contains(r.stdout, "from-the-environment") || strings.Contains(r.stdout, "pass'1") {
		t.Error("plan shows a supplied password")
	}
	out := filepath.Join(dir, "out")
	if r := run(t, false, "generate", "-f", topo, "-o", out); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	vars := readSecretsEnv(t, filepath.Join(out, "default", "secrets.env"))
	if vars["WSO2KS_IAM_TLS_PASSWORD"] != "from-the-environment" || vars["WSO2KS_IAM_TRUSTSTORE_PASSWORD"] != "Trust-Store pass'1" {
		t.Errorf("secrets.env: %v", vars)
	}
	data, _ := os.ReadFile(filepath.Join(out, "default/iam/repository/resources/security/client-truststore.p12"))
	if _, err := keystore.Decode(keystore.PKCS12, data, "Trust-Store pass'1"); err != nil {
		t.Errorf("truststore does not open with the supplied password: %v", err)
	}
	snippet, _ := os.ReadFile(filepath.Join(out, "default/iam/deployment.snippet.toml"))
	if !strings.Contains(string(snippet), `password = "from-the-environment"`) {
		t.Error("the snippet does not give the supplied tls password")
	}
}
