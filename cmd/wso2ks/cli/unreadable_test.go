//go:build linux

package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestUnreadableInputs: a device, a FIFO, a directory or a huge file where
// wso2ks reads a file is refused at once, with exit 2 and one line naming
// it and what to give instead, and nothing is written.
func TestUnreadableInputs(t *testing.T) {
	dir := t.TempDir()
	bundle := generateBundle(t)
	out := filepath.Join(dir, "out")
	odd := t.TempDir() // not snapshot: reading these would hang or take 5 GiB
	fifo := filepath.Join(odd, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(odd, "big.pem")
	if err := os.WriteFile(big, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(big, 5<<30); err != nil { // sparse: no disk used
		t.Fatal(err)
	}
	caCert, caKey := externalCA(t)
	ext := func(name, cert, key, pass string) string {
		tls := fmt.Sprintf("[tls]\nissuer = \"external-ca\"\nca_cert = %q\nca_key = %q\n", cert, key)
		if pass != "" {
			tls += fmt.Sprintf("ca_key_passphrase = %q\n", pass)
		}
		return inputTopology(t, dir, name, tls, "")
	}
	zeroExtra := inputTopology(t, dir, "extra.toml", `extra_trusted = ["/dev/zero"]`, "")
	bigExtra := inputTopology(t, dir, "big.toml", fmt.Sprintf("extra_trusted = [%q]", big), "")
	dirExtra := inputTopology(t, dir, "dir.toml", `extra_trusted = ["."]`, "")
	zeroCert := ext("cert.toml", "/dev/zero", caKey, "")
	zeroKey := ext("key.toml", caCert, "/dev/zero", "")
	zeroPass := ext("pass.toml", caCert, caKey, "file:/dev/zero")
	fifoPass := inputTopology(t, dir, "pw.toml", "", fmt.Sprintf("[product.passwords]\nprimary = \"file:%s\"", fifo))
	good := inputTopology(t, dir, "good.toml", "", "")
	snippet := filepath.Join(bundle, "default", "iam", "deployment.snippet.toml")
	tests := []refusedInput{
		{"topology /dev/zero", []string{"generate", "-f", "/dev/zero", "-o", out},
			"wso2ks: /dev/zero is a character device, not a regular file; give a topology file"},
		{"topology FIFO", []string{"plan", "-f", fifo},
			"wso2ks: " + fifo + " is a named pipe (FIFO), not a regular file; give a topology file"},
		{"topology 5 GiB", []string{"plan", "-f", big},
			"wso2ks: " + big + " is 5 GiB; a topology file is at most 1 MiB"},
		{"extra_trusted /dev/zero", []string{"generate", "-f", zeroExtra, "-o", out},
			zeroExtra + `:5:18: extra_trusted file "/dev/zero" is a character device, not a regular file; give a PEM certificate file`},
		{"extra_trusted 5 GiB", []string{"generate", "-f", bigExtra, "-o", out},
			bigExtra + `:5:18: extra_trusted file "` + big + `" is 5 GiB; a PEM certificate file is at most 1 MiB`},
		{"extra_trusted directory", []string{"plan", "-f", dirExtra},
			dirExtra + `:5:18: extra_trusted file "." is a directory, not a regular file; give a PEM certificate file`},
		{"ca_cert /dev/zero", []string{"generate", "-f", zeroCert, "-o", out},
			zeroCert + `:7:1: [tls] ca_cert "/dev/zero" is a character device, not a regular file; give a PEM certificate file`},
		{"ca_key /dev/zero", []string{"generate", "-f", zeroKey, "-o", out},
			zeroKey + `:8:1: [tls] ca_key "/dev/zero" is a character device, not a regular file; give a PEM private key file`},
		{"ca_key_passphrase file:/dev/zero", []string{"generate", "-f", zeroPass, "-o", out},
			zeroPass + `:9:1: [tls] ca_key_passphrase file "/dev/zero" is a character device, not a regular file; give a password file`},
		{"password file: FIFO", []string{"generate", "-f", fifoPass, "-o", out},
			fifoPass + `:12:1: product "iam": passwords.primary: file "` + fifo + `" is a named pipe (FIFO), not a regular file; give a password file`},
		{"--passwords /dev/zero", []string{"generate", "-f", good, "--passwords", "/dev/zero", "-o", out},
			"wso2ks: --passwords FILE is a character device, not a regular file; give a secrets.env file"},
		{"merge target /dev/zero", []string{"merge", snippet, "/dev/zero"},
			"wso2ks: /dev/zero is a character device, not a regular file; give a deployment.toml file"},
		{"merge snippet FIFO", []string{"merge", fifo, filepath.Join(dir, "good.toml")},
			"wso2ks: " + fifo + " is a named pipe (FIFO), not a regular file; give a deployment.toml file"},
		{"verify --password-file /dev/zero", []string{"verify", bundle, "--password-file", "/dev/zero"},
			"wso2ks: --password-file /dev/zero is a character device, not a regular file; give a password file"},
		{"import-cert chain /dev/zero", []string{"import-cert", bundle, "/dev/zero", "--product", "iam"},
			"wso2ks: /dev/zero is a character device, not a regular file; give a PEM certificate file"},
		{"import-cert chain 5 GiB", []string{"import-cert", bundle, big, "--product", "iam"},
			"wso2ks: " + big + " is 5 GiB; a PEM certificate file is at most 1 MiB"},
	}
	checkRefused(t, tests, dir, bundle)
	if strings.Contains(snapshot(t, dir), "out") {
		t.Error("a refused generate wrote the bundle directory")
	}
}
