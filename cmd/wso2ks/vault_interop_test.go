package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wso2ks/wso2ks/pkg/gen"
)

// TestInteropVault decrypts every [secrets] value of examples/vault.toml in
// Java, as WSO2's secure vault does, and compares it with secrets.env.
func TestInteropVault(t *testing.T) {
	java := requireJava(t)
	vault, err := os.ReadFile("../../examples/vault.toml")
	if err != nil {
		t.Fatal(err)
	}
	b := generateBundle(t, "vault", vault, "")
	checker, _ := filepath.Abs("testdata/interop/VaultCheck.java")
	confDirs := map[string]string{"iam": "repository/conf/security", "apim": "repository/conf/security", "mi": "conf/security"}
	cipherStore := map[string]string{"iam": "internal", "apim": "internal", "mi": "primary"}
	for product, conf := range confDirs {
		t.Run(product, func(t *testing.T) {
			dir := filepath.Join(b.dir, "default", product)
			out, code := runVaultCheck(t, java, checker, dir, conf, filepath.Join(b.dir, "default", "secrets.env"), gen.PasswordVar(product, cipherStore[product]))
			if code != 0 || !strings.Contains(out, "vault: ") || strings.Contains(out, "FAIL") {
				t.Fatalf("VaultCheck (exit %d):\n%s", code, out)
			}
			// keystore.identity.location is relative to the home, and from the
			// product directory (the server's working directory) names the
			// bundle's cipher store.
			var identity string
			for _, s := range b.manifest.Stores {
				if s.Product == product && s.Role == cipherStore[product] {
					identity = strings.TrimPrefix(s.Path, "default/"+product+"/")
				}
			}
			if want := "OK identity store " + identity + " is in the product home\n"; !strings.Contains(out, want) {
				t.Errorf("VaultCheck did not open %s relative to the product directory:\n%s", identity, out)
			}
			// One per store (MI has no separate internal store here), and
			// IS 7.1's encryption key; APIM 4.5 and MI have none.
			want := map[string]int{"iam": 5, "apim": 4, "mi": 3}[product]
			if got := strings.Count(out, "\nOK decrypt "); got != want {
				t.Errorf("decrypted %d secrets, want %d (one per store, and IS's encryption key):\n%s", got, want, out)
			}
			if hasKey := strings.Contains(out, "\nOK decrypt "+product+"_encryption_key\n"); hasKey != (product == "iam") {
				t.Errorf("encryption key decrypted: %v, want it for iam alone:\n%s", hasKey, out)
			}
			wantAlg := map[string]string{"mi": gen.CipherOAEP}[product]
			if wantAlg == "" {
				wantAlg = gen.CipherRSA
			}
			if !strings.Contains(out, "algorithm "+wantAlg+"\n") {
				t.Errorf("want the secure vault to decrypt with %s:\n%s", wantAlg, out)
			}
		})
	}

	// The check can fail: a ciphertext made with another product's key does
	// not decrypt to the password.
	dir := filepath.Join(b.dir, "default", "iam")
	other, _ := os.ReadFile(filepath.Join(b.dir, "default", "apim", "repository/conf/security/cipher-text.properties"))
	foreign := valueOf(string(other), "apim_tls_password")
	for _, f := range []string{"repository/conf/security/cipher-text.properties", "deployment.snippet.toml"} {
		data, _ := os.ReadFile(filepath.Join(dir, f))
		text := string(data)
		for _, sep := range []string{"=", ` = "`} {
			if i := strings.Index(text, "iam_tls_password"+sep); i >= 0 {
				start := i + len("iam_tls_password"+sep)
				end := start + strings.IndexAny(text[start:], "\"\n")
				text = text[:start] + foreign + text[end:]
				break
			}
		}
		os.WriteFile(filepath.Join(dir, f), []byte(text), 0o600)
	}
	out, code := runVaultCheck(t, java, checker, dir, "repository/conf/security", filepath.Join(b.dir, "default", "secrets.env"), gen.PasswordVar("iam", "internal"))
	if code == 0 || !strings.Contains(out, "FAIL decrypt iam_tls_password: ") || strings.Count(out, "\nOK decrypt ") != 4 {
		t.Errorf("a foreign ciphertext passed (exit %d):\n%s", code, out)
	}

	// So can the location: an absolute one (what the cipher tool writes)
	// does not let the home move.
	conf := filepath.Join(b.dir, "default", "apim", "repository/conf/security/secret-conf.properties")
	data, _ := os.ReadFile(conf)
	abs := strings.Replace(string(data), "keystore.identity.location=", "keystore.identity.location="+filepath.Join(b.dir, "default", "apim")+"/", 1)
	os.WriteFile(conf, []byte(abs), 0o600)
	out, code = runVaultCheck(t, java, checker, filepath.Join(b.dir, "default", "apim"), "repository/conf/security", filepath.Join(b.dir, "default", "secrets.env"), gen.PasswordVar("apim", "internal"))
	if code == 0 || !strings.Contains(out, "FAIL identity store: keystore.identity.location "+filepath.Join(b.dir, "default", "apim")+"/repository/resources/security/internal.jks is absolute: the home cannot move\n") {
		t.Errorf("an absolute location passed (exit %d):\n%s", code, out)
	}
}

func valueOf(props, key string) string {
	for _, line := range strings.Split(props, "\n") {
		if v, ok := strings.CutPrefix(line, key+"="); ok {
			return v
		}
	}
	return ""
}

func runVaultCheck(t *testing.T, java, checker string, args ...string) (string, int) {
	t.Helper()
	// The product directory is the working directory, as WSO2's start
	// scripts cd to CARBON_HOME: keystore.identity.location is relative to it.
	return runJavaChecker(t, java, checker, args[0], args...)
}

// runJavaChecker runs a single-file Java program with args in dir (the
// test's own when empty) and returns its output and exit code.
func runJavaChecker(t *testing.T, java, checker, dir string, args ...string) (string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, java, append([]string{"-XX:TieredStopAtLevel=1", checker}, args...)...)
	cmd.Dir = dir
	cmd.Env = interopEnv()
	out, err := cmd.CombinedOutput()
	if exit, ok := err.(*exec.ExitError); ok {
		return string(out), exit.ExitCode()
	}
	if err != nil {
		t.Fatalf("run %s: %v\n%s", filepath.Base(checker), err, out)
	}
	return string(out), 0
}
