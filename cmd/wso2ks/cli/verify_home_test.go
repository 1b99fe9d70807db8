package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/verify"
)

// failedRules returns the IDs of the FAIL lines of a text report, sorted and unique.
func failedRules(report string) []string {
	var ids []string
	for _, line := range strings.Split(report, "\n") {
		f := strings.Fields(line)
		if len(f) >= 2 && f[0] == "FAIL" && !slices.Contains(ids, f[1]) {
			ids = append(ids, f[1])
		}
	}
	slices.Sort(ids)
	return ids
}

// TestVerifyFreshPack: a home with stores like the ones WSO2 ships (made here with keytool)
// raises default-password and default-cert.
func TestVerifyFreshPack(t *testing.T) {
	if _, err := exec.LookPath("keytool"); err != nil {
		t.Fatal("keytool is needed (apt-get install openjdk-17-jdk-headless)")
	}
	home := fakeHome(t, t.TempDir(), "wso2is-7.1.0", "wso2is")
	security := filepath.Join(home, "repository", "resources", "security")
	// The pack's stores are made here with keytool, as WSO2 makes them.
	os.Remove(filepath.Join(security, "wso2carbon.p12"))
	os.Remove(filepath.Join(security, "client-truststore.p12"))
	keytool := func(args ...string) {
		t.Helper()
		cmd := exec.Command("keytool", args...)
		cmd.Env = append(os.Environ(), "WSO2_DEFAULT=wso2carbon")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("keytool %v: %v\n%s", args, err, out)
		}
	}
	store, pem := filepath.Join(security, "wso2carbon.p12"), filepath.Join(t.TempDir(), "wso2carbon.pem")
	keytool("-genkeypair", "-alias", "wso2carbon", "-dname", "CN=localhost, O=WSO2, L=Mountain View, ST=CA, C=US",
		"-ext", "SAN=dns:localhost", "-keyalg", "RSA", "-keysize", "2048", "-validity", "3650", "-storetype", "PKCS12",
		"-keystore", store, "-storepass:env", "WSO2_DEFAULT", "-keypass:env", "WSO2_DEFAULT")
	keytool("-exportcert", "-rfc", "-alias", "wso2carbon", "-keystore", store, "-storepass:env", "WSO2_DEFAULT", "-file", pem)
	keytool("-importcert", "-noprompt", "-alias", "wso2carbon", "-file", pem, "-storetype", "PKCS12",
		"-keystore", filepath.Join(security, "client-truststore.p12"), "-storepass:env", "WSO2_DEFAULT")

	r := run(t, false, "verify", home)
	if r.code != ExitVerify || r.stderr != "wso2ks: verify found failing rules: 8 failed, 4 warnings\n" {
		t.Fatalf("exit %d, stderr %q\n%s", r.code, r.stderr, r.stdout)
	}
	// A fresh IS 7.1 pack sets no [encryption] key: it runs with WSO2's published one.
	if got, want := failedRules(r.stdout), []string{"default-cert", "default-password", "encryption-key"}; !slices.Equal(got, want) {
		t.Errorf("failed rules %v, want %v\n%s", got, want, r.stdout)
	}
}

// TestVerifyVaultHome: a home that 'wso2ks install' put a vault bundle into verifies once the
// secure vault's store password is given, from --password-file, WSO2KS_VERIFY_PASSWORD or the
// home's password-tmp; without it, one SKIP says what is missing, and nothing fails.
func TestVerifyVaultHome(t *testing.T) {
	dir := t.TempDir()
	bundleDir := filepath.Join(dir, "ks")
	if r := run(t, false, "generate", "-f", "../../../examples/vault.toml", "-o", bundleDir); r.code != 0 {
		t.Fatalf("generate: %+v", r)
	}
	data, err := os.ReadFile(filepath.Join(bundleDir, "default", "secrets.env"))
	if err != nil {
		t.Fatal(err)
	}
	passwords, err := bundle.ParseSecretsEnv(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ product, kind, home, cipherVar string }{
		{"iam", "wso2is", "wso2is-7.1.0", "WSO2KS_IAM_INTERNAL_PASSWORD"},
		{"apim", "wso2am", "wso2am-4.5.0", "WSO2KS_APIM_INTERNAL_PASSWORD"},
		{"mi", "wso2mi", "wso2mi-4.4.0", "WSO2KS_MI_PRIMARY_PASSWORD"},
	} {
		t.Run(tc.product, func(t *testing.T) {
			home := fakeHome(t, dir, tc.home, tc.kind)
			if r := run(t, false, "install", "--bundle", bundleDir, "--product", tc.product, "--home", home); r.code != 0 {
				t.Fatalf("install: %+v", r)
			}
			before := snapshot(t, home)
			defer func() {
				if snapshot(t, home) != before {
					t.Error("verify changed the home")
				}
			}()
			r := run(t, false, "verify", "--quiet", home)
			if r.code != 0 || r.stderr != "" {
				t.Errorf("without the vault password: exit %d %s\n%s", r.code, r.stderr, r.stdout)
			}
			golden(t, "verify/vault-home-"+tc.product+".txt", strings.ReplaceAll(r.stdout, home, "HOME"))
			pwFile := filepath.Join(t.TempDir(), "password")
			os.WriteFile(pwFile, []byte(passwords[tc.cipherVar]+"\n"), 0o600)
			r = run(t, false, "verify", home, "--password-file", pwFile)
			if r.code != 0 || strings.Contains(r.stdout, passwords[tc.cipherVar]) {
				t.Errorf("--password-file: exit %d %s\n%s", r.code, r.stderr, r.stdout)
			}
			if !strings.Contains(r.stdout, "(its password from --password-file "+pwFile+")\n") {
				t.Errorf("--password-file: the report does not name it as the password's source\n%s", r.stdout)
			}
			testEnv[verify.PasswordVar] = passwords[tc.cipherVar]
			r = run(t, false, "verify", home)
			delete(testEnv, verify.PasswordVar)
			if r.code != 0 || !strings.Contains(r.stdout, "(its password from "+verify.PasswordVar+")\n") {
				t.Errorf("%s: exit %d %s\n%s", verify.PasswordVar, r.code, r.stderr, r.stdout)
			}
			// The server reads it from password-tmp in the home: so does verify.
			if err := os.WriteFile(filepath.Join(home, "password-tmp"), []byte(passwords[tc.cipherVar]+"\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			withTmp := snapshot(t, home)
			r = run(t, false, "verify", "--quiet", home)
			if r.code != 0 || strings.Contains(r.stdout, "SKIP") || strings.Contains(r.stdout, passwords[tc.cipherVar]) {
				t.Errorf("password-tmp: exit %d %s\n%s", r.code, r.stderr, r.stdout)
			}
			r = run(t, false, "verify", home)
			if !strings.Contains(r.stdout, "(its password from password-tmp)\n") {
				t.Errorf("password-tmp: the report does not name it as the password's source\n%s", r.stdout)
			}
			// Unlike the server, verify leaves password-tmp where it is.
			if snapshot(t, home) != withTmp {
				t.Error("verify changed the home with password-tmp")
			}
			os.Remove(filepath.Join(home, "password-tmp"))
		})
	}
}
