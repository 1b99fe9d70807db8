package cli

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestInstallTightensModes: plain passwords make the installed
// deployment.toml and its backup 0600; env placeholders leave the file's
// mode, but the backup still holds the pack's wso2carbon.
func TestInstallTightensModes(t *testing.T) {
	dir := t.TempDir()
	env := filepath.Join(dir, "env.toml")
	os.WriteFile(env, []byte("[subject]\norganization = \"X\"\n[defaults]\npassword_mode = \"env\"\npublic_cas = false\n[[product]]\nname = \"iam\"\nkind = \"wso2is\"\nversion = \"7.1.0\"\nhostnames = [\"iam.example.com\"]\n"), 0o644)
	for _, tt := range []struct {
		name         string
		args         []string
		file, backup os.FileMode
		note         string
	}{
		{"plain", []string{"-f", "../../../examples/single-node.toml"}, 0o600, 0o600,
			"note: chmod 600 repository/conf/deployment.toml and its backup: they hold passwords (the file was 0644)\n"},
		{"env", []string{"-f", env, "--secrets", filepath.Join(dir, "secrets.env")}, 0o644, 0o600,
			"note: chmod 600 the backup of repository/conf/deployment.toml: it holds passwords (the file is 0644)\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			home := fakeHome(t, filepath.Join(dir, tt.name), "wso2is-7.1.0", "wso2is")
			deployment := filepath.Join(home, "repository/conf/deployment.toml")
			r := run(t, false, append([]string{"install", "--home", home}, tt.args...)...)
			if body, _ := splitNext(r.stdout); r.code != 0 || r.stderr != "" || !strings.HasSuffix(body, tt.note) {
				t.Fatalf("%+v\nwant stdout ending %q", r, tt.note)
			}
			if m := modeOf(t, deployment); m != tt.file {
				t.Errorf("deployment.toml mode %v, want %v", m, tt.file)
			}
			if m := modeOf(t, deployment+BackupSuffix); m != tt.backup {
				t.Errorf("backup mode %v, want %v", m, tt.backup)
			}
		})
	}
}

// TestInstallRefusesOverride: a home whose deployment.toml keeps Tomcat on
// another store is refused at the key, and left as it was.
func TestInstallRefusesOverride(t *testing.T) {
	home := fakeHome(t, t.TempDir(), "wso2is-7.1.0", "wso2is")
	deployment := filepath.Join(home, "repository/conf/deployment.toml")
	old := readFile(t, deployment)
	os.WriteFile(deployment, []byte(old+tomcatOverride), 0o644)
	line := strconv.Itoa(strings.Count(old, "\n") + 3)
	before := snapshot(t, home)
	r := run(t, false, "install", "-f", "../../../examples/single-node.toml", "--home", home)
	want := deployment + ":" + line + ":1: key transport.https.sslHostConfig.certificate.properties.certificateKeystoreFile sets the file_name of the store Tomcat's HTTPS connector presents, and wins over the [keystore.tls] merge writes (WSO2 fills in only keys left unset); delete it and transport.https.sslHostConfig.certificate.properties.certificateKeystorePassword at " + strconv.Itoa(strings.Count(old, "\n")+4) + ":1 so the server follows [keystore.tls], and merge again\n"
	if r.code != 2 || r.stderr != want || r.stdout != "" {
		t.Errorf("exit %d, stdout %q\nstderr %q\nwant   %q", r.code, r.stdout, r.stderr, want)
	}
	if snapshot(t, home) != before {
		t.Error("the refused install changed the home")
	}
}

// TestInstallVaultAnywhere: secret-conf.properties names the cipher store relative to the
// home, so a vault bundle installs into any home without a word; a bundle of an earlier
// wso2ks, with an absolute install_dir elsewhere, gets a note.
func TestInstallVaultAnywhere(t *testing.T) {
	dir := t.TempDir()
	bundle := filepath.Join(dir, "ks")
	if r := run(t, false, "generate", "-f", "../../../examples/vault.toml", "-o", bundle); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	home := fakeHome(t, filepath.Join(dir, "a"), "wso2is-7.1.0", "wso2is")
	r := run(t, false, "install", "--bundle", bundle, "--product", "iam", "--home", home)
	if r.code != 0 || strings.Contains(r.stdout, "secret-conf.properties names") {
		t.Fatalf("%+v", r)
	}
	if got := readFile(t, filepath.Join(home, "repository/conf/security/secret-conf.properties")); !strings.Contains(got, "\nkeystore.identity.location=repository/resources/security/internal.p12\n") {
		t.Errorf("secret-conf.properties:\n%s", got)
	}

	conf := filepath.Join(bundle, "default/iam/repository/conf/security/secret-conf.properties")
	old := readFile(t, conf)
	os.WriteFile(conf, []byte(strings.Replace(old, "keystore.identity.location=", "keystore.identity.location=/opt/wso2is-7.1.0/", 1)), 0o600)
	home = fakeHome(t, filepath.Join(dir, "b"), "wso2is-7.1.0", "wso2is")
	r = run(t, false, "install", "--bundle", bundle, "--product", "iam", "--home", home)
	want := "note: secret-conf.properties names /opt/wso2is-7.1.0/repository/resources/security/internal.p12 (install_dir); the server must run from there, or regenerate the bundle, whose secret-conf.properties then names the store relative to the home\n"
	if body, _ := splitNext(r.stdout); r.code != 0 || !strings.HasSuffix(body, want) {
		t.Errorf("%+v\nwant stdout ending %q", r, want)
	}
}
