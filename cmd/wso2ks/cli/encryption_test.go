package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/internal/testkit"
	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/deploytoml"
	"github.com/wso2ks/wso2ks/pkg/gen"
)

// TestPlanShowsEncryption: plan says what protects each product's internal
// data, and a supplied key's source, never a key.
func TestPlanShowsEncryption(t *testing.T) {
	dir := t.TempDir()
	key := strings.Repeat("c0ffee", 10) + "abcd"
	os.WriteFile(filepath.Join(dir, "key.txt"), []byte(key+"\n"), 0o600)
	topo := filepath.Join(dir, "t.toml")
	os.WriteFile(topo, []byte(`[subject]
organization = "X"
[[product]]
name = "iam"
kind = "wso2is"
version = "7.1.0"
hostnames = ["iam.example.com"]
[product.passwords]
encryption_key = "file:key.txt"
[[product]]
name = "old-is"
kind = "wso2is"
version = "6.0.0"
hostnames = ["old.example.com"]
separate_internal = false
[[product]]
name = "apim"
kind = "wso2am"
version = "4.6.0"
hostnames = ["api.example.com"]
`), 0o644)
	r := run(t, false, "plan", "-f", topo)
	for _, want := range []string{
		"  internal data: AES-GCM with the key from file:key.txt (64 hex digits) in default/secrets.env as WSO2KS_IAM_ENCRYPTION_KEY, the snippet's [encryption] key; updates keep it\n",
		"  internal data: AES-GCM with a new 128-bit key (32 hex digits, whose bytes the product uses as an AES-256 key) in default/secrets.env as WSO2KS_OLD_IS_ENCRYPTION_KEY, the snippet's [encryption] key; updates keep it\n",
		"  internal data: encrypted with the internal store's key (the keystore-based provider, the default of WSO2 API Manager 4.6.0); replacing that key on an install that holds data needs a data migration\n",
		"    [encryption]\n    key = \"<WSO2KS_IAM_ENCRYPTION_KEY>\"\n",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("plan lacks %q:\n%s", want, r.stdout)
		}
	}
	out := filepath.Join(dir, "out")
	if r := run(t, false, "generate", "-f", topo, "-o", out); r.code != 0 || strings.Contains(r.stdout+r.stderr, key) {
		t.Fatalf("generate: %+v", r)
	}
	if got := readSecretsEnv(t, filepath.Join(out, "default", bundle.SecretsName))["WSO2KS_IAM_ENCRYPTION_KEY"]; got != key {
		t.Error("secrets.env does not hold the supplied key")
	}
	if !strings.Contains(string(testkit.ReadFile(t, filepath.Join(out, "default", "iam", bundle.SnippetName))), "\n[encryption]\nkey = \""+key+"\"\n") {
		t.Error("the snippet does not give the supplied key")
	}
}

// TestPasswordsFileEncryptionKey: --passwords checks an encryption key as
// a key, and never repeats it.
func TestPasswordsFileEncryptionKey(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(content), 0o600)
		return p
	}
	defaultKey := write("default.env", "WSO2KS_IAM_ENCRYPTION_KEY="+gen.DefaultEncryptionKey+"\n")
	short := write("short.env", "WSO2KS_IAM_ENCRYPTION_KEY=abcdef\n")
	mi := write("mi.env", "WSO2KS_MI_ENCRYPTION_KEY="+strings.Repeat("ab", 32)+"\n")
	good := write("good.env", "WSO2KS_IAM_ENCRYPTION_KEY="+strings.Repeat("ab", 16)+"\n")
	out := filepath.Join(dir, "out")
	for _, tt := range []struct{ name, file, want string }{
		{"the default key", defaultKey, "wso2ks: --passwords FILE: the encryption key in WSO2KS_IAM_ENCRYPTION_KEY is WSO2's published default key, which anyone can use to decrypt the data; generate your own with 'openssl rand -hex 32'"},
		{"too short", short, "wso2ks: --passwords FILE: the encryption key in WSO2KS_IAM_ENCRYPTION_KEY is 6 characters long; give 64 hex digits ('openssl rand -hex 32'), or 48 or 32"},
		{"no key for MI", mi, `wso2ks: --passwords FILE: WSO2KS_MI_ENCRYPTION_KEY names no store of environment "dev"; remove the line`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, false, "generate", "-f", multiProduct, "--env", "dev", "-o", out, "--passwords", tt.file)
			if r.code != 2 || r.stderr != tt.want+"\n" || strings.Contains(r.stderr, "abcdef;") {
				t.Errorf("exit %d\nstderr %q\nwant   %q", r.code, r.stderr, tt.want+"\n")
			}
			if _, err := os.Stat(out); err == nil {
				t.Error("bad input wrote the bundle")
			}
		})
	}
	if r := run(t, false, "generate", "-f", multiProduct, "--env", "dev", "-o", out, "--passwords", good); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	if got := readSecretsEnv(t, filepath.Join(out, "dev", bundle.SecretsName))["WSO2KS_IAM_ENCRYPTION_KEY"]; got != strings.Repeat("ab", 16) {
		t.Error("the bundle does not hold the supplied key")
	}
}

// TestMergeAndInstallKeepHomeKey: a key deployment.toml already has stays,
// with a note, unless --replace-encryption-key; the flag reaches merge and
// install alike.
func TestMergeAndInstallKeepHomeKey(t *testing.T) {
	const homeKey = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
	dir := t.TempDir()
	bundleDir := filepath.Join(dir, "ks")
	if r := run(t, false, "generate", "-o", bundleDir); r.code != 0 {
		t.Fatalf("generate: %+v", r)
	}
	bundleKey := readSecretsEnv(t, filepath.Join(bundleDir, "default", bundle.SecretsName))["WSO2KS_IAM_ENCRYPTION_KEY"]
	snippet := filepath.Join(bundleDir, "default", "iam", bundle.SnippetName)
	withHomeKey := func(file string) {
		data := testkit.ReadFile(t, file)
		os.WriteFile(file, append(data, []byte("\n[encryption]\nkey = \""+homeKey+"\"\n")...), 0o600)
	}
	keyOf := func(file string) string {
		data := string(testkit.ReadFile(t, file))
		_, rest, _ := strings.Cut(data, "\n[encryption]\nkey = \"")
		k, _, _ := strings.Cut(rest, "\"")
		return k
	}

	dep := filepath.Join(dir, "deployment.toml")
	os.WriteFile(dep, testkit.ReadFile(t, filepath.Join(mergeTestdata, "merge/is71.toml")), 0o600)
	withHomeKey(dep)
	r := run(t, false, "merge", snippet, dep)
	if body, _ := splitNext(r.stdout); r.code != 0 || !strings.HasSuffix(body, "\nnote: "+deploytoml.NoteEncryptionKeyKept+"\n") || keyOf(dep) != homeKey {
		t.Errorf("merge: %+v; key kept %v", r, keyOf(dep) == homeKey)
	}
	if r := run(t, false, "merge", snippet, dep); r.code != 0 || r.stdout != dep+" is up to date\nnote: "+deploytoml.NoteEncryptionKeyKept+"\n" {
		t.Errorf("second merge: %+v", r)
	}
	r = run(t, false, "merge", snippet, dep, "--replace-encryption-key")
	if body, _ := splitNext(r.stdout); r.code != 0 || !strings.HasSuffix(body, "\nnote: "+deploytoml.NoteEncryptionKeyReplaced+"\n") || keyOf(dep) != bundleKey {
		t.Errorf("merge --replace-encryption-key: %+v; key replaced %v", r, keyOf(dep) == bundleKey)
	}

	home := fakeHome(t, dir, "wso2is-7.1.0", "wso2is")
	deployment := filepath.Join(home, "repository/conf/deployment.toml")
	withHomeKey(deployment)
	r = run(t, false, "install", "--bundle", bundleDir, "--home", home)
	if r.code != 0 || !strings.Contains(r.stdout, "\nnote: "+deploytoml.NoteEncryptionKeyKept+"\n") || keyOf(deployment) != homeKey {
		t.Errorf("install: %+v; key kept %v", r, keyOf(deployment) == homeKey)
	}
	r = run(t, false, "install", "--bundle", bundleDir, "--home", home, "--replace-encryption-key")
	if r.code != 0 || keyOf(deployment) != bundleKey {
		t.Errorf("install --replace-encryption-key: %+v; key replaced %v", r, keyOf(deployment) == bundleKey)
	}
	for _, out := range []string{r.stdout, r.stderr} {
		if strings.Contains(out, bundleKey) || strings.Contains(out, homeKey) {
			t.Error("a key reached the output")
		}
	}
}
