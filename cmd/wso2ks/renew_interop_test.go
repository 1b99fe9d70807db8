package main

import (
	"bytes"
	"crypto/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wso2ks/wso2ks/cmd/wso2ks/cli"
	"github.com/wso2ks/wso2ks/pkg/infile"
)

// renewedAge is how long before now renewedBundle generates: past the tls
// validity (397 days) and within 30 days of the others' (825), so that
// 'wso2ks renew' renews every certificate of the bundle.
const renewedAge = 820 * 24 * time.Hour

// renewedBundle generates topology as if renewedAge ago, then runs 'wso2ks
// renew' now, so that the Java checks run on certificates renew issued
// (the same keys; self-signed again or signed again by the internal CA).
func renewedBundle(t *testing.T, name string, topology []byte) *interopBundle {
	t.Helper()
	dir := t.TempDir()
	file, out := filepath.Join(dir, "topology.toml"), filepath.Join(dir, "bundle")
	if err := os.WriteFile(file, topology, 0o644); err != nil {
		t.Fatal(err)
	}
	pem, err := os.ReadFile("../../examples/corp-root-ca.pem") // multi-product's extra_trusted
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "corp-root-ca.pem"), pem, 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	then := time.Now().Add(-renewedAge)
	f := &cli.Factory{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr,
		Now: func() time.Time { return then }, Rand: rand.Reader, ReadFile: infile.Read, Getenv: os.LookupEnv}
	if code := cli.Run(f, []string{"generate", "-f", file, "-o", out}); code != 0 {
		t.Fatalf("%s: wso2ks generate: exit %d: %s", name, code, stderr.String())
	}
	stdout.Reset()
	if code := cli.Main([]string{"renew", out}, strings.NewReader(""), &stdout, &stderr); code != 0 {
		t.Fatalf("%s: wso2ks renew: exit %d: %s", name, code, stderr.String())
	}
	b := loadBundle(t, name, out)
	// Every key store's certificate is one renew issued.
	for _, s := range b.manifest.Stores {
		if s.SHA256 == "" {
			continue
		}
		notBefore, err := time.Parse(time.RFC3339, s.NotBefore)
		if err != nil || notBefore.Before(then.Add(time.Hour)) {
			t.Fatalf("%s: %s was not renewed (not_before %s):\n%s", name, s.Path, s.NotBefore, stdout.String())
		}
	}
	return b
}
