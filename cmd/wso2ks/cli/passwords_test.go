package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/pkg/emit"
)

func readSecretsEnv(t *testing.T, file string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	vars, err := emit.ParseSecretsEnv(data)
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
	if _, err := emit.DecodeStore(emit.PKCS12, data, a["WSO2KS_IAM_TLS_PASSWORD"]); err != nil {
		t.Errorf("the re-run's tls store does not open with the kept password: %v", err)
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
	out := filepath.Join(dir, "out")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown variable", []string{"--passwords", unknown},
			unknown + `: WSO2KS_NOPE_TLS_PASSWORD names no store of environment "default"; remove the line`},
		{"short", []string{"--passwords", short},
			short + ": the password in WSO2KS_IAM_TLS_PASSWORD is 3 characters long; use at least 6"},
		{"unclosed quote", []string{"--passwords", broken},
			broken + ": line 1 (WSO2KS_IAM_TLS_PASSWORD): a single quote is not closed; write NAME=value lines as secrets.env has them"},
		{"not ASCII", []string{"--passwords", nonASCII},
			nonASCII + ": the password in WSO2KS_IAM_TLS_PASSWORD has a character that is not printable ASCII at position 2; use printable ASCII only"},
		{"missing file", []string{"--passwords", filepath.Join(dir, "none.env")},
			filepath.Join(dir, "none.env") + ": cannot read the passwords file (no such file or directory); give the secrets.env of an earlier bundle"},
		{"several environments", []string{"--passwords", short, "-f", "../../../examples/multi-product.toml"},
			short + ": --passwords holds one environment's passwords, and the topology has 2; choose one with --env NAME"},
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
	if _, err := emit.DecodeStore(emit.PKCS12, data, "Trust-Store pass'1"); err != nil {
		t.Errorf("truststore does not open with the supplied password: %v", err)
	}
	snippet, _ := os.ReadFile(filepath.Join(out, "default/iam/deployment.snippet.toml"))
	if !strings.Contains(string(snippet), `password = "from-the-environment"`) {
		t.Error("the snippet does not give the supplied tls password")
	}
}
