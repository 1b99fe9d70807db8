package emit

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path"
	"strings"
	"testing"
	"time"

	"github.com/pelletier/go-toml/v2"
	"github.com/wso2ks/wso2ks/pkg/gen"
	"github.com/wso2ks/wso2ks/pkg/keystore"
)

var buildNow = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)

func seededRand(seed byte) *rand.ChaCha8 {
	var s [32]byte
	s[0] = seed
	return rand.NewChaCha8(s)
}

func planFor(t *testing.T, topology string) *gen.Plan {
	t.Helper()
	return planSource(t, gen.Source{Name: "t.toml", Data: []byte(topology)})
}

const twoProducts = `
[subject]
organization = "Example Corp"
[defaults]
public_cas = false
[tls]
shared = true
[[product]]
name = "iam"
kind = "wso2is"
version = "7.1.0"
hostnames = ["iam.example.com"]
instances = ["iam-0"]
[[product]]
name = "apim"
kind = "wso2am"
version = "4.5.0"
hostnames = ["api.example.com"]
format = "pkcs12"
`

// TestBuild checks that every store of the bundle decodes with the password
// its snippet gives, holds what the plan says, and matches the manifest.
func TestBuild(t *testing.T) {
	plan := planFor(t, twoProducts)
	b, err := Build(plan, BuildOptions{Rand: seededRand(1), Now: buildNow})
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, f := range b.Files {
		if _, dup := files[f.Path]; dup {
			t.Fatalf("%s written twice", f.Path)
		}
		files[f.Path] = f.Data
	}
	secrets := parseSecrets(t, files["default/secrets.env"])
	var manifest Manifest
	if err := json.Unmarshal(files[ManifestName], &manifest); err != nil {
		t.Fatal(err)
	}
	if len(manifest.Stores) != 8 {
		t.Fatalf("manifest has %d stores, want 8", len(manifest.Stores))
	}
	if !bytes.Equal(files["default/iam/repository/resources/security/tls.p12"], files["default/apim/repository/resources/security/tls.p12"]) {
		t.Error("the shared tls store differs between products of the same format")
	}
	for _, m := range manifest.Stores {
		snippet := files[path.Join(m.Env, m.Product, SnippetName)]
		var tables map[string]any
		if err := toml.Unmarshal(snippet, &tables); err != nil {
			t.Fatal(err)
		}
		pw := secrets[gen.PasswordVar(m.Product, m.Role)]
		if got := snippetPassword(tables, m.Role); got != pw {
			t.Errorf("%s: snippet password differs from secrets.env", m.Path)
		}
		if strings.Contains(string(files[ManifestName]), pw) {
			t.Errorf("manifest.json holds the password of %s", m.Path)
		}
		st, err := keystore.Decode(keystore.Format(m.Type), files[m.Path], pw)
		if err != nil {
			t.Fatalf("%s: %v", m.Path, err)
		}
		if m.Role == gen.RoleTruststore {
			var aliases []string
			for _, tc := range st.Trusted {
				aliases = append(aliases, tc.Alias)
			}
			if strings.Join(aliases, ",") != strings.Join(m.Entries, ",") || len(st.Keys) != 0 {
				t.Errorf("%s: entries %v, manifest says %v", m.Path, aliases, m.Entries)
			}
			continue
		}
		if len(st.Keys) != 1 || st.Keys[0].Alias != m.Role || len(st.Trusted) != 0 {
			t.Fatalf("%s: want one key entry %q, got %+v", m.Path, m.Role, st)
		}
		cert := st.Keys[0].Chain[0]
		sum := sha256.Sum256(cert.Raw)
		if hex.EncodeToString(sum[:]) != m.SHA256 {
			t.Errorf("%s: manifest sha256 does not match the certificate", m.Path)
		}
		if m.NotBefore != "2026-03-04T05:01:07Z" {
			t.Errorf("%s: not_before %s, want the injected clock less five minutes", m.Path, m.NotBefore)
		}
	}
	want := map[string]string{
		"default/iam/repository/resources/security/client-truststore.p12":  "apim-primary,iam-internal,iam-primary,shared-tls",
		"default/apim/repository/resources/security/client-truststore.p12": "apim-internal,apim-primary,gateway_certificate_alias,iam-primary,shared-tls",
	}
	for _, m := range manifest.Stores {
		if w, ok := want[m.Path]; ok && strings.Join(m.Entries, ",") != w {
			t.Errorf("%s entries = %v, want %s", m.Path, m.Entries, w)
		}
	}
}

func parseSecrets(t *testing.T, data []byte) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, line := range strings.Split(string(data), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			t.Fatalf("secrets.env line %q is not NAME=value", line)
		}
		out[k] = v
	}
	return out
}

func snippetPassword(tables map[string]any, role string) any {
	if role == gen.RoleTruststore {
		return tables["truststore"].(map[string]any)["password"]
	}
	return tables["keystore"].(map[string]any)[role].(map[string]any)["password"]
}

func TestNewPassword(t *testing.T) {
	seen := map[string]bool{}
	r := seededRand(2)
	for range 200 {
		pw, err := NewPassword(r)
		if err != nil {
			t.Fatal(err)
		}
		if len(pw) != passwordLength || strings.Trim(pw, passwordAlphabet) != "" {
			t.Fatalf("password %q: want %d letters and digits", pw, passwordLength)
		}
		if seen[pw] {
			t.Fatal("password repeated")
		}
		seen[pw] = true
	}
	if _, err := NewPassword(bytes.NewReader(nil)); err == nil {
		t.Error("an empty random source gave a password")
	}
}

// TestSecretsEnvLoadsInShell sources secrets.env in a POSIX shell.
func TestSecretsEnvLoadsInShell(t *testing.T) {
	file := t.TempDir() + "/secrets.env"
	data := secretsEnv("prod", []secretVar{{"WSO2KS_A_TLS_PASSWORD", "abcDEF123"}, {"WSO2KS_B_PRIMARY_PASSWORD", "xyz789XYZ"}})
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := runShell("set -a; . " + file + "; set +a; printf '%s|%s' \"$WSO2KS_A_TLS_PASSWORD\" \"$WSO2KS_B_PRIMARY_PASSWORD\"")
	if err != nil || out != "abcDEF123|xyz789XYZ" {
		t.Fatalf("sh printed %q, %v", out, err)
	}
}

func TestSecretsEnvRoundTrip(t *testing.T) {
	vars := []secretVar{
		{"WSO2KS_A_TLS_PASSWORD", "abcDEF123"},
		{"WSO2KS_A_PRIMARY_PASSWORD", `it's a "pass" $HOME \ ok`},
		{"WSO2KS_A_TRUSTSTORE_PASSWORD", "a=b:c/d"},
	}
	data := secretsEnv("dev", vars)
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
		{"written by wso2ks", string(secretsEnv("prod", []secretVar{{"WSO2KS_A_TLS_PASSWORD", "abcdefgh"}})), "prod", true},
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
