package cli

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wso2ks/wso2ks/internal/testkit"
)

// renewChanged is the files of the bundle at dir that differ between two
// readTree snapshots, sorted.
func renewChanged(before, after map[string]string) []string {
	var out []string
	for p, data := range after {
		if before[p] != data {
			out = append(out, p)
		}
	}
	for p := range before {
		if _, ok := after[p]; !ok {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}

// TestRenewSelected renews the multi-product bundle (iam, apim, mi in dev
// and prod, self-signed) near the tls certificates' expiry, by environment,
// by product and by both: only the selected tls stores and the truststores
// of the selected environments (each trusts every tls certificate of its
// environment) change, verify passes, and the same selection again has
// nothing to do.
func TestRenewSelected(t *testing.T) {
	const sec = "/repository/resources/security/"
	trust := func(env string) []string {
		return []string{env + "/apim" + sec + "client-truststore.jks", env + "/iam" + sec + "client-truststore.p12", env + "/mi" + sec + "client-truststore.jks"}
	}
	for _, tc := range []struct {
		name string
		args []string
		want []string // the files that change beside manifest.json
	}{
		{"env", []string{"--env", "prod"}, append(trust("prod"), "prod/apim"+sec+"tls.jks", "prod/iam"+sec+"tls.p12", "prod/mi"+sec+"tls.jks")},
		{"product", []string{"--product", "mi"}, append(append(trust("dev"), trust("prod")...), "dev/mi"+sec+"tls.jks", "prod/mi"+sec+"tls.jks")},
		{"both", []string{"--env", "prod", "--product", "iam"}, append(trust("prod"), "prod/iam"+sec+"tls.p12")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := generated(t, "-f", "../../../examples/multi-product.toml")
			now := testNow.AddDate(0, 0, 380)
			before := readTree(t, dir)
			args := append([]string{"renew", dir}, tc.args...)
			if r := runAt(t, now, args...); r.code != 0 || r.stderr != "" {
				t.Fatalf("renew: exit %d, stderr %q", r.code, r.stderr)
			}
			want := append([]string{"manifest.json"}, tc.want...)
			if slices.Sort(want); !slices.Equal(renewChanged(before, readTree(t, dir)), want) {
				t.Errorf("changed\n%s\nwant\n%s", strings.Join(renewChanged(before, readTree(t, dir)), "\n"), strings.Join(want, "\n"))
			}
			if v := runAt(t, now, "verify", dir); v.code != 0 {
				t.Errorf("verify: exit %d\n%s%s", v.code, v.stdout, v.stderr)
			}
			again := readTree(t, dir)
			r := runAt(t, now, args...)
			if wantOut := "nothing to renew within 30 days (" + strings.Join(tc.args, " ") + ")\n"; r.code != 0 || r.stdout != wantOut {
				t.Errorf("second renew: exit %d, stdout %q; want %q", r.code, r.stdout, wantOut)
			}
			if changed := renewChanged(again, readTree(t, dir)); len(changed) > 0 {
				t.Errorf("the second renew changed %v", changed)
			}
		})
	}
}

// TestRenewSelectedOutput: what a renewal of one product in one
// environment prints, its next steps naming the products whose files
// changed.
func TestRenewSelectedOutput(t *testing.T) {
	dir := generated(t, "-f", "../../../examples/multi-product.toml")
	now := testNow.AddDate(0, 0, 380)
	r := runAt(t, now, "renew", dir, "--env", "prod", "--product", "iam")
	notAfter := now.Add(-5*time.Minute).AddDate(0, 0, 397).Format(time.RFC3339)
	want := "renewed 1 certificate(s) in " + dir + ":\n  tls of prod/iam until " + notAfter + "\n" +
		"    prod/iam/repository/resources/security/tls.p12\n" +
		"    prod/iam/repository/resources/security/client-truststore.p12 (truststore entry replaced)\n" +
		"    prod/apim/repository/resources/security/client-truststore.jks (truststore entry replaced)\n" +
		"    prod/mi/repository/resources/security/client-truststore.jks (truststore entry replaced)\n" +
		"next: wso2ks install --bundle " + dir + " --env prod --product iam --home WSO2_HOME, then restart prod/iam (one node at a time)\n" +
		"next: wso2ks install --bundle " + dir + " --env prod --product apim --home WSO2_HOME, then restart prod/apim (one node at a time)\n" +
		"next: wso2ks install --bundle " + dir + " --env prod --product mi --home WSO2_HOME, then restart prod/mi (one node at a time)\n"
	if r.code != 0 || r.stderr != "" || r.stdout != want {
		t.Errorf("exit %d, stderr %q, stdout\n%s\nwant\n%s", r.code, r.stderr, r.stdout, want)
	}
}

// TestRenewSelectionRefused: an --env or --product the bundle does not
// have is refused as other commands refuse it (a compiler's line, starting
// with the file), exit 2, nothing written.
func TestRenewSelectionRefused(t *testing.T) {
	dir := generated(t, "-f", "../../../examples/multi-product.toml")
	manifest := filepath.Join(dir, "manifest.json")
	now := testNow.AddDate(0, 0, 380)
	for _, tc := range []struct {
		name   string
		args   []string
		stderr string
	}{
		{"env", []string{"--env", "prd"}, manifest + `: no environment "prd"; did you mean "prod"? give --env one of: dev, prod`},
		{"product", []string{"--product", "iamm"}, manifest + `: no product "iamm"; did you mean "iam"? give --product one of: iam, apim, mi`},
		{"second env", []string{"--env", "dev", "--env", "qa", "--product", "mi"}, manifest + `: no environment "qa"; give --env one of: dev, prod`},
		{"product in env", []string{"--env", "dev", "--product", "am"}, manifest + `: no product "am"; did you mean "iam"? give --product one of: iam, apim, mi`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := snapshot(t, dir)
			r := runAt(t, now, append([]string{"renew", dir}, tc.args...)...)
			if want := tc.stderr + "\n"; r.code != 2 || r.stderr != want || r.stdout != "" {
				t.Errorf("exit %d, stderr %q, stdout %q; want 2 and %q", r.code, r.stderr, r.stdout, want)
			}
			if snapshot(t, dir) != before {
				t.Error("the bundle changed")
			}
		})
	}
}

// TestRenewSharedRefused: a tls store that iam and apim share is one
// certificate; renewing it for iam alone is refused, naming what to add,
// exit 2, nothing written.
func TestRenewSharedRefused(t *testing.T) {
	topo := filepath.Join(t.TempDir(), "shared.toml")
	if err := os.WriteFile(topo, []byte(testkit.TwoProducts), 0o600); err != nil {
		t.Fatal(err)
	}
	dir := generated(t, "-f", topo)
	before := snapshot(t, dir)
	r := runAt(t, testNow.AddDate(0, 0, 380), "renew", dir, "--product", "iam")
	want := filepath.Join(dir, "manifest.json") + ": the tls certificate of default/iam is also the one of default/apim (one store shared); renew them together: add --product apim\n"
	if r.code != 2 || r.stderr != want || r.stdout != "" {
		t.Errorf("exit %d, stderr %q, stdout %q; want 2 and %q", r.code, r.stderr, r.stdout, want)
	}
	if snapshot(t, dir) != before {
		t.Error("the bundle changed")
	}
}
