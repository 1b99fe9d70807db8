package bundle

import (
	"os"
	"testing"
)

// TestSecretsEnvLoadsInShell sources secrets.env in a POSIX shell.
func TestSecretsEnvLoadsInShell(t *testing.T) {
	file := t.TempDir() + "/secrets.env"
	data := SecretsEnv("prod", []SecretVar{{"WSO2KS_A_TLS_PASSWORD", "abcDEF123"}, {"WSO2KS_B_PRIMARY_PASSWORD", "xyz789XYZ"}})
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := runShell("set -a; . " + file + "; set +a; printf '%s|%s' \"$WSO2KS_A_TLS_PASSWORD\" \"$WSO2KS_B_PRIMARY_PASSWORD\"")
	if err != nil || out != "abcDEF123|xyz789XYZ" {
		t.Fatalf("sh printed %q, %v", out, err)
	}
}

func TestSecretsEnvRoundTrip(t *testing.T) {
	vars := []SecretVar{
		{"WSO2KS_A_TLS_PASSWORD", "abcDEF123"},
		{"WSO2KS_A_PRIMARY_PASSWORD", `it's a "pass" $HOME \ ok`},
		{"WSO2KS_A_TRUSTSTORE_PASSWORD", "a=b:c/d"},
	}
	data := SecretsEnv("dev", vars)
	got, err := ParseSecretsEnv(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vars {
		if got[v.Name] != v.Value {
			t.Errorf("%s = %q, want %q", v.Name, got[v.Name], v.Value)
		}
	}
	file := t.TempDir() + "/secrets.env"
	os.WriteFile(file, data, 0o600)
	out, err := runShell("set -a; . " + file + "; set +a; printf '%s' \"$WSO2KS_A_PRIMARY_PASSWORD\"")
	if err != nil || out != vars[1].Value {
		t.Errorf("sh read %q, %v", out, err)
	}
	for _, bad := range []struct{ in, want string }{
		{"NOEQUALS\n", "line 1 is not NAME=value"},
		{"# c\n1X=abc\n", "line 2 is not NAME=value"},
		{"A='open\n", "line 1 (A): a single quote is not closed"},
		{"A=has space\n", "line 1 (A): the value has a character a shell would interpret; single-quote it"},
		{"A=x\nA=y\n", "line 2: A is set twice"},
	} {
		if _, err := ParseSecretsEnv([]byte(bad.in)); err == nil || err.Error() != bad.want {
			t.Errorf("ParseSecretsEnv(%q) = %v, want %q", bad.in, err, bad.want)
		}
	}
	if got, _ := ParseSecretsEnv([]byte("export X=abc\r\n\n")); got["X"] != "abc" {
		t.Errorf("export and CRLF: %v", got)
	}
}

// TestSecretsEnvOf reads back the environment secretsEnv's first line
// names, and nothing from a file without that line.
func TestSecretsEnvOf(t *testing.T) {
	for _, tc := range []struct {
		name, in, env string
		ok            bool
	}{
		{"written by wso2ks", string(SecretsEnv("prod", []SecretVar{{"WSO2KS_A_TLS_PASSWORD", "abcdefgh"}})), "prod", true},
		{"CRLF", "# wso2ks: keystore passwords for environment \"dev\". Keep this file secret.\r\nA=b\r\n", "dev", true},
		{"written by hand", "WSO2KS_A_TLS_PASSWORD=abcdefgh\n", "", false},
		{"another comment first", "# mine\n# wso2ks: keystore passwords for environment \"dev\". Keep this file secret.\n", "", false},
		{"unquoted", "# wso2ks: keystore passwords for environment dev. Keep this file secret.\n", "", false},
		{"empty", "", "", false},
	} {
		if env, ok := SecretsEnvOf([]byte(tc.in)); env != tc.env || ok != tc.ok {
			t.Errorf("%s: SecretsEnvOf = %q, %v; want %q, %v", tc.name, env, ok, tc.env, tc.ok)
		}
	}
}
