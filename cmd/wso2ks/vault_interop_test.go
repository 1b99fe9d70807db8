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
			var identity string
			for _, s := range b.manifest.Stores {
				if s.Product == product && s.Role == cipherStore[product] {
					identity = filepath.Join(b.dir, s.Path)
				}
			}
			out, code := runVaultCheck(t, java, checker, dir, conf, identity, filepath.Join(b.dir, "default", "secrets.env"), gen.PasswordVar(product, cipherStore[product]))
			if code != 0 || !strings.Contains(out, "vault: ") || strings.Contains(out, "FAIL") {
				t.Fatalf("VaultCheck (exit %d):\n%s", code, out)
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
	var identity string
	for _, s := range b.manifest.Stores {
		if s.Product == "iam" && s.Role == "internal" {
			identity = filepath.Join(b.dir, s.Path)
		}
	}
	out, code := runVaultCheck(t, java, checker, dir, "repository/conf/security", identity, filepath.Join(b.dir, "default", "secrets.env"), gen.PasswordVar("iam", "internal"))
	if code == 0 || !strings.Contains(out, "FAIL decrypt iam_tls_password: ") || strings.Count(out, "\nOK decrypt ") != 4 {
		t.Errorf("a foreign ciphertext passed (exit %d):\n%s", code, out)
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
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, java, append([]string{"-XX:TieredStopAtLevel=1", checker}, args...)...)
	cmd.Env = interopEnv()
	out, err := cmd.CombinedOutput()
	if exit, ok := err.(*exec.ExitError); ok {
		return string(out), exit.ExitCode()
	}
	if err != nil {
		t.Fatalf("run VaultCheck: %v\n%s", err, out)
	}
	return string(out), 0
}
