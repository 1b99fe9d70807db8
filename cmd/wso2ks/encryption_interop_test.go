package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/cmd/wso2ks/cli"
	"github.com/wso2ks/wso2ks/pkg/emit"
	"github.com/wso2ks/wso2ks/pkg/gen"
)

// keyEntry is one product's encryption key for EncryptionKeyCheck.java.
type keyEntry struct {
	label, mode, form, snippet, secrets, keyVar string
	confDir, identity, identityVar              string // vault mode
	expectFail                                  bool
}

var passwordModeLine = regexp.MustCompile(`(?m)^password_mode = "[a-z]+"`)

// withPasswordMode gives every environment of topology the password mode:
// it replaces each password_mode line, and sets it in [defaults] when that
// has none.
func withPasswordMode(t *testing.T, topology []byte, mode string) []byte {
	t.Helper()
	line := `password_mode = "` + mode + `"`
	s := passwordModeLine.ReplaceAllString(string(topology), line)
	if i := strings.Index(s, "[defaults]\n"); i >= 0 {
		end := len(s)
		if j := strings.Index(s[i+1:], "\n["); j >= 0 {
			end = i + 1 + j
		}
		if !strings.Contains(s[i:end], line) {
			s = s[:i] + "[defaults]\n" + line + "\n" + s[i+len("[defaults]\n"):]
		}
		return []byte(s)
	}
	return withSetting(t, []byte(s), "defaults", "password_mode", mode)
}

// symmetricKey says, from WSO2's sources rather than wso2ks's code, whether a
// product version encrypts internal data with an [encryption] key (IS 5.11
// and later, APIM 4.7: product-is and product-apim default.json), and how
// carbon-crypto-service makes AES key bytes of it: the string's own bytes
// up to 1.1.14 (IS 5.11 to 7.0), hex-decoded from 1.1.16 (IS 7.1, APIM 4.7).
func symmetricKey(t *testing.T, kind, version string) (bool, string) {
	t.Helper()
	parts := strings.Split(version, ".")
	major, err1 := strconv.Atoi(parts[0])
	minor, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil {
		t.Fatalf("version %q", version)
	}
	at := func(m, n int) bool { return major > m || major == m && minor >= n }
	switch {
	case kind == "wso2is" && at(7, 1), kind == "wso2am" && at(4, 7):
		return true, "hex"
	case kind == "wso2is" && at(5, 11):
		return true, "raw"
	}
	return false, ""
}

// keyEntries checks that every product of b with a symmetric provider has a
// key of its own of the length its version reads, and none other has one,
// and returns the products' entries for the Java check.
func keyEntries(t *testing.T, b *interopBundle, mode string, seen map[string]string) []keyEntry {
	t.Helper()
	var out []keyEntry
	done := map[string]bool{}
	for _, s := range b.manifest.Stores {
		id := s.Env + "/" + s.Product
		if done[id] {
			continue
		}
		done[id] = true
		has, form := symmetricKey(t, s.Kind, s.Version)
		v := gen.EncryptionKeyVar(s.Product)
		key, ok := b.secrets[s.Env][v]
		if ok != has {
			t.Errorf("%s %s: %s %s in secrets.env: %v, want %v", b.name, id, s.Kind, s.Version, ok, has)
		}
		if !has {
			continue
		}
		if want := map[string]int{"raw": 32, "hex": 64}[form]; len(key) != want {
			t.Errorf("%s %s: key of %d characters, want %d", b.name, id, len(key), want)
		}
		if other, dup := seen[key]; dup {
			t.Errorf("%s %s has the key of %s", b.name, id, other)
		}
		seen[key] = b.name + " " + id
		dir := filepath.Join(b.dir, s.Env, s.Product)
		e := keyEntry{label: b.name + " " + id, mode: mode, form: form, snippet: filepath.Join(dir, emit.SnippetName),
			secrets: filepath.Join(b.dir, s.Env, emit.SecretsName), keyVar: v}
		if mode == gen.PasswordVault {
			role := gen.RoleInternal
			if !slices.ContainsFunc(b.manifest.Stores, func(m emit.ManifestStore) bool {
				return m.Env == s.Env && m.Product == s.Product && m.Role == gen.RoleInternal
			}) {
				role = gen.RolePrimary
			}
			for _, m := range b.manifest.Stores {
				if m.Env == s.Env && m.Product == s.Product && m.Role == role {
					e.identity = filepath.Join(b.dir, m.Path)
				}
			}
			e.confDir, e.identityVar = filepath.Join(dir, "repository/conf/security"), gen.PasswordVar(s.Product, role)
		}
		out = append(out, e)
	}
	return out
}

func runKeyCheck(t *testing.T, java string, entries []keyEntry) (string, int) {
	t.Helper()
	var b bytes.Buffer
	for i, e := range entries {
		for k, v := range map[string]string{"label": e.label, "mode": e.mode, "form": e.form, "snippet": e.snippet, "secrets": e.secrets,
			"var": e.keyVar, "confdir": e.confDir, "identity": e.identity, "identityvar": e.identityVar} {
			fmt.Fprintf(&b, "key.%d.%s=%s\n", i, k, interopEscape(v, false))
		}
		if e.expectFail {
			fmt.Fprintf(&b, "key.%d.expect=fail\n", i)
		}
	}
	spec := filepath.Join(t.TempDir(), "keys.properties")
	if err := os.WriteFile(spec, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	checker, _ := filepath.Abs("testdata/interop/EncryptionKeyCheck.java")
	return runVaultCheck(t, java, checker, spec)
}

func verifyBundle(dir string) (int, string) {
	var stdout, stderr bytes.Buffer
	code := cli.Main([]string{"verify", dir}, strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String() + stderr.String()
}

// TestInteropEncryptionKey is issue 9's "done when" for the key: every IS ≥
// 5.11 and APIM 4.7 product of every example, and of a topology with IS 6.0
// and APIM 4.7, carries its own key in all three password modes; Java reads
// it as the product does (decrypting the vault's ciphertext), derives the AES
// key as carbon-crypto-service does and runs an AES/GCM round trip with it;
// wso2ks verify passes the bundles and fails one edited to WSO2's default
// key or to no key.
func TestInteropEncryptionKey(t *testing.T) {
	java := requireJava(t)
	files, _ := filepath.Glob("../../examples/*.toml")
	files = append(files, "testdata/interop/encryption-versions.toml")
	var entries []keyEntry
	seen := map[string]string{}
	var plainBundle *interopBundle
	for _, file := range files {
		topology, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, mode := range []string{gen.PasswordPlain, gen.PasswordEnv, gen.PasswordVault} {
			name := strings.TrimSuffix(filepath.Base(file), ".toml") + "-" + mode
			b := generateBundle(t, name, withPasswordMode(t, topology, mode), "")
			if code, out := verifyBundle(b.dir); code != 0 {
				t.Errorf("verify %s: exit %d\n%s", name, code, out)
			}
			entries = append(entries, keyEntries(t, b, mode, seen)...)
			if plainBundle == nil && mode == gen.PasswordPlain {
				plainBundle = b
			}
		}
	}
	covered := map[string]bool{}
	for _, e := range entries {
		covered[e.mode+" "+e.form] = true
	}
	for _, want := range []string{"plain raw", "env raw", "vault raw", "plain hex", "env hex", "vault hex"} {
		if !covered[want] {
			t.Errorf("no %s key was checked", want)
		}
	}

	// Negative controls: a snippet edited to WSO2's default key, and an IS 7.1
	// key read as the raw bytes IS 7.0 would use (64 bytes: no AES key).
	good := entries[0]
	if good.mode != gen.PasswordPlain || good.form != "hex" {
		t.Fatalf("the first entry is %s %s, want a plain hex key", good.mode, good.form)
	}
	edited := filepath.Join(t.TempDir(), emit.SnippetName)
	snippet, _ := os.ReadFile(good.snippet)
	key := plainBundle.secrets["default"][good.keyVar]
	os.WriteFile(edited, bytes.Replace(snippet, []byte(key), []byte(gen.DefaultEncryptionKey), 1), 0o600)
	defaultKey, rawForm := good, good
	defaultKey.label, defaultKey.snippet, defaultKey.secrets, defaultKey.expectFail = "default key", edited, edited+".env", true
	os.WriteFile(defaultKey.secrets, []byte(good.keyVar+"="+gen.DefaultEncryptionKey+"\n"), 0o600)
	rawForm.label, rawForm.form, rawForm.expectFail = "64 digits as raw bytes", "raw", true

	out, code := runKeyCheck(t, java, append(entries, defaultKey, rawForm))
	t.Logf("EncryptionKeyCheck (exit %d):\n%s", code, out)
	want := fmt.Sprintf("keys: %d passed, 0 failed\n", len(entries)+2)
	if code != 0 || !strings.HasSuffix(out, want) || strings.Count(out, "/GCM round trip\n") != len(entries) {
		t.Fatalf("EncryptionKeyCheck: exit %d, want %q", code, want)
	}
	for _, control := range []string{"OK default key: negative control failed: the key is WSO2's published default\n",
		"OK 64 digits as raw bytes: negative control failed: the raw key gives 64 AES key bytes, want 32\n"} {
		if !strings.Contains(out, control) {
			t.Errorf("the checker did not fail %q", control)
		}
	}

	// verify fails the plain bundle once its key is WSO2's default, or gone.
	snippetFile := filepath.Join(plainBundle.dir, "default", "iam", emit.SnippetName)
	for _, tc := range []struct{ name, replace, want string }{
		{"default key", `key = "` + gen.DefaultEncryptionKey + `"`, "FAIL  encryption-key         [encryption] key is WSO2's published default key"},
		{"no key", "", "FAIL  encryption-key         [encryption] key is not set: WSO2 Identity Server 7.1.0 encrypts internal data with WSO2's published default key"},
	} {
		os.WriteFile(snippetFile, bytes.Replace(snippet, []byte(`key = "`+key+`"`), []byte(tc.replace), 1), 0o600)
		code, out := verifyBundle(plainBundle.dir)
		if code != 1 || !strings.Contains(out, tc.want) || strings.Contains(out, key) {
			t.Errorf("verify with %s: exit %d, want 1 and %q\n%s", tc.name, code, tc.want, out)
		}
	}
}
