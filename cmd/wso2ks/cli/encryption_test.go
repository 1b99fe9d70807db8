package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/internal/testca"
	"github.com/wso2ks/wso2ks/pkg/emit"
	"github.com/wso2ks/wso2ks/pkg/gen"
)

const multiProduct = "../../../examples/multi-product.toml"

// keyFiles returns the bytes of every secrets.env and snippet of the bundle
// at dir: the files that hold the encryption keys.
func keyFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, pattern := range []string{"*/" + emit.SecretsName, "*/*/" + emit.SnippetName} {
		files, _ := filepath.Glob(filepath.Join(dir, pattern))
		for _, f := range files {
			out[f] = fileBytes(t, f)
		}
	}
	return out
}

func sameKeyFiles(t *testing.T, step string, dir string, want map[string][]byte) {
	t.Helper()
	got := keyFiles(t, dir)
	if len(got) != len(want) {
		t.Errorf("%s: %d secrets.env and snippet files, want %d", step, len(got), len(want))
	}
	for f, data := range want {
		if !bytes.Equal(got[f], data) {
			t.Errorf("%s changed %s", step, f)
		}
	}
}

// TestLifecycleKeepsEncryptionKey: renew, rotate, csr, import-cert, an
// update and a run with --passwords keep every product's encryption key,
// and the files that hold it, byte for byte; none of them prints it.
func TestLifecycleKeepsEncryptionKey(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ks")
	r := run(t, false, "generate", "-f", multiProduct, "-o", dir)
	if r.code != 0 {
		t.Fatalf("generate: %+v", r)
	}
	want := keyFiles(t, dir)
	keys := map[string]string{}
	for _, env := range []string{"dev", "prod"} {
		vars := readSecretsEnv(t, filepath.Join(dir, env, emit.SecretsName))
		keys[env] = vars["WSO2KS_IAM_ENCRYPTION_KEY"]
		if len(keys[env]) != 64 || vars["WSO2KS_APIM_ENCRYPTION_KEY"] != "" || vars["WSO2KS_MI_ENCRYPTION_KEY"] != "" {
			t.Fatalf("%s/secrets.env: want a 64-digit key for IS 7.1 alone", env)
		}
	}
	if keys["dev"] == keys["prod"] {
		t.Error("dev and prod share an encryption key")
	}
	out := r.stdout + r.stderr
	later := testNow.AddDate(0, 0, 10) // the test CA's leaves last 90 days from testNow
	steps := []struct {
		name string
		run  func() result
	}{
		{"renew", func() result { return runAt(t, later, "renew", dir, "--within", "1000d") }},
		{"rotate", func() result {
			return runAt(t, later, "rotate", dir, "--role", "tls", "--product", "iam", "--env", "prod")
		}},
		{"rotate --finish", func() result {
			return runAt(t, later, "rotate", dir, "--role", "tls", "--product", "iam", "--env", "prod", "--finish")
		}},
		{"csr", func() result { return runAt(t, later, "csr", dir, "--env", "prod", "--product", "apim") }},
		{"import-cert", func() result {
			ca := testca.New(t, later, "Corp")
			chain := signCSR(t, ca, filepath.Join(dir, "prod", "apim", "tls.csr"), nil)
			return runAt(t, later, "import-cert", dir, chain, "--product", "apim", "--env", "prod")
		}},
		{"generate --update", func() result {
			return runAt(t, later, "generate", "-f", multiProduct, "--update", dir)
		}},
	}
	for _, s := range steps {
		r := s.run()
		if r.code != 0 {
			t.Fatalf("%s: %+v", s.name, r)
		}
		out += r.stdout + r.stderr
		sameKeyFiles(t, s.name, dir, want)
	}
	if r := runAt(t, later, "plan", "-f", multiProduct, "--against", dir); !strings.Contains(r.stdout, "  keep  prod/iam encryption key\n") {
		t.Errorf("plan --against does not keep the key:\n%s", r.stdout)
	}
	// A new bundle from the old passwords file has the same key.
	other := filepath.Join(t.TempDir(), "again")
	r = run(t, false, "generate", "-f", multiProduct, "--env", "prod", "-o", other, "--passwords", filepath.Join(dir, "prod", emit.SecretsName))
	if r.code != 0 {
		t.Fatalf("generate --passwords: %+v", r)
	}
	out += r.stdout + r.stderr
	if got := readSecretsEnv(t, filepath.Join(other, "prod", emit.SecretsName))["WSO2KS_IAM_ENCRYPTION_KEY"]; got != keys["prod"] {
		t.Error("generate --passwords made another key")
	}
	for _, k := range keys {
		if strings.Contains(out, k) || bytes.Contains(fileBytes(t, filepath.Join(dir, emit.ManifestName)), []byte(k)) {
			t.Error("a key reached the output or manifest.json")
		}
	}
}

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
	if got := readSecretsEnv(t, filepath.Join(out, "default", emit.SecretsName))["WSO2KS_IAM_ENCRYPTION_KEY"]; got != key {
		t.Error("secrets.env does not hold the supplied key")
	}
	if !strings.Contains(string(fileBytes(t, filepath.Join(out, "default", "iam", emit.SnippetName))), "\n[encryption]\nkey = \""+key+"\"\n") {
		t.Error("the snippet does not give the supplied key")
	}
}

// TestUpdateGivesOldBundleAKey: a bundle from before wso2ks wrote keys gets
// one on update, which says so; verify fails it before and passes it after.
func TestUpdateGivesOldBundleAKey(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ks")
	if r := run(t, false, "generate", "-f", multiProduct, "--env", "dev", "-o", dir); r.code != 0 {
		t.Fatalf("generate: %+v", r)
	}
	secrets, snippet := filepath.Join(dir, "dev", emit.SecretsName), filepath.Join(dir, "dev", "iam", emit.SnippetName)
	drop := func(file, from string) {
		data := string(fileBytes(t, file))
		i := strings.Index(data, from)
		j := i + strings.Index(data[i:], "\n") + 1
		os.WriteFile(file, []byte(data[:i]+data[j:]), 0o600)
	}
	drop(secrets, "WSO2KS_IAM_ENCRYPTION_KEY=")
	data := string(fileBytes(t, snippet))
	os.WriteFile(snippet, []byte(data[:strings.Index(data, "\n# Internal data")+1]), 0o600)
	v := run(t, false, "verify", dir)
	if v.code != ExitVerify || !strings.Contains(v.stdout, "FAIL  encryption-key         [encryption] key is not set: WSO2 Identity Server 7.1.0 encrypts internal data with WSO2's published default key\n") {
		t.Errorf("verify of a bundle without a key: exit %d\n%s", v.code, v.stdout)
	}
	topo := filepath.Join(t.TempDir(), "dev-only.toml")
	multi := string(fileBytes(t, multiProduct))
	os.WriteFile(topo, []byte(multi[:strings.Index(multi, "[environment.prod]")]), 0o644)
	os.WriteFile(filepath.Join(filepath.Dir(topo), "corp-root-ca.pem"), fileBytes(t, "../../../examples/corp-root-ca.pem"), 0o644)
	r := run(t, false, "generate", "-f", topo, "--update", dir)
	if r.code != 0 || !slices.ContainsFunc(strings.Split(r.stdout, "\n"), func(l string) bool {
		return strings.Join(strings.Fields(l), " ") == "new dev/iam encryption key the bundle had none"
	}) {
		t.Fatalf("update: %+v", r)
	}
	if got := readSecretsEnv(t, secrets)["WSO2KS_IAM_ENCRYPTION_KEY"]; len(got) != 64 || strings.Contains(r.stdout, got) {
		t.Error("the update made no key, or printed it")
	}
	if v := run(t, false, "verify", dir); v.code != 0 {
		t.Errorf("verify after the update: exit %d\n%s", v.code, v.stdout)
	}
	if r := run(t, false, "generate", "-f", topo, "--update", dir); r.code != 0 || !strings.HasPrefix(r.stdout, "nothing to update") {
		t.Errorf("second update: %+v", r)
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
		{"the default key", defaultKey, defaultKey + ": the encryption key in WSO2KS_IAM_ENCRYPTION_KEY is WSO2's published default key, which anyone can use to decrypt the data; generate your own with 'openssl rand -hex 32'"},
		{"too short", short, short + ": the encryption key in WSO2KS_IAM_ENCRYPTION_KEY is 6 characters long; give 64 hex digits ('openssl rand -hex 32'), or 48 or 32"},
		{"no key for MI", mi, mi + `: WSO2KS_MI_ENCRYPTION_KEY names no store of environment "dev"; remove the line`},
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
	if got := readSecretsEnv(t, filepath.Join(out, "dev", emit.SecretsName))["WSO2KS_IAM_ENCRYPTION_KEY"]; got != strings.Repeat("ab", 16) {
		t.Error("the bundle does not hold the supplied key")
	}
}

// TestMergeAndInstallKeepHomeKey: a key deployment.toml already has stays,
// with a note, unless --replace-encryption-key; the flag reaches merge and
// install alike.
func TestMergeAndInstallKeepHomeKey(t *testing.T) {
	const homeKey = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
	dir := t.TempDir()
	bundle := filepath.Join(dir, "ks")
	if r := run(t, false, "generate", "-o", bundle); r.code != 0 {
		t.Fatalf("generate: %+v", r)
	}
	bundleKey := readSecretsEnv(t, filepath.Join(bundle, "default", emit.SecretsName))["WSO2KS_IAM_ENCRYPTION_KEY"]
	snippet := filepath.Join(bundle, "default", "iam", emit.SnippetName)
	withHomeKey := func(file string) {
		data := fileBytes(t, file)
		os.WriteFile(file, append(data, []byte("\n[encryption]\nkey = \""+homeKey+"\"\n")...), 0o600)
	}
	keyOf := func(file string) string {
		data := string(fileBytes(t, file))
		_, rest, _ := strings.Cut(data, "\n[encryption]\nkey = \"")
		k, _, _ := strings.Cut(rest, "\"")
		return k
	}

	dep := filepath.Join(dir, "deployment.toml")
	os.WriteFile(dep, fileBytes(t, filepath.Join(emitTestdata, "merge/is71.toml")), 0o600)
	withHomeKey(dep)
	r := run(t, false, "merge", snippet, dep)
	if r.code != 0 || !strings.HasSuffix(r.stdout, "\nnote: "+emit.NoteEncryptionKeyKept+"\n") || keyOf(dep) != homeKey {
		t.Errorf("merge: %+v; key kept %v", r, keyOf(dep) == homeKey)
	}
	if r := run(t, false, "merge", snippet, dep); r.code != 0 || r.stdout != dep+" is up to date\nnote: "+emit.NoteEncryptionKeyKept+"\n" {
		t.Errorf("second merge: %+v", r)
	}
	r = run(t, false, "merge", snippet, dep, "--replace-encryption-key")
	if r.code != 0 || !strings.HasSuffix(r.stdout, "\nnote: "+emit.NoteEncryptionKeyReplaced+"\n") || keyOf(dep) != bundleKey {
		t.Errorf("merge --replace-encryption-key: %+v; key replaced %v", r, keyOf(dep) == bundleKey)
	}

	home := fakeHome(t, dir, "wso2is-7.1.0", "wso2is")
	deployment := filepath.Join(home, "repository/conf/deployment.toml")
	withHomeKey(deployment)
	r = run(t, false, "install", "--bundle", bundle, "--home", home)
	if r.code != 0 || !strings.Contains(r.stdout, "\nnote: "+emit.NoteEncryptionKeyKept+"\n") || keyOf(deployment) != homeKey {
		t.Errorf("install: %+v; key kept %v", r, keyOf(deployment) == homeKey)
	}
	r = run(t, false, "install", "--bundle", bundle, "--home", home, "--replace-encryption-key")
	if r.code != 0 || keyOf(deployment) != bundleKey {
		t.Errorf("install --replace-encryption-key: %+v; key replaced %v", r, keyOf(deployment) == bundleKey)
	}
	for _, out := range []string{r.stdout, r.stderr} {
		if strings.Contains(out, bundleKey) || strings.Contains(out, homeKey) {
			t.Error("a key reached the output")
		}
	}
}
