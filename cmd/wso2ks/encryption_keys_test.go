package main

// Helpers of TestInteropEncryptionKey: which products must have a key, and
// the spec EncryptionKeyCheck.java reads.

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

	"github.com/wso2ks/wso2ks/pkg/bundle"
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
		e := keyEntry{label: b.name + " " + id, mode: mode, form: form, snippet: filepath.Join(dir, bundle.SnippetName),
			secrets: filepath.Join(b.dir, s.Env, bundle.SecretsName), keyVar: v}
		if mode == gen.PasswordVault {
			role := gen.RoleInternal
			if !slices.ContainsFunc(b.manifest.Stores, func(m bundle.ManifestStore) bool {
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
	return runJavaChecker(t, java, checker, "", spec)
}
