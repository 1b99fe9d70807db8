package certs

import (
	"crypto"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestParseKeyPEM reads keys openssl writes in every form it supports,
// including each PBES2 cipher and PRF openssl offers that wso2ks reads.
func TestParseKeyPEM(t *testing.T) {
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Fatal("openssl is not on PATH: this test needs it (CI installs it)")
	}
	dir := t.TempDir()
	run := func(args ...string) {
		t.Helper()
		cmd := exec.Command("openssl", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "KEY_PASS=s3cret pass")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("openssl %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	run("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "rsa.key")
	run("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", "ec.key")
	run("pkey", "-in", "rsa.key", "-traditional", "-out", "rsa-pkcs1.key")
	run("pkey", "-in", "ec.key", "-traditional", "-out", "ec-sec1.key")
	run("pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", "rsa.key", "-out", "rsa-aes256.key", "-passout", "env:KEY_PASS")
	run("pkcs8", "-topk8", "-v2", "aes-128-cbc", "-v2prf", "hmacWithSHA512", "-in", "ec.key", "-out", "ec-aes128-sha512.key", "-passout", "env:KEY_PASS")
	run("pkcs8", "-topk8", "-v2", "aes-192-cbc", "-v2prf", "hmacWithSHA1", "-in", "ec.key", "-out", "ec-aes192-sha1.key", "-passout", "env:KEY_PASS")
	run("rsa", "-aes256", "-traditional", "-in", "rsa.key", "-out", "rsa-legacy.key", "-passout", "env:KEY_PASS")
	run("ec", "-aes128", "-in", "ec.key", "-out", "ec-legacy.key", "-passout", "env:KEY_PASS")
	run("pkcs8", "-topk8", "-v2", "des3", "-in", "ec.key", "-out", "ec-des3.key", "-passout", "env:KEY_PASS")
	read := func(name string) []byte {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	rsaKey, err := ParseKeyPEM(read("rsa.key"), nil)
	if err != nil {
		t.Fatal(err)
	}
	ecKey, err := ParseKeyPEM(read("ec.key"), nil)
	if err != nil {
		t.Fatal(err)
	}
	pass := []byte("s3cret pass")
	for _, tt := range []struct {
		file string
		pass []byte
		want pubKey
		err  string
	}{
		{"rsa-pkcs1.key", nil, rsaKey.Public().(pubKey), ""},
		{"ec-sec1.key", nil, ecKey.Public().(pubKey), ""},
		{"rsa-aes256.key", pass, rsaKey.Public().(pubKey), ""},
		{"ec-aes128-sha512.key", pass, ecKey.Public().(pubKey), ""},
		{"ec-aes192-sha1.key", pass, ecKey.Public().(pubKey), ""},
		{"rsa-legacy.key", pass, rsaKey.Public().(pubKey), ""},
		{"ec-legacy.key", pass, ecKey.Public().(pubKey), ""},
		{"rsa-aes256.key", nil, nil, ErrPassphraseNeeded.Error()},
		{"rsa-legacy.key", nil, nil, ErrPassphraseNeeded.Error()},
		{"rsa-aes256.key", []byte("wrong"), nil, ErrWrongPassphrase.Error()},
		{"ec-legacy.key", []byte("wrong"), nil, ErrWrongPassphrase.Error()},
		{"ec-des3.key", pass, nil, "cipher 1.2.840.113549.3.7 is not supported; re-encrypt with openssl pkcs8 -topk8 -v2 aes-256-cbc"},
	} {
		key, err := ParseKeyPEM(read(tt.file), tt.pass)
		switch {
		case tt.err != "":
			if err == nil || err.Error() != tt.err {
				t.Errorf("%s: error %v, want %s", tt.file, err, tt.err)
			}
		case err != nil:
			t.Errorf("%s: %v", tt.file, err)
		case !tt.want.Equal(key.Public()):
			t.Errorf("%s: a different key", tt.file)
		}
	}
	if _, err := ParseKeyPEM([]byte("garbage"), nil); err == nil || errors.Is(err, ErrPassphraseNeeded) {
		t.Errorf("garbage: %v", err)
	}
}

// FuzzParseKeyPEM feeds untrusted key files to the reader: it may refuse
// them but must not panic.
func FuzzParseKeyPEM(f *testing.F) {
	f.Add([]byte("-----BEGIN ENCRYPTED PRIVATE KEY-----\nMAA=\n-----END ENCRYPTED PRIVATE KEY-----\n"), []byte("pw"))
	f.Add([]byte("-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,00000000000000000000000000000000\n\nAAAAAAAAAAAAAAAAAAAAAA==\n-----END RSA PRIVATE KEY-----\n"), []byte("pw"))
	f.Fuzz(func(t *testing.T, data, pass []byte) {
		ParseKeyPEM(data, pass)
	})
}

type pubKey = interface{ Equal(crypto.PublicKey) bool }
