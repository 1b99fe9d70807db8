package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pelletier/go-toml/v2"
	"github.com/wso2ks/wso2ks/pkg/keystore"
)

// isTopology writes a one-product IS 7.1 topology in mode; extra lines go
// into its [[product]].
func isTopology(t *testing.T, dir, mode string, extra ...string) string {
	t.Helper()
	topo := filepath.Join(dir, "t.toml")
	body := "[subject]\norganization = \"X\"\n[defaults]\npassword_mode = \"" + mode + "\"\npublic_cas = false\n" +
		"[[product]]\nname = \"iam\"\nkind = \"wso2is\"\nversion = \"7.1.0\"\ninstall_dir = \"/opt/wso2is-7.1.0\"\n" + strings.Join(extra, "\n") + "\n"
	if err := os.WriteFile(topo, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return topo
}

// exportSecrets puts the variables of a secrets.env into the environment
// the commands see, as 'set -a; . FILE; set +a' does, until the test ends.
func exportSecrets(t *testing.T, file string, names ...string) {
	t.Helper()
	vars := readSecretsEnv(t, file)
	for k, v := range vars {
		if len(names) == 0 || strings.Contains(strings.Join(names, " "), k) {
			testEnv[k] = v
			t.Cleanup(func() { delete(testEnv, k) })
		}
	}
}

// security reads a file of the home's repository/resources/security.
func security(t *testing.T, home, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(home, "repository/resources/security", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestInstallAgainKeepsKeys: a second 'install -f' of the same topology
// keeps every key byte for byte and writes nothing, in every password
// mode; where the passwords are not in deployment.toml it needs the
// secrets.env of the first install, and says so.
func TestInstallAgainKeepsKeys(t *testing.T) {
	for _, tc := range []struct {
		mode string
		// export are the variables the second run needs (all when empty),
		// refused the message without them.
		export  []string
		refused string
	}{
		{mode: "plain"},
		{mode: "env", refused: "[keystore.primary] password: $env{WSO2KS_IAM_PRIMARY_PASSWORD} is not set, so install cannot read the home's primary key to keep it; export the variables of the secrets.env the earlier install wrote (set -a; . FILE; set +a) and install again, or pass --replace-keys"},
		// The secure vault decrypts the others with the internal store.
		{mode: "vault", export: []string{"WSO2KS_IAM_INTERNAL_PASSWORD"},
			refused: "[keystore.primary] password: $secret{iam_primary_password}: the internal store's password is needed to decrypt it: WSO2KS_IAM_INTERNAL_PASSWORD is not set, so install cannot read the home's primary key to keep it; export the variables of the secrets.env the earlier install wrote (set -a; . FILE; set +a) and install again, or pass --replace-keys"},
	} {
		t.Run(tc.mode, func(t *testing.T) {
			dir := t.TempDir()
			home := fakeHome(t, dir, "wso2is-7.1.0", "wso2is")
			topo := isTopology(t, dir, tc.mode, `hostnames = ["iam.example.com", "localhost"]`)
			first := filepath.Join(dir, "first.env")
			if r := run(t, false, "install", "-f", topo, "--home", home, "--secrets", first); r.code != 0 {
				t.Fatalf("first install: %+v", r)
			}
			before := snapshot(t, home)
			again := []string{"install", "-f", topo, "--home", home, "--secrets", filepath.Join(dir, "again.env")}
			if tc.refused != "" {
				r := run(t, false, again...)
				if want := filepath.Join(home, "repository/conf/deployment.toml") + ": " + tc.refused + "\n"; r.code != 2 || r.stderr != want || r.stdout != "" {
					t.Errorf("without the passwords: exit %d, stdout %q\nstderr %q\nwant   %q", r.code, r.stdout, r.stderr, want)
				}
				if snapshot(t, home) != before {
					t.Error("the refused install changed the home")
				}
				exportSecrets(t, first, tc.export...)
			}
			r := run(t, false, again...)
			if r.code != 0 || r.stdout != home+" is up to date with default/iam\n" || r.stderr != "" {
				t.Errorf("second install: %+v", r)
			}
			if snapshot(t, home) != before {
				t.Error("the second install changed the home")
			}
			if _, err := os.Stat(filepath.Join(dir, "again.env")); err == nil {
				t.Error("an install that changes nothing wrote --secrets")
			}
		})
	}
}

// TestInstallKeepsKeysOfChangedTopology: a topology with another hostname
// keeps the home's primary and internal stores byte for byte and the tls
// key, with a new certificate for the new name; the old tls store is kept
// as a backup, 0600.
func TestInstallKeepsKeysOfChangedTopology(t *testing.T) {
	dir := t.TempDir()
	home := fakeHome(t, dir, "wso2is-7.1.0", "wso2is")
	if r := run(t, false, "install", "-f", isTopology(t, dir, "plain", `hostnames = ["localhost"]`), "--home", home); r.code != 0 {
		t.Fatalf("first install: %+v", r)
	}
	primary, internal, tls := security(t, home, "primary.p12"), security(t, home, "internal.p12"), security(t, home, "tls.p12")
	r := run(t, false, "install", "-f", isTopology(t, dir, "plain", `hostnames = ["localhost", "iam.example.com"]`), "--home", home)
	want := "installed default/iam into " + home + "\n" +
		"  repository/resources/security/tls.p12\n" +
		"  repository/resources/security/client-truststore.p12\n" +
		"  repository/resources/security/wso2ks-install.json\n" +
		"keys: kept the home's primary, internal\n" +
		"keys: kept the home's key, with a new certificate, for tls (SANs +iam.example.com)\n" +
		"truststore: the bundle's certificates replace those an earlier install wrote for iam-tls\n" +
		"the files replaced are kept as:\n" +
		"  repository/resources/security/tls.p12.wso2ks-backup\n" +
		"  repository/resources/security/client-truststore.p12.wso2ks-backup.1\n" +
		"next: start default/iam from " + home + ", or restart it (one node at a time) if it runs, so that it loads the new files\n" +
		"next: wso2ks verify " + home + "\n"
	if r.code != 0 || r.stdout != want || r.stderr != "" {
		t.Fatalf("exit %d, stderr %q\nstdout:\n%s\nwant:\n%s", r.code, r.stderr, r.stdout, want)
	}
	if !bytes.Equal(security(t, home, "primary.p12"), primary) || !bytes.Equal(security(t, home, "internal.p12"), internal) {
		t.Error("primary or internal changed")
	}
	if !bytes.Equal(security(t, home, "tls.p12.wso2ks-backup"), tls) {
		t.Error("the backup is not the old tls store")
	}
	if st, _ := os.Stat(filepath.Join(home, "repository/resources/security/tls.p12.wso2ks-backup")); st.Mode().Perm() != 0o600 {
		t.Errorf("the tls backup is mode %v", st.Mode().Perm())
	}
	oldKey := decodeKey(t, home, tls)
	newKey := decodeKey(t, home, security(t, home, "tls.p12"))
	if !samePublic(oldKey.Key.Public(), newKey.Key.Public()) || !strings.Contains(strings.Join(newKey.Chain[0].DNSNames, " "), "iam.example.com") {
		t.Errorf("tls: want the same key with iam.example.com added, got SANs %v", newKey.Chain[0].DNSNames)
	}

	// --replace-keys: new keys, each replacement said, the old stores kept.
	r = run(t, false, "install", "-f", isTopology(t, dir, "plain", `hostnames = ["localhost", "iam.example.com"]`), "--home", home, "--replace-keys")
	for _, role := range []string{"primary", "internal", "tls"} {
		if !strings.Contains(r.stdout, "keys: the bundle replaces the home's "+role+" key (repository/resources/security/"+role+".p12, ") {
			t.Errorf("-f --replace-keys does not say it replaces %s: %+v", role, r)
		}
	}
	if r.code != 0 || bytes.Equal(security(t, home, "primary.p12"), primary) || !bytes.Equal(security(t, home, "primary.p12.wso2ks-backup"), primary) {
		t.Errorf("-f --replace-keys: %+v", r)
	}
}

// decodeKey opens a key store of a plain-mode home with one of the
// passwords its deployment.toml gives.
func decodeKey(t *testing.T, home string, data []byte) keystore.KeyEntry {
	t.Helper()
	conf, err := os.ReadFile(filepath.Join(home, "repository/conf/deployment.toml"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Keystore map[string]struct{ Password string }
	}
	if err := toml.Unmarshal(conf, &doc); err != nil {
		t.Fatal(err)
	}
	for _, ks := range doc.Keystore {
		for _, f := range []keystore.Format{keystore.PKCS12, keystore.JKS} {
			if got, err := keystore.Decode(f, data, ks.Password); err == nil && len(got.Keys) == 1 {
				return got.Keys[0]
			}
		}
	}
	t.Fatal("the store opens with none of the home's passwords")
	return keystore.KeyEntry{}
}

// TestInstallBundleOtherKeys: a bundle whose primary and internal keys are
// not the home's is refused, naming what depends on them; --replace-keys
// installs it and keeps the old stores as 0600 backups. A bundle whose tls
// key alone is new (a rotation) installs without the flag and says so.
func TestInstallBundleOtherKeys(t *testing.T) {
	dir := t.TempDir()
	a, b, rotated := filepath.Join(dir, "a"), filepath.Join(dir, "b"), filepath.Join(dir, "rotated")
	for _, d := range []string{a, b, rotated} {
		if r := run(t, false, "generate", "-f", isTopology(t, dir, "plain", `hostnames = ["localhost"]`), "-o", d); r.code != 0 {
			t.Fatalf("%+v", r)
		}
	}
	home := fakeHome(t, dir, "wso2is-7.1.0", "wso2is")
	if r := run(t, false, "install", "--bundle", a, "--home", home); r.code != 0 {
		t.Fatalf("install a: %+v", r)
	}
	old := map[string][]byte{}
	for _, s := range []string{"primary.p12", "internal.p12", "tls.p12"} {
		old[s] = security(t, home, s)
	}
	before := snapshot(t, home)
	r := run(t, false, "install", "--bundle", b, "--home", home)
	leaf := decodeKey(t, home, old["primary.p12"]).Chain[0]
	want := filepath.Join(home, "repository/resources/security/primary.p12") + ": the home's primary key (" + leaf.Subject.String() +
		") is not the bundle's: signatures it made on tokens and assertions that clients still hold would no longer verify; install a bundle made from this home's keys ('wso2ks install -f topology.toml' keeps them), or pass --replace-keys\n"
	if r.code != 2 || r.stderr != want || r.stdout != "" {
		t.Errorf("other keys: exit %d, stdout %q\nstderr %q\nwant   %q", r.code, r.stdout, r.stderr, want)
	}
	if snapshot(t, home) != before {
		t.Error("the refused install changed the home")
	}

	r = run(t, false, "install", "--bundle", b, "--home", home, "--replace-keys")
	if r.code != 0 {
		t.Fatalf("--replace-keys: %+v", r)
	}
	for _, role := range []string{"primary", "internal", "tls"} {
		line := "keys: the bundle replaces the home's " + role + " key (repository/resources/security/" + role + ".p12, " + leaf.Subject.String() + ")\n"
		if !strings.Contains(r.stdout, line) || !strings.Contains(r.stdout, "  repository/resources/security/"+role+".p12.wso2ks-backup\n") {
			t.Errorf("--replace-keys does not say it replaces %s and keeps its backup:\n%s", role, r.stdout)
		}
		backup := filepath.Join(home, "repository/resources/security", role+".p12.wso2ks-backup")
		if data, _ := os.ReadFile(backup); !bytes.Equal(data, old[role+".p12"]) {
			t.Errorf("%s is not the old store", backup)
		}
		if st, _ := os.Stat(backup); st.Mode().Perm() != 0o600 {
			t.Errorf("%s is mode %v", backup, st.Mode().Perm())
		}
	}
	if r := run(t, false, "install", "--bundle", b, "--home", home); r.code != 0 || r.stdout != home+" is up to date with default/iam\n" {
		t.Errorf("the same bundle again: %+v", r)
	}

	// A rotation of b's tls key: the rest is b's own.
	os.RemoveAll(rotated)
	copyDir(t, b, rotated)
	if r := run(t, false, "rotate", rotated, "--product", "iam"); r.code != 0 {
		t.Fatalf("rotate: %+v", r)
	}
	r = run(t, false, "install", "--bundle", rotated, "--home", home)
	tlsLine := "keys: the bundle replaces the home's tls key (repository/resources/security/tls.p12, " + leaf.Subject.String() + ")\n"
	if r.code != 0 || !strings.Contains(r.stdout, tlsLine) || strings.Contains(r.stdout, "primary key") {
		t.Errorf("rotated tls: %+v", r)
	}
}

// copyDir copies a bundle directory, modes kept.
func copyDir(t *testing.T, from, to string) {
	t.Helper()
	filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(from, p)
		info, _ := d.Info()
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), info.Mode().Perm())
		}
		data, _ := os.ReadFile(p)
		return os.WriteFile(filepath.Join(to, rel), data, info.Mode().Perm())
	})
}

// TestInstallRegistryWSSec: APIM's WS-Security store has no table (it is
// uploaded to the registry): install -f keeps it when its password is in
// the environment, and otherwise says that it replaces it.
func TestInstallRegistryWSSec(t *testing.T) {
	dir := t.TempDir()
	home := fakeHome(t, dir, "wso2am-4.5.0", "wso2am")
	topo := filepath.Join(dir, "apim.toml")
	os.WriteFile(topo, []byte("[subject]\norganization = \"X\"\n[defaults]\npublic_cas = false\n[[product]]\nname = \"apim\"\nkind = \"wso2am\"\nversion = \"4.5.0\"\nhostnames = [\"localhost\"]\nws_security = true\n"), 0o644)
	first := filepath.Join(dir, "first.env")
	if r := run(t, false, "install", "-f", topo, "--home", home, "--secrets", first); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	before := snapshot(t, home)
	exportSecrets(t, first, "WSO2KS_APIM_WSSEC_PASSWORD")
	if r := run(t, false, "install", "-f", topo, "--home", home); r.code != 0 || r.stdout != home+" is up to date with default/apim\n" {
		t.Errorf("with its password: %+v", r)
	}
	if snapshot(t, home) != before {
		t.Error("the home changed")
	}
	delete(testEnv, "WSO2KS_APIM_WSSEC_PASSWORD")
	r := run(t, false, "install", "-f", topo, "--home", home)
	if want := "keys: the bundle replaces the home's wssec store repository/resources/security/wssec.jks, which install cannot read (WSO2KS_APIM_WSSEC_PASSWORD is not set)\n"; r.code != 0 || !strings.Contains(r.stdout, want) ||
		!strings.Contains(r.stdout, "  repository/resources/security/wssec.jks.wso2ks-backup\n") {
		t.Errorf("without its password: %+v", r)
	}
}
