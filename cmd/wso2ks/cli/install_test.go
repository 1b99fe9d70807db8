package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pelletier/go-toml/v2"
)

func TestInstallFromBundle(t *testing.T) {
	dir := t.TempDir()
	bundle := filepath.Join(dir, "ks")
	if r := run(t, false, "generate", "-f", "../../../examples/multi-product.toml", "--env", "dev", "-o", bundle); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	for _, tt := range []struct{ product, kind, dir, conf, ext string }{
		{"iam", "wso2is", "wso2is-7.1.0", "repository/conf", "p12"},
		{"apim", "wso2am", "wso2am-4.5.0", "repository/conf", "jks"},
		{"mi", "wso2mi", "wso2mi-4.4.0", "conf", "jks"},
	} {
		t.Run(tt.product, func(t *testing.T) {
			home := fakeHome(t, dir, tt.dir, tt.kind)
			deployment := filepath.Join(home, tt.conf, "deployment.toml")
			before, _ := os.ReadFile(deployment)
			pack, _ := os.ReadFile(filepath.Join(home, "repository/resources/security/wso2carbon."+tt.ext))

			dry := snapshot(t, home)
			r := run(t, false, "install", "--bundle", bundle, "--product", tt.product, "--home", home, "--dry-run")
			if r.code != 0 || !strings.Contains(r.stdout, "would create repository/resources/security/tls."+tt.ext+"\n") || !strings.Contains(r.stdout, "would replace "+tt.conf+"/deployment.toml\n") {
				t.Errorf("--dry-run: %+v", r)
			}
			if snapshot(t, home) != dry {
				t.Error("--dry-run changed the home")
			}

			r = run(t, false, "install", "--bundle", bundle, "--product", tt.product, "--home", home)
			if r.code != 0 || r.stderr != "" || !strings.HasPrefix(r.stdout, "installed dev/"+tt.product+" into "+home+"\n") {
				t.Fatalf("install: %+v", r)
			}
			// The stores are the bundle's, byte for byte, and 0600.
			for _, role := range []string{"primary", "internal", "tls", "client-truststore"} {
				rel := "repository/resources/security/" + role + "." + tt.ext
				got, err := os.ReadFile(filepath.Join(home, rel))
				want, _ := os.ReadFile(filepath.Join(bundle, "dev", tt.product, rel))
				if err != nil || string(got) != string(want) {
					t.Errorf("%s differs from the bundle's", rel)
				}
				if st, _ := os.Stat(filepath.Join(home, rel)); st.Mode().Perm() != 0o600 {
					t.Errorf("%s has mode %v", rel, st.Mode().Perm())
				}
			}
			// deployment.toml names the new stores, keeps everything else,
			// and its old version is the backup.
			after, _ := os.ReadFile(deployment)
			var oldDoc, newDoc map[string]any
			if err := toml.Unmarshal(before, &oldDoc); err != nil {
				t.Fatal(err)
			}
			if err := toml.Unmarshal(after, &newDoc); err != nil {
				t.Fatalf("installed deployment.toml does not decode: %v", err)
			}
			primary := newDoc["keystore"].(map[string]any)["primary"].(map[string]any)
			if fn := primary["file_name"].(string); !strings.HasSuffix(fn, "primary."+tt.ext) {
				t.Errorf("[keystore.primary] file_name = %q", fn)
			}
			for k, v := range oldDoc {
				if k == "keystore" || k == "truststore" || k == "transport" || k == "internal_api_ssl_config" {
					continue
				}
				if a, b := mustTOML(t, v), mustTOML(t, newDoc[k]); a != b {
					t.Errorf("[%s] changed:\n%s\n%s", k, a, b)
				}
			}
			backup, _ := os.ReadFile(deployment + ".wso2ks-backup")
			if string(backup) != string(before) {
				t.Error("the backup is not the old deployment.toml")
			}
			if data, _ := os.ReadFile(filepath.Join(home, "repository/resources/security/wso2carbon."+tt.ext)); string(data) != string(pack) {
				t.Error("install touched a store it does not own")
			}

			// Again: nothing changes, no second backup.
			snap := snapshot(t, home)
			r = run(t, false, "install", "--bundle", bundle, "--product", tt.product, "--home", home)
			if r.code != 0 || r.stdout != home+" is up to date with dev/"+tt.product+"\n" {
				t.Errorf("second install: %+v", r)
			}
			if snapshot(t, home) != snap {
				t.Error("the second install changed the home")
			}
		})
	}
}

func mustTOML(t *testing.T, v any) string {
	t.Helper()
	data, err := toml.Marshal(map[string]any{"x": v})
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestInstallFailureLeavesHome fails the swap at every step: the home must
// be exactly as before each time.
func TestInstallFailureLeavesHome(t *testing.T) {
	dir := t.TempDir()
	bundle := filepath.Join(dir, "ks")
	if r := run(t, false, "generate", "-f", "../../../examples/vault.toml", "-o", bundle); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	home := fakeHome(t, dir, "wso2is-7.1.0", "wso2is")
	os.RemoveAll(filepath.Join(home, "repository/resources/security"))
	before := snapshot(t, home)
	defer func() { installFailAt = -1 }()
	for step := 0; step < 7; step++ {
		installFailAt = step
		r := run(t, false, "install", "--bundle", bundle, "--product", "iam", "--home", home)
		if r.code != 3 || !strings.Contains(r.stderr, "(nothing was changed): injected failure") {
			t.Errorf("step %d: %+v", step, r)
		}
		if got := snapshot(t, home); got != before {
			t.Fatalf("step %d: the home changed:\n%s\nwant:\n%s", step, got, before)
		}
	}
	installFailAt = -1
	if r := run(t, false, "install", "--bundle", bundle, "--product", "iam", "--home", home); r.code != 0 {
		t.Fatalf("install after the failures: %+v", r)
	}
}

// TestInstallFailureLeavesBackupsOut: a failure part-way through replacing
// every store of a home (--replace-keys) puts each back and removes the
// backups already written.
func TestInstallFailureLeavesBackupsOut(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	for _, d := range []string{a, b} {
		if r := run(t, false, "generate", "-f", "../../../examples/vault.toml", "-o", d); r.code != 0 {
			t.Fatalf("%+v", r)
		}
	}
	home := fakeHome(t, dir, "wso2is-7.1.0", "wso2is")
	if r := run(t, false, "install", "--bundle", a, "--product", "iam", "--home", home); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	before := snapshot(t, home)
	defer func() { installFailAt = -1 }()
	for step := 0; step < 7; step++ { // seven files change: secret-conf.properties stays
		installFailAt = step
		r := run(t, false, "install", "--bundle", b, "--product", "iam", "--home", home, "--replace-keys")
		if r.code != 3 || !strings.Contains(r.stderr, "(nothing was changed): injected failure") {
			t.Errorf("step %d: %+v", step, r)
		}
		if got := snapshot(t, home); got != before {
			t.Fatalf("step %d: the home changed:\n%s\nwant:\n%s", step, got, before)
		}
	}
}

func TestInstallBadInput(t *testing.T) {
	dir := t.TempDir()
	bundle := filepath.Join(dir, "ks")
	if r := run(t, false, "generate", "-f", "../../../examples/multi-product.toml", "--env", "dev", "-o", bundle); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	isHome := fakeHome(t, dir, "wso2is-7.1.0", "wso2is")
	miHome := fakeHome(t, dir, "mi-home", "wso2mi")
	oldHome := fakeHome(t, dir, "wso2is-7.0.0", "wso2is")
	apimScript := fakeHome(t, dir, "is-home", "wso2is")
	os.Remove(filepath.Join(apimScript, "bin/wso2server.sh"))
	os.WriteFile(filepath.Join(apimScript, "bin/api-manager.sh"), nil, 0o644)
	corrupt := fakeHome(t, dir, "corrupt", "wso2is")
	os.WriteFile(filepath.Join(corrupt, "repository/conf/deployment.toml"), []byte("[server]\nhostname = \"x\"\n[keystore.primary\n"), 0o644)
	readOnly := fakeHome(t, dir, "read-only", "wso2is")
	os.Chmod(filepath.Join(readOnly, "repository/conf/deployment.toml"), 0o444)
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no home", []string{"--bundle", bundle, "--product", "iam"}, 2,
			"wso2ks: install needs --home WSO2_HOME; see 'wso2ks install --help'"},
		{"both sources", []string{"--bundle", bundle, "-f", "x.toml", "--home", isHome}, 2,
			"wso2ks: install takes either --bundle DIR or -f topology.toml; see 'wso2ks install --help'"},
		{"several products", []string{"--bundle", bundle, "--home", isHome}, 2,
			filepath.Join(bundle, "manifest.json") + ": install puts one product into a home, and the bundle holds several; give --env and --product one of the pairs: dev/iam, dev/apim, dev/mi"},
		{"missing home", []string{"--bundle", bundle, "--product", "iam", "--home", filepath.Join(dir, "none")}, 2,
			filepath.Join(dir, "none") + ": no such directory; give --home the product's home (the directory with bin/ and repository/)"},
		{"MI home for IS", []string{"--bundle", bundle, "--product", "iam", "--home", miHome}, 2,
			miHome + ": is not a wso2is home: it has no repository/conf/deployment.toml; give --home the directory the pack unpacked to"},
		{"other version", []string{"--bundle", bundle, "--product", "iam", "--home", oldHome}, 2,
			"wso2ks: " + oldHome + " looks like a wso2is 7.0.0 pack, and the bundle is for wso2is 7.1.0; give the home of the product the bundle was made for"},
		{"other kind", []string{"--bundle", bundle, "--product", "iam", "--home", apimScript}, 2,
			"wso2ks: " + apimScript + " has bin/api-manager.sh, so it is a WSO2 API Manager home, and the bundle is for WSO2 Identity Server; give the home of the product the bundle was made for"},
		{"missing bundle", []string{"--bundle", filepath.Join(dir, "nope"), "--product", "iam", "--home", isHome}, 2,
			"wso2ks: " + filepath.Join(dir, "nope") + ": no such bundle directory; give the directory 'wso2ks generate -o' wrote"},
		{"corrupt deployment.toml", []string{"--bundle", bundle, "--product", "iam", "--home", corrupt}, 2,
			filepath.Join(corrupt, "repository/conf/deployment.toml") + ":3:"},
		{"read-only deployment.toml", []string{"--bundle", bundle, "--product", "iam", "--home", readOnly}, 2,
			filepath.Join(readOnly, "repository/conf/deployment.toml") + ": the file is read-only; make it writable (chmod u+w) and install again"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			homes := []string{isHome, miHome, oldHome, apimScript, corrupt, readOnly}
			var before []string
			for _, h := range homes {
				before = append(before, snapshot(t, h))
			}
			r := run(t, false, append([]string{"install"}, tt.args...)...)
			if r.code != tt.code || !strings.HasPrefix(r.stderr, tt.want) || strings.Count(r.stderr, "\n") != 1 || r.stdout != "" {
				t.Errorf("exit %d, stdout %q\nstderr %q\nwant   %q…", r.code, r.stdout, r.stderr, tt.want)
			}
			for i, h := range homes {
				if snapshot(t, h) != before[i] {
					t.Errorf("%s changed", h)
				}
			}
		})
	}
}

// TestInstallFromTopology generates in memory: a one-product environment
// installs, its secrets.env goes to --secrets; a shared environment is
// refused.
func TestInstallFromTopology(t *testing.T) {
	dir := t.TempDir()
	home := fakeHome(t, dir, "wso2is-7.1.0", "wso2is")
	topo := filepath.Join(dir, "t.toml")
	os.WriteFile(topo, []byte("[subject]\norganization = \"X\"\n[defaults]\npassword_mode = \"env\"\npublic_cas = false\n[[product]]\nname = \"iam\"\nkind = \"wso2is\"\nversion = \"7.1.0\"\nhostnames = [\"iam.example.com\"]\n"), 0o644)
	r := run(t, false, "install", "-f", topo, "--home", home)
	if r.code != 2 || r.stderr != "wso2ks: the passwords of environment \"default\" are not in its snippets (password_mode \"env\"); give --secrets FILE to keep them\n" {
		t.Errorf("without --secrets: %+v", r)
	}
	secrets := filepath.Join(dir, "secrets.env")
	if r := run(t, false, "install", "-f", topo, "--home", home, "--secrets", secrets); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	vars := readSecretsEnv(t, secrets)
	if st, _ := os.Stat(secrets); len(vars) != 5 || len(vars["WSO2KS_IAM_ENCRYPTION_KEY"]) != 64 || st.Mode().Perm() != 0o600 {
		t.Errorf("--secrets: %d passwords and keys, mode %v", len(vars), st.Mode().Perm())
	}
	deployment, _ := os.ReadFile(filepath.Join(home, "repository/conf/deployment.toml"))
	if !strings.Contains(string(deployment), `password = "$env{WSO2KS_IAM_TLS_PASSWORD}"`) ||
		!strings.Contains(string(deployment), "\n[encryption]\nkey = \"$env{WSO2KS_IAM_ENCRYPTION_KEY}\"\n") {
		t.Error("deployment.toml does not use the env placeholders")
	}
	r = run(t, false, "install", "-f", "../../../examples/multi-product.toml", "--env", "dev", "--home", home)
	if r.code != 2 || r.stderr != "../../../examples/multi-product.toml: environment \"dev\" has 3 products, whose truststores must trust each other; run 'wso2ks generate' and install each with --bundle\n" {
		t.Errorf("shared environment: %+v", r)
	}
}

// TestInstallKeepsOwner: root installing into a home owned by the
// product's user leaves files that user can read.
func TestInstallKeepsOwner(t *testing.T) {
	dir := t.TempDir()
	bundle := filepath.Join(dir, "ks")
	if r := run(t, false, "generate", "-o", bundle); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	home := fakeHome(t, dir, "wso2is-7.1.0", "wso2is")
	// As root (CI, image builds) the home belongs to another user; as
	// anyone else it can only be theirs, and so must the new files be.
	uid, gid := uint32(4242), uint32(4343)
	if os.Geteuid() != 0 {
		uid, gid = uint32(os.Geteuid()), uint32(os.Getegid())
	}
	filepath.Walk(home, func(p string, _ os.FileInfo, _ error) error { return os.Lchown(p, int(uid), int(gid)) })
	os.RemoveAll(filepath.Join(home, "repository/resources/security"))
	if r := run(t, false, "install", "--bundle", bundle, "--home", home); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	for _, rel := range []string{"repository/resources/security", "repository/resources/security/tls.p12", "repository/conf/deployment.toml"} {
		st, err := os.Stat(filepath.Join(home, rel))
		if err != nil {
			t.Fatal(err)
		}
		if u, g := fileOwner(t, st); u != uid || g != gid {
			t.Errorf("%s is owned by %d:%d, want the home's %d:%d", rel, u, g, uid, gid)
		}
	}
}
