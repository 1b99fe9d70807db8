package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/cmd/wso2ks/cli"
	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/gen"
)

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
	edited := filepath.Join(t.TempDir(), bundle.SnippetName)
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
	snippetFile := filepath.Join(plainBundle.dir, "default", "iam", bundle.SnippetName)
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
