package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/docs/schemas"
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
			if err := verify.ValidateSchema(schemas.Verify, []byte(r.stdout)); err != nil {
				t.Errorf("--output json does not match docs/schemas/verify.json: %v", err)
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
			// Every $secret{…} of a vault bundle decrypts with the key its secrets.env opens.
			decrypts := 0
			for _, f := range rep.Findings {
				if f.Rule == verify.RuleSecretDecrypts && strings.HasSuffix(f.Message, " store's key (its password from secrets.env)") {
					decrypts++
				}
			}
			if want := map[string]int{"vault": 3}[tc.name]; decrypts != want {
				t.Errorf("%d secret-decrypts findings, want %d", decrypts, want)
			}
			// The product counts add up to the summary.
			var sum verify.Summary
			for _, p := range rep.Products {
				sum.Pass, sum.Warn, sum.Fail, sum.Skip = sum.Pass+p.Pass, sum.Warn+p.Warn, sum.Fail+p.Fail, sum.Skip+p.Skip
			}
			if sum != rep.Summary || len(rep.Products) == 0 {
				t.Errorf("products %+v do not add up to the summary %+v", rep.Products, rep.Summary)
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
		{"no path", []string{"verify"}, "wso2ks: verify needs at least one PATH; see 'wso2ks verify --help'\n"},
		{"missing", []string{"verify", filepath.Join(dir, "nope")}, "wso2ks: " + filepath.Join(dir, "nope") + " is not a directory; give a bundle directory, a product directory of a bundle, or a WSO2 home\n"},
		{"empty dir", []string{"verify", dir}, "wso2ks: " + dir + " is not a bundle (manifest.json), a product directory of one (deployment.snippet.toml) or a WSO2 home (repository/conf/deployment.toml, MI conf/deployment.toml)\n"},
		{"bad output", []string{"verify", dir, "--output", "yaml"}, "wso2ks: --output \"yaml\" is not a format; give text or json\n"},
		{"password file", []string{"verify", dir, "--password-file", filepath.Join(dir, "pw")}, "wso2ks: --password-file " + filepath.Join(dir, "pw") + " does not exist; give a file whose first line is the store's password\n"},
		{"expiry", []string{"verify", dir, "--within", "-1d"}, "wso2ks: --within \"-1d\" is out of range; give 0d to 99999d\n"},
		{"expiry overflow", []string{"verify", dir, "--within", "106752d"}, "wso2ks: --within \"106752d\" is out of range; give 0d to 99999d\n"},
		{"expiry days", []string{"verify", dir, "--within", "100000d"}, "wso2ks: --within \"100000d\" is out of range; give 0d to 99999d\n"},
		{"expiry huge", []string{"verify", dir, "--within", "99999999999999999999d"}, "wso2ks: --within \"99999999999999999999d\" is out of range; give 0d to 99999d\n"},
		{"expiry weeks", []string{"verify", dir, "--within", "4w"}, "wso2ks: --within \"4w\" is not a number of days; write it like 30d\n"},
		{"expiry bare", []string{"verify", dir, "--within", "30"}, "wso2ks: --within \"30\" is not a number of days; write it like 30d\n"},
		// --expiry-warn, the old spelling: its own name in errors, and not with --within.
		{"old expiry", []string{"verify", dir, "--expiry-warn", "-1"}, "wso2ks: --expiry-warn \"-1\" is out of range; give 0d to 99999d\n"},
		{"old and new", []string{"verify", dir, "--expiry-warn", "30", "--within", "30d"}, "wso2ks: --expiry-warn is the old spelling of --within; give only --within\n"},
		{"rules and a path", []string{"verify", "--rules", dir}, "wso2ks: --rules prints the rule table and audits nothing; drop the PATHs or --rules\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, false, tc.args...)
			if r.code != ExitInput || r.stderr != tc.want || r.stdout != "" {
				t.Errorf("got %+v\nwant stderr %q", r, tc.want)
			}
		})
	}
}

// TestVerifyReportGolden pins the text report of the default bundle, and --within.
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
	r = run(t, false, "verify", dir, "--within", "400d")
	if r.code != 0 || r.stderr != "" || !strings.Contains(r.stdout, "WARN  cert-expiry") || !strings.HasSuffix(r.stdout, "\ndefault/iam: 37 PASS, 1 WARN, 0 FAIL\n37 passed, 1 warnings, 0 failed\n") {
		t.Errorf("--within 400d: %+v", r)
	}
	// --expiry-warn, the old spelling, with 30d or a bare number of days, still works,
	// and says it is deprecated after the report.
	for _, old := range []string{"400", "400d"} {
		was := run(t, false, "verify", dir, "--expiry-warn", old)
		if was.code != 0 || was.stdout != r.stdout || was.stderr != "wso2ks: --expiry-warn is deprecated; write --within 400d, which means the same\n" {
			t.Errorf("--expiry-warn %s: %+v", old, was)
		}
	}
	// 397 days is not within a 396-day window.
	r = run(t, false, "verify", dir, "--within", "396d")
	if r.code != 0 || strings.Contains(r.stdout, "    WARN  ") {
		t.Errorf("--within 396d: %+v", r)
	}
}

// TestVerifyQuiet: --quiet prints the WARN, FAIL and SKIP findings under their product and
// store, and a line per product, of a three-product bundle.
func TestVerifyQuiet(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ks")
	if r := run(t, false, "generate", "-o", dir, "-f", "../../../examples/multi-product.toml", "--env", "prod"); r.code != 0 {
		t.Fatalf("generate: %+v", r)
	}
	// Nothing to say: the product lines and the totals.
	r := run(t, false, "verify", "--quiet", dir)
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("%+v", r)
	}
	golden(t, "verify/multi-product-quiet.txt", strings.ReplaceAll(r.stdout, dir, "BUNDLE"))
	// The tls certificates (397 days) warn in a 400-day window; -q is --quiet.
	r = run(t, false, "verify", "-q", "--within", "400d", dir)
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("%+v", r)
	}
	golden(t, "verify/multi-product-quiet-warn.txt", strings.ReplaceAll(r.stdout, dir, "BUNDLE"))
	// The full report ends with the same product lines.
	full := run(t, false, "verify", "--within", "400d", dir)
	if tail := r.stdout[strings.Index(r.stdout, "\nprod/iam: "):]; !strings.HasSuffix(full.stdout, tail) {
		t.Errorf("the full report does not end with\n%s\n%s", tail, full.stdout)
	}
}

// TestVerifyRules: --rules prints the rule table the binary carries, in text and JSON.
func TestVerifyRules(t *testing.T) {
	r := run(t, false, "verify", "--rules")
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("%+v", r)
	}
	golden(t, "verify/rules.txt", r.stdout)
	for _, rule := range verify.Rules {
		if !strings.Contains(r.stdout, "\n"+rule.ID+"\n") && !strings.HasPrefix(r.stdout, rule.ID+"\n") {
			t.Errorf("--rules does not list %s", rule.ID)
		}
	}
	for _, line := range strings.Split(r.stdout, "\n") {
		if n := len([]rune(line)); n > rulesWidth && !strings.Contains(strings.TrimSpace(line[10:]), " ") {
			continue // one long word
		} else if n > rulesWidth {
			t.Errorf("line of %d characters: %s", n, line)
		}
	}
	r = run(t, false, "verify", "--rules", "--output", "json")
	var rules []verify.Rule
	if err := json.Unmarshal([]byte(r.stdout), &rules); err != nil || r.code != 0 {
		t.Fatalf("exit %d: %v\n%s", r.code, err, r.stdout)
	}
	if !slices.Equal(rules, verify.Rules) {
		t.Errorf("--rules --output json is not the rule table:\n%s", r.stdout)
	}
}
