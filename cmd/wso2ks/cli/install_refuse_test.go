package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/internal/testkit"
)

// setTOML replaces the first occurrence of old in the home's
// deployment.toml (at conf) with new.
func setTOML(t *testing.T, home, conf, old, new string) {
	t.Helper()
	file := filepath.Join(home, conf, "deployment.toml")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), old) {
		t.Fatalf("%s has no %q", file, old)
	}
	if err := os.WriteFile(file, []byte(strings.Replace(string(data), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// tomlValue is the first `key = "…"` value after table in a home's
// deployment.toml.
func tomlValue(t *testing.T, home, table, key string) string {
	t.Helper()
	data, _ := os.ReadFile(filepath.Join(home, "repository/conf/deployment.toml"))
	rest := string(data)[strings.Index(string(data), table):]
	return strings.SplitN(strings.SplitN(rest, key+` = "`, 2)[1], `"`, 2)[0]
}

// TestInstallRefuses: each way install protects what a home has is one
// line with the fix, exit 2, and the home byte for byte as it was.
func TestInstallRefuses(t *testing.T) {
	dir := t.TempDir()
	gen := func(name string, topo string) string {
		out := filepath.Join(dir, name)
		if r := run(t, false, "generate", "-f", topo, "-o", out); r.code != 0 {
			t.Fatalf("%+v", r)
		}
		return out
	}
	isTopo := isTopology(t, dir, "plain", `hostnames = ["localhost"]`)
	a, b := gen("a", isTopo), gen("b", isTopo)
	multi := filepath.Join(dir, "multi")
	if r := run(t, false, "generate", "-f", "../../../examples/multi-product.toml", "--env", "dev", "-o", multi); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	apimTopo := filepath.Join(dir, "apim.toml")
	// One store for primary and internal: the keystore-based provider of
	// APIM 4.5 encrypts internal data with the primary key then.
	os.WriteFile(apimTopo, []byte("[subject]\norganization = \"X\"\n[defaults]\npublic_cas = false\nseparate_internal = false\n[[product]]\nname = \"apim\"\nkind = \"wso2am\"\nversion = \"4.5.0\"\nhostnames = [\"localhost\"]\n"), 0o644)
	apimA, apimB := gen("apim-a", apimTopo), gen("apim-b", apimTopo)
	installed := func(name, bundle string) string {
		home := fakeHome(t, dir, name, "wso2is")
		if r := run(t, false, "install", "--bundle", bundle, "--home", home); r.code != 0 {
			t.Fatalf("%+v", r)
		}
		return home
	}
	security := func(home, name string) string { return filepath.Join(home, "repository/resources/security", name) }
	deployment := func(home string) string { return filepath.Join(home, "repository/conf/deployment.toml") }
	subject := func(home string) string {
		return decodeKey(t, home, testkit.ReadFile(t, security(home, "primary.p12"))).Chain[0].Subject.String()
	}

	tests := []struct {
		name  string
		setup func() (home string, args []string, want string)
	}{
		{"hostname not in the tls certificate", func() (string, []string, string) {
			home := fakeHome(t, dir, "wso2is-7.1.0", "wso2is")
			setTOML(t, home, "repository/conf", `hostname = "localhost"`, `hostname = "iam.example.com"`)
			return home, []string{"--bundle", multi, "--product", "iam"},
				deployment(home) + `: [server] hostname "iam.example.com" is not in the tls certificate of dev/iam (iam.dev.example.com, iam-0.iam.dev.svc, iam-1.iam.dev.svc, localhost); add it to the product's hostnames and regenerate, or set [server] hostname to one of them`
		}},
		{"truststore with another password", func() (string, []string, string) {
			home := fakeHome(t, dir, "trust-password", "wso2is")
			setTOML(t, home, "repository/conf", "[truststore]\nfile_name = \"client-truststore.p12\"\npassword = \"wso2carbon\"", "[truststore]\nfile_name = \"client-truststore.p12\"\npassword = \"not-its-password\"")
			return home, []string{"--bundle", a},
				security(home, "client-truststore.p12") + ": the home's truststore does not open with the password of [truststore] (store password is incorrect, or the store was tampered with), so install cannot keep the certificates it holds; correct [truststore] in deployment.toml, or move the file away to drop them"
		}},
		{"truststore password not set", func() (string, []string, string) {
			home := fakeHome(t, dir, "trust-env", "wso2is")
			setTOML(t, home, "repository/conf", "[truststore]\nfile_name = \"client-truststore.p12\"\npassword = \"wso2carbon\"", "[truststore]\nfile_name = \"client-truststore.p12\"\npassword = \"$env{TRUST_PASSWORD}\"")
			return home, []string{"--bundle", a},
				deployment(home) + ": [truststore] password: $env{TRUST_PASSWORD} is not set, so install cannot read the certificates repository/resources/security/client-truststore.p12 holds to keep them; export the variables of the secrets.env the earlier install wrote (set -a; . FILE; set +a) and install again, or move that file away to drop them"
		}},
		{"truststore password from the environment not its own", func() (string, []string, string) {
			home := fakeHome(t, dir, "trust-env-wrong", "wso2is")
			setTOML(t, home, "repository/conf", "[truststore]\nfile_name = \"client-truststore.p12\"\npassword = \"wso2carbon\"", "[truststore]\nfile_name = \"client-truststore.p12\"\npassword = \"$env{WRONG_PASSWORD}\"")
			testEnv["WRONG_PASSWORD"] = "not-its-password"
			t.Cleanup(func() { delete(testEnv, "WRONG_PASSWORD") })
			return home, []string{"--bundle", a},
				security(home, "client-truststore.p12") + ": the home's truststore does not open with the password $env{WRONG_PASSWORD} gives (store password is incorrect, or the store was tampered with), so install cannot keep the certificates it holds; export the secrets.env the home runs with (set -a; . FILE; set +a) and install again, or move the file away to drop them"
		}},
		{"key store with another password", func() (string, []string, string) {
			home := installed("key-password", a)
			setTOML(t, home, "repository/conf", "password = \""+tomlValue(t, home, "[keystore.primary]", "password")+"\"", `password = "not-its-password"`)
			return home, []string{"--bundle", a},
				security(home, "primary.p12") + ": the home's primary store does not open with the passwords of [keystore.primary] (store password is incorrect, or the store was tampered with), so install cannot keep its key; correct [keystore.primary] in deployment.toml, or pass --replace-keys"
		}},
		{"another primary key", func() (string, []string, string) {
			home := installed("other-primary", a)
			return home, []string{"--bundle", b},
				security(home, "primary.p12") + ": the home's primary key (" + subject(home) + ") is not the bundle's: signatures it made on tokens and assertions that clients still hold would no longer verify; install a bundle made from this home's keys ('wso2ks install -f topology.toml' keeps them), or pass --replace-keys"
		}},
		{"another internal key", func() (string, []string, string) {
			home := installed("other-internal", a)
			os.WriteFile(security(home, "internal.p12"), testkit.ReadFile(t, filepath.Join(b, "default/iam/repository/resources/security/internal.p12")), 0o600)
			setTOML(t, home, "repository/conf", "password = \""+tomlValue(t, home, "[keystore.internal]", "password")+"\"",
				"password = \""+readSecretsEnv(t, filepath.Join(b, "default/secrets.env"))["WSO2KS_IAM_INTERNAL_PASSWORD"]+"\"")
			setTOML(t, home, "repository/conf", "key_password = \""+tomlValue(t, home, "[keystore.internal]", "key_password")+"\"",
				"key_password = \""+readSecretsEnv(t, filepath.Join(b, "default/secrets.env"))["WSO2KS_IAM_INTERNAL_PASSWORD"]+"\"")
			return home, []string{"--bundle", a},
				security(home, "internal.p12") + ": the home's internal key (" + subject(home) + ") is not the bundle's: the secrets the cipher tool encrypted with it ([secrets] in deployment.toml) could no longer be decrypted; install a bundle made from this home's keys ('wso2ks install -f topology.toml' keeps them), or pass --replace-keys"
		}},
		{"another primary key of APIM 4.5", func() (string, []string, string) {
			home := fakeHome(t, dir, "wso2am-4.5.0", "wso2am")
			if r := run(t, false, "install", "--bundle", apimA, "--home", home); r.code != 0 {
				t.Fatalf("%+v", r)
			}
			leaf := decodeKey(t, home, testkit.ReadFile(t, security(home, "primary.jks"))).Chain[0].Subject.String()
			return home, []string{"--bundle", apimB},
				security(home, "primary.jks") + ": the home's primary key (" + leaf + ") is not the bundle's: signatures it made on tokens and assertions that clients still hold would no longer verify, and the internal data APIM 4.5.0 encrypted with it could no longer be decrypted; install a bundle made from this home's keys ('wso2ks install -f topology.toml' keeps them), or pass --replace-keys"
		}},
		{"-f cannot keep the internal key", func() (string, []string, string) {
			home := fakeHome(t, dir, "separate", "wso2is")
			topo := isTopology(t, t.TempDir(), "plain", `hostnames = ["localhost"]`)
			if r := run(t, false, "install", "-f", topo, "--home", home); r.code != 0 {
				t.Fatalf("%+v", r)
			}
			shared := isTopology(t, t.TempDir(), "plain", `hostnames = ["localhost"]`, `separate_internal = false`)
			return home, []string{"-f", shared},
				security(home, "internal.p12") + ": the home's internal key (" + subject(home) + ") is not the bundle's: the secrets the cipher tool encrypted with it ([secrets] in deployment.toml) could no longer be decrypted; the topology cannot keep it (it plans no internal store of its own: separate_internal = false): change the topology, or pass --replace-keys"
		}},
		{"--product without --env that the bundle lacks", func() (string, []string, string) {
			home := fakeHome(t, dir, "no-product", "wso2is")
			return home, []string{"--bundle", multi, "--product", "nope"},
				filepath.Join(multi, "manifest.json") + `: no product "nope"; give --product one of: iam, apim, mi`
		}},
		{"--env the bundle lacks", func() (string, []string, string) {
			home := fakeHome(t, dir, "no-env", "wso2is")
			return home, []string{"--bundle", multi, "--env", "prod"},
				filepath.Join(multi, "manifest.json") + `: no environment "prod"; give --env one of: dev`
		}},
		{"--product the topology lacks", func() (string, []string, string) {
			home := fakeHome(t, dir, "no-product-f", "wso2is")
			return home, []string{"-f", isTopo, "--product", "iamm"},
				isTopo + `: no product "iamm"; did you mean "iam"? give --product one of: iam`
		}},
		{"deployment.toml a FIFO", func() (string, []string, string) {
			home := fakeHome(t, dir, "fifo-toml", "wso2is")
			os.Remove(deployment(home))
			mkfifo(t, deployment(home))
			return home, []string{"--bundle", a},
				"wso2ks: " + deployment(home) + " is a named pipe (FIFO), not a regular file; give a deployment.toml file"
		}},
		{"deployment.toml over its limit", func() (string, []string, string) {
			home := fakeHome(t, dir, "huge-toml", "wso2is")
			if err := os.Truncate(deployment(home), 5<<20); err != nil {
				t.Fatal(err)
			}
			return home, []string{"--bundle", a},
				"wso2ks: " + deployment(home) + " is 5 MiB; a deployment.toml file is at most 4 MiB"
		}},
		{"a store of the home a FIFO", func() (string, []string, string) {
			home := installed("fifo-store", a)
			os.Remove(security(home, "tls.p12"))
			mkfifo(t, security(home, "tls.p12"))
			return home, []string{"--bundle", a},
				"wso2ks: " + security(home, "tls.p12") + " is a named pipe (FIFO), not a regular file; give a key store"
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			home, args, want := tt.setup()
			before := snapshot(t, home)
			r := run(t, false, append([]string{"install", "--home", home}, args...)...)
			if r.code != 2 || r.stderr != want+"\n" || r.stdout != "" {
				t.Errorf("exit %d, stdout %q\nstderr %q\nwant   %q", r.code, r.stdout, r.stderr, want+"\n")
			}
			if snapshot(t, home) != before {
				t.Error("the refused install changed the home")
			}
		})
	}
}
