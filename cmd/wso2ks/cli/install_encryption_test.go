package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/internal/testkit"
	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/gen"
)

// encryptionKeyOf is the [encryption] key a deployment.toml sets, as
// written, and whether it sets one.
func encryptionKeyOf(t *testing.T, file string) (string, bool) {
	t.Helper()
	_, rest, ok := strings.Cut(string(testkit.ReadFile(t, file)), "\n[encryption]\n")
	if !ok {
		return "", false
	}
	_, rest, ok = strings.Cut(rest, "key = \"")
	k, _, _ := strings.Cut(rest, "\"")
	return k, ok
}

// usedHomeOf makes a fake IS 7.1 home that has run: its log is not empty.
func usedHomeOf(t *testing.T, dir, name string) string {
	t.Helper()
	home := fakeHome(t, dir, name, "wso2is")
	os.MkdirAll(filepath.Join(home, "repository/logs"), 0o755)
	os.WriteFile(filepath.Join(home, carbonLog), []byte("INFO {org.wso2.carbon.core.init.CarbonServerManager} - Starting WSO2 Carbon\n"), 0o644)
	return home
}

// TestInstallUsedHomeKeepsDefaultKey: a home that has run without a key of
// its own encrypted its data with WSO2's published key; install keeps it,
// says why and how to migrate, unless --replace-encryption-key. A fresh
// pack gets the bundle's key, even where it names WSO2's.
func TestInstallUsedHomeKeepsDefaultKey(t *testing.T) {
	dir := t.TempDir()
	bundleDir := filepath.Join(dir, "ks")
	if r := run(t, false, "generate", "-o", bundleDir); r.code != 0 {
		t.Fatalf("generate: %+v", r)
	}
	ours := readSecretsEnv(t, filepath.Join(bundleDir, "default", bundle.SecretsName))["WSO2KS_IAM_ENCRYPTION_KEY"]
	migrate := "to move to a key of its own, first add old_key = \"" + gen.DefaultEncryptionKey + "\" under [encryption] (IS 7.1.0 decrypts the data it has with old_key and encrypts new data with key), then install with --replace-encryption-key\n"
	for _, tc := range []struct {
		name    string
		used    bool
		homeKey string // [encryption] key the home sets
		args    []string
		want    string // the key after install ("": none)
		note    string
	}{
		{name: "fresh pack", want: ours},
		{name: "fresh pack with WSO2's key", homeKey: gen.DefaultEncryptionKey, want: ours,
			note: "encryption: the bundle's key replaces WSO2's published default key: the home has not run, so nothing is encrypted with it yet\n"},
		{name: "used home", used: true,
			note: "note: repository/logs/wso2carbon.log is not empty: the server has run, and deployment.toml has no [encryption] key: IS 7.1.0 has encrypted its internal data with WSO2's published default key, so install leaves the bundle's key out and the home keeps the default; " + migrate},
		{name: "used home with WSO2's key", used: true, homeKey: gen.DefaultEncryptionKey, want: gen.DefaultEncryptionKey,
			note: "note: repository/logs/wso2carbon.log is not empty: the server has run, and deployment.toml's [encryption] key is WSO2's published default: IS 7.1.0 has encrypted its internal data with WSO2's published default key, so install leaves the bundle's key out and the home keeps the default; " + migrate},
		{name: "used home, --replace-encryption-key", used: true, args: []string{"--replace-encryption-key"}, want: ours},
	} {
		t.Run(tc.name, func(t *testing.T) {
			name := strings.ReplaceAll(tc.name, " ", "-")
			home := fakeHome(t, t.TempDir(), name, "wso2is")
			if tc.used {
				home = usedHomeOf(t, t.TempDir(), name)
			}
			deployment := filepath.Join(home, "repository/conf/deployment.toml")
			if tc.homeKey != "" {
				os.WriteFile(deployment, append(testkit.ReadFile(t, deployment), []byte("\n[encryption]\nkey = \""+tc.homeKey+"\"\n")...), 0o644)
			}
			r := run(t, false, append([]string{"install", "--bundle", bundleDir, "--home", home}, tc.args...)...)
			if r.code != 0 || tc.note != "" && !strings.Contains(r.stdout, tc.note) || strings.Contains(r.stdout, "old_key") != strings.Contains(tc.note, "old_key") {
				t.Errorf("exit %d, stderr %q\nstdout:\n%s\nwant the note:\n%s", r.code, r.stderr, r.stdout, tc.note)
			}
			if got, _ := encryptionKeyOf(t, deployment); got != tc.want {
				t.Errorf("the home's key is not the %s", map[bool]string{true: "bundle's", false: "one it had"}[tc.want == ours])
			}
			if strings.Contains(r.stdout+r.stderr, ours) {
				t.Error("the bundle's key reached the output")
			}
			snap := snapshot(t, home)
			if r := run(t, false, append([]string{"install", "--bundle", bundleDir, "--home", home}, tc.args...)...); r.code != 0 || !strings.HasPrefix(r.stdout, home+" is up to date") {
				t.Errorf("again: %+v", r)
			}
			if snapshot(t, home) != snap {
				t.Error("installing again changed the home")
			}
		})
	}
}

// TestInstallFKeepsHomeKey: install -f builds the bundle around the key the
// home has, so that the secrets.env it writes gives the same key; a key it
// cannot resolve is refused, as a password is.
func TestInstallFKeepsHomeKey(t *testing.T) {
	const homeKey = "00112233445566778899aabbccddeeff"
	dir := t.TempDir()
	home := fakeHome(t, dir, "wso2is-7.1.0", "wso2is")
	deployment := filepath.Join(home, "repository/conf/deployment.toml")
	os.WriteFile(deployment, append(testkit.ReadFile(t, deployment), []byte("\n[encryption]\nkey = \"$env{IAM_KEY}\"\n")...), 0o644)
	topo := isTopology(t, dir, "env", `hostnames = ["localhost"]`)
	secrets := filepath.Join(dir, "s.env")

	before := snapshot(t, home)
	r := run(t, false, "install", "-f", topo, "--home", home, "--secrets", secrets)
	want := deployment + ": [encryption] key: $env{IAM_KEY} is not set, so install cannot keep the home's encryption key in the bundle it makes; export the variables of the secrets.env the earlier install wrote (set -a; . FILE; set +a) and install again, or pass --replace-encryption-key\n"
	if r.code != 2 || r.stderr != want || r.stdout != "" {
		t.Errorf("exit %d, stdout %q\nstderr %q\nwant   %q", r.code, r.stdout, r.stderr, want)
	}
	if _, err := os.Stat(secrets); err == nil || snapshot(t, home) != before {
		t.Error("the refused install wrote something")
	}

	testEnv["IAM_KEY"] = homeKey
	defer delete(testEnv, "IAM_KEY")
	if r := run(t, false, "install", "-f", topo, "--home", home, "--secrets", secrets); r.code != 0 || strings.Contains(r.stdout, homeKey) {
		t.Fatalf("%+v", r)
	}
	if got := readSecretsEnv(t, secrets)["WSO2KS_IAM_ENCRYPTION_KEY"]; got != homeKey {
		t.Error("secrets.env does not give the home's key")
	}
	if got, _ := encryptionKeyOf(t, deployment); got != "$env{IAM_KEY}" {
		t.Errorf("[encryption] key = %q, want the home's own $env{IAM_KEY}", got)
	}
}

// TestInstallEnvBundleKey: in env mode the home's key and the bundle's are
// both $env{WSO2KS_IAM_ENCRYPTION_KEY}, their values in secrets.env files:
// another bundle's would change the key unseen, so install refuses it; the
// bundle installed before (the install record has its key's hash) is up
// to date without the environment.
func TestInstallEnvBundleKey(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	if r := run(t, false, "generate", "-f", isTopology(t, dir, "env", `hostnames = ["localhost"]`), "-o", a); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	// b has a's passwords (the seeded source would give it a's key too):
	// its key comes from a file.
	var passwords []string
	for _, line := range strings.Split(string(testkit.ReadFile(t, filepath.Join(a, "default", bundle.SecretsName))), "\n") {
		if !strings.HasPrefix(line, "WSO2KS_IAM_ENCRYPTION_KEY=") {
			passwords = append(passwords, line)
		}
	}
	os.WriteFile(filepath.Join(dir, "passwords.env"), []byte(strings.Join(passwords, "\n")), 0o600)
	os.WriteFile(filepath.Join(dir, "key.txt"), []byte(strings.Repeat("ab", 32)+"\n"), 0o600)
	if r := run(t, false, "generate", "-f", isTopology(t, dir, "env", `hostnames = ["localhost"]`, "[product.passwords]", `encryption_key = "file:key.txt"`),
		"-o", b, "--passwords", filepath.Join(dir, "passwords.env")); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	home := fakeHome(t, dir, "wso2is-7.1.0", "wso2is")
	if r := run(t, false, "install", "--bundle", a, "--home", home); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	if r := run(t, false, "install", "--bundle", a, "--home", home); r.code != 0 || r.stdout != home+" is up to date with default/iam\n" {
		t.Errorf("the same bundle: %+v", r)
	}
	deployment := filepath.Join(home, "repository/conf/deployment.toml")
	before := snapshot(t, home)
	r := run(t, false, "install", "--bundle", b, "--home", home, "--replace-keys")
	want := deployment + ": [encryption] key $env{WSO2KS_IAM_ENCRYPTION_KEY} does not resolve ($env{WSO2KS_IAM_ENCRYPTION_KEY} is not set), and install cannot tell whether the bundle's secrets.env gives it the same key: the home's internal data is encrypted with its key; export the secrets.env the home runs with (set -a; . FILE; set +a) and install a bundle made with its key ('wso2ks install -f topology.toml' keeps it), or pass --replace-encryption-key\n"
	if r.code != 2 || r.stderr != want {
		t.Errorf("another bundle: exit %d\nstderr %q\nwant   %q", r.code, r.stderr, want)
	}
	exportSecrets(t, filepath.Join(a, "default", bundle.SecretsName))
	r = run(t, false, "install", "--bundle", b, "--home", home, "--replace-keys")
	want = deployment + ": [encryption] key $env{WSO2KS_IAM_ENCRYPTION_KEY} is not the key the bundle's secrets.env gives it: the home's internal data is encrypted with its key; export the secrets.env the home runs with (set -a; . FILE; set +a) and install a bundle made with its key ('wso2ks install -f topology.toml' keeps it), or pass --replace-encryption-key\n"
	if r.code != 2 || r.stderr != want {
		t.Errorf("another bundle, the home's key exported: exit %d\nstderr %q\nwant   %q", r.code, r.stderr, want)
	}
	if snapshot(t, home) != before {
		t.Error("a refused install changed the home")
	}
	if r := run(t, false, "install", "--bundle", b, "--home", home, "--replace-keys", "--replace-encryption-key"); r.code != 0 {
		t.Errorf("--replace-encryption-key: %+v", r)
	}
}
