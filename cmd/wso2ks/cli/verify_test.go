package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/pkg/verify"
)

// TestVerifyGeneratedBundles: every bundle generate writes passes verify with no FAIL.
func TestVerifyGeneratedBundles(t *testing.T) {
	for _, tc := range []struct{ name, topology string }{
		{"default", ""},
		{"multi-product", "../../../examples/multi-product.toml"},
		{"vault", "../../../examples/vault.toml"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "ks")
			args := []string{"generate", "-o", dir}
			if tc.topology != "" {
				args = append(args, "-f", tc.topology)
			}
			if r := run(t, false, args...); r.code != 0 {
				t.Fatalf("generate: %+v", r)
			}
			r := run(t, false, "verify", dir, "--output", "json")
			if r.code != 0 {
				t.Fatalf("verify exit %d, stderr %q\n%s", r.code, r.stderr, r.stdout)
			}
			if err := verify.ValidateJSON([]byte(r.stdout)); err != nil {
				t.Errorf("--output json does not match pkg/verify/schema.json: %v", err)
			}
			var rep verify.Report
			if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
				t.Fatal(err)
			}
			for _, f := range rep.Findings {
				if f.Severity != verify.Pass {
					t.Errorf("%s %s %s/%s: %s", f.Severity, f.Rule, f.Product, f.Store, f.Message)
				}
			}
			if rep.Summary.Pass == 0 {
				t.Error("no rule passed")
			}
			// Vault mode writes secret-conf.properties for every product, and verify
			// compares it with deployment.toml; the other modes write none.
			vaultChecks := 0
			for _, f := range rep.Findings {
				if f.Rule == verify.RuleVaultStore {
					vaultChecks++
				}
			}
			if want := map[string]int{"vault": 3}[tc.name]; vaultChecks != want {
				t.Errorf("%d vault-keystore findings, want %d", vaultChecks, want)
			}
			// One product directory of the bundle is a target too.
			entries, _ := filepath.Glob(filepath.Join(dir, "*", "*", "deployment.snippet.toml"))
			if len(entries) == 0 {
				t.Fatal("no product directory")
			}
			if r := run(t, false, "verify", filepath.Dir(entries[0])); r.code != 0 || !strings.Contains(r.stdout, " 0 failed") {
				t.Errorf("verify of a product directory: %+v", r)
			}
		})
	}
}

// TestVerifyPlannedSANs: in a bundle, tls-san checks the names manifest.json
// plans for each tls certificate: one the certificate lacks is a FAIL.
func TestVerifyPlannedSANs(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ks")
	if r := run(t, false, "generate", "-o", dir, "-f", "../../../examples/multi-product.toml", "--env", "prod"); r.code != 0 {
		t.Fatalf("generate: %+v", r)
	}
	file := filepath.Join(dir, "manifest.json")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	planned := `"iam.prod.example.com",`
	if !strings.Contains(string(data), planned) {
		t.Fatalf("manifest.json plans no %s", planned)
	}
	if err := os.WriteFile(file, []byte(strings.Replace(string(data), planned, planned+` "sso.prod.example.com",`, 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	r := run(t, false, "verify", dir, "--output", "json")
	var rep verify.Report
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("exit %d: %v\n%s", r.code, err, r.stderr)
	}
	var fails []string
	for _, f := range rep.Findings {
		if f.Severity == verify.Fail {
			fails = append(fails, f.Product+" "+f.Rule+": "+f.Message)
		}
	}
	want := []string{"prod/iam tls-san: the tls certificate's SAN (iam.prod.example.com, iam-0.iam.prod.svc, iam-1.iam.prod.svc, localhost) does not cover sso.prod.example.com"}
	if r.code != 1 || !slices.Equal(fails, want) {
		t.Errorf("exit %d, FAIL findings %q; want 1 and %q", r.code, fails, want)
	}
}

func TestVerifyUnusableInput(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no path", []string{"verify"}, "wso2ks: wso2ks verify needs at least one PATH; see 'wso2ks verify --help'\n"},
		{"missing", []string{"verify", filepath.Join(dir, "nope")}, "wso2ks: " + filepath.Join(dir, "nope") + " is not a directory; give a bundle directory, a product directory of a bundle, or a WSO2 home\n"},
		{"empty dir", []string{"verify", dir}, "wso2ks: " + dir + " is not a bundle (manifest.json), a product directory of one (deployment.snippet.toml) or a WSO2 home (repository/conf/deployment.toml, MI conf/deployment.toml)\n"},
		{"bad output", []string{"verify", dir, "--output", "yaml"}, "wso2ks: --output \"yaml\" is unknown; use text or json\n"},
		{"password file", []string{"verify", dir, "--password-file", filepath.Join(dir, "pw")}, "wso2ks: --password-file " + filepath.Join(dir, "pw") + " cannot be read; give a file whose first line is the store's password\n"},
		{"expiry", []string{"verify", dir, "--expiry-warn", "-1"}, "wso2ks: --expiry-warn -1 is out of range; give a number of days from 0 to 36500\n"},
		{"expiry overflow", []string{"verify", dir, "--expiry-warn", "106752"}, "wso2ks: --expiry-warn 106752 is out of range; give a number of days from 0 to 36500\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, false, tc.args...)
			if r.code != ExitInput || r.stderr != tc.want || r.stdout != "" {
				t.Errorf("got %+v\nwant stderr %q", r, tc.want)
			}
		})
	}
}

// TestVerifyReportGolden pins the text report of the default bundle, and --expiry-warn.
func TestVerifyReportGolden(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ks")
	if r := run(t, false, "generate", "-o", dir); r.code != 0 {
		t.Fatalf("generate: %+v", r)
	}
	r := run(t, false, "verify", dir)
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("%+v", r)
	}
	golden(t, "verify/default.txt", strings.ReplaceAll(r.stdout, dir, "BUNDLE"))

	// The tls certificate is valid for 397 days: a 400-day window warns, and a warning
	// alone still exits 0.
	r = run(t, false, "verify", dir, "--expiry-warn", "400")
	if r.code != 0 || !strings.Contains(r.stdout, "WARN  cert-expiry") || !strings.HasSuffix(r.stdout, " 1 warnings, 0 failed\n") {
		t.Errorf("--expiry-warn 400: %+v", r)
	}
}
