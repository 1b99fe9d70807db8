package main

// Interop test of inspect: keytool must agree with what inspect shows of every store of a
// bundle, JKS and PKCS#12: aliases, entry kinds, chain lengths, serials, expiry and SHA-256
// fingerprints.

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/gen"
	"github.com/wso2ks/wso2ks/pkg/inspect"
)

// keytoolEntryBlock is one entry of 'keytool -list -v': its alias, type, and its first
// certificate's serial, expiry and fingerprint (a key entry's leaf).
var keytoolEntryBlock = regexp.MustCompile(`(?s)Alias name: ([^\n]*)\n.*?Entry type: (PrivateKeyEntry|trustedCertEntry)\n` +
	`(?:Certificate chain length: (\d+)\n)?.*?Serial number: ([0-9a-f]+)\nValid from: [^\n]* until: ([^\n]*)\n.*?SHA256: ([0-9A-F:]+)\n`)

func TestInspectAgreesWithKeytool(t *testing.T) {
	requireJava(t)
	dir := t.TempDir()
	ks := filepath.Join(dir, "ks")
	topology, _ := filepath.Abs("../../examples/multi-product.toml")
	if code, _, stderr := runMain(t, dir, "generate", "-f", topology, "-o", ks); code != 0 {
		t.Fatalf("generate: exit %d: %s", code, stderr)
	}
	// --all: every public CA as an entry, since keytool lists them all.
	code, stdout, stderr := runMain(t, dir, "inspect", ks, "--all", "--output", "json")
	if code != 0 {
		t.Fatalf("inspect: exit %d: %s", code, stderr)
	}
	var rep inspect.Report
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	passwords := map[string]map[string]string{}
	for _, env := range []string{"dev", "prod"} {
		data, err := os.ReadFile(filepath.Join(ks, env, bundle.SecretsName))
		if err != nil {
			t.Fatal(err)
		}
		if passwords[env], err = bundle.ParseSecretsEnv(data); err != nil {
			t.Fatal(err)
		}
	}
	if len(rep.Stores) != 26 {
		t.Fatalf("inspect found %d stores, want 26", len(rep.Stores))
	}
	for _, s := range rep.Stores {
		pw := passwords[s.Env][gen.PasswordVar(s.Product, s.Roles[0])]
		if want, got := keytoolView(t, s.Path, s.Type, pw), inspectView(s); got != want {
			t.Errorf("%s: inspect shows\n%s\nkeytool -list -v shows\n%s", s.Path, got, want)
		}
	}
}

// inspectView is one line per entry of what inspect found, sorted by alias.
func inspectView(s inspect.Store) string {
	var lines []string
	for _, e := range s.Entries {
		c := e.Certificate
		lines = append(lines, fmt.Sprintf("%s %s chain=%d serial=%s until=%s sha256=%s", e.Alias, e.Kind, e.ChainLength, c.Serial, c.NotAfter, inspect.Colons(c.SHA256)))
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// keytoolView is the same lines from 'keytool -list -v'.
func keytoolView(t *testing.T, file, typ, password string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "keytool", "-J-XX:TieredStopAtLevel=1", "-J-Duser.language=en", "-list", "-v", "-keystore", file, "-storetype", typ, "-storepass:env", "WSO2KS_TEST_STOREPASS")
	cmd.Env = append(interopEnv(), "WSO2KS_TEST_STOREPASS="+password, "TZ=UTC")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("keytool -list -v %s: %v\n%s", file, err, out)
	}
	var lines []string
	for _, m := range keytoolEntryBlock.FindAllStringSubmatch(string(out), -1) {
		kind, chain := inspect.KindTrusted, "1"
		if m[2] == "PrivateKeyEntry" {
			kind, chain = inspect.KindKey, m[3]
		}
		until, err := time.Parse("Mon Jan 02 15:04:05 MST 2006", m[5])
		if err != nil {
			t.Fatalf("keytool -list -v %s: %v", file, err)
		}
		lines = append(lines, fmt.Sprintf("%s %s chain=%s serial=%s until=%s sha256=%s", m[1], kind, chain, m[4], until.UTC().Format(time.RFC3339), m[6]))
	}
	if n := strings.Count(string(out), "Alias name: "); n != len(lines) {
		t.Fatalf("keytool -list -v %s: %d entries, %d read:\n%.2000s", file, n, len(lines), out)
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}
