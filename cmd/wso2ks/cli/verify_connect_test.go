package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"math/rand/v2"
	"net"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wso2ks/wso2ks/docs/schemas"
	"github.com/wso2ks/wso2ks/internal/testkit"
	"github.com/wso2ks/wso2ks/pkg/infile"
	"github.com/wso2ks/wso2ks/pkg/verify"
)

// runDial is run with verify --connect's connections going through dial.
func runDial(t *testing.T, dial verify.DialFunc, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	f := &Factory{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr,
		Now: func() time.Time { return testNow }, Rand: rand.NewChaCha8([32]byte{}), ReadFile: infile.Read,
		Getenv: func(string) (string, bool) { return "", false }, Dial: dial}
	return result{Run(f, args), stdout.String(), stderr.String()}
}

// recorder dials through testkit.DialMap and records the addresses dialled.
type recorder struct {
	mu    sync.Mutex
	addrs []string
	m     map[string]string
}

func (r *recorder) dial(ctx context.Context, network, address string) (net.Conn, error) {
	r.mu.Lock()
	r.addrs = append(r.addrs, address)
	r.mu.Unlock()
	return testkit.DialMap(r.m)(ctx, network, address)
}

func (r *recorder) dialled() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Sorted(slices.Values(r.addrs))
}

// TestVerifyConnectDeployment: verify --connect alone contacts every node name of every
// product of examples/multi-product.toml at its listeners, and only those, and passes when
// each serves its product's tls store; one node that does not answer is one FAIL.
func TestVerifyConnectDeployment(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ks")
	if r := run(t, false, "generate", "-o", dir, "-f", "../../../examples/multi-product.toml"); r.code != 0 {
		t.Fatalf("generate: %+v", r)
	}
	served := testkit.ServeBundle(t, dir)
	rec := &recorder{m: served}
	r := runDial(t, rec.dial, "verify", dir, "--connect", "--output", "json")
	if r.code != 0 {
		t.Fatalf("exit %d, stderr %q\n%s", r.code, r.stderr, r.stdout)
	}
	if err := verify.ValidateSchema(schemas.Verify, []byte(r.stdout)); err != nil {
		t.Errorf("--output json does not match docs/schemas/verify.json: %v", err)
	}
	var rep verify.Report
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatal(err)
	}
	// 2 environments × (IS 3 names × 1 port + APIM 4 × 2 + MI 2 × 2), localhost left out.
	want := slices.Sorted(maps.Keys(served))
	if got := rec.dialled(); len(want) != 30 || !slices.Equal(got, want) {
		t.Errorf("dialled %d addresses %v,\nwant the %d the bundle lists %v", len(got), got, len(want), want)
	}
	if rep.Summary.Pass != 30*7 || rep.Summary.Warn+rep.Summary.Fail != 0 {
		t.Errorf("summary %+v, want 7 passes for each of 30 addresses", rep.Summary)
	}
	for _, f := range rep.Findings {
		if f.Product == "prod/mi" && strings.HasSuffix(f.Address, ":9164") && f.Store != verify.RoleInternalAPI {
			t.Errorf("MI's internal API is checked against store %q, want internal-api", f.Store)
		}
	}

	// A node that is down.
	delete(rec.m, "apim-1.apim.prod.svc:8243")
	r = runDial(t, rec.dial, "verify", dir, "--connect")
	if r.code != 1 || !strings.Contains(r.stdout, "  apim-1.apim.prod.svc:8243 (tls)\n    FAIL  connect-reachable      no TLS on the gateway https listener (port 8243): DNS: cannot resolve apim-1.apim.prod.svc (no such host)\n") ||
		!strings.HasSuffix(r.stdout, "30 addresses: 203 passed, 0 warnings, 1 failed\n") {
		t.Errorf("exit %d, stdout:\n%s", r.code, r.stdout)
	}
	// --quiet: the failing address alone, then the counts per product and in all.
	r = runDial(t, rec.dial, "verify", dir, "--connect", "--quiet")
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if r.code != 1 || strings.Contains(r.stdout, "PASS  ") || len(lines) != 4+6+1 ||
		lines[0] != "prod/apim ("+dir+")" || !slices.Contains(lines, "prod/apim: 49 PASS, 0 WARN, 1 FAIL") {
		t.Errorf("--quiet: exit %d, stdout:\n%s", r.code, r.stdout)
	}
}

// devBundle generates the dev environment of examples/multi-product.toml.
func devBundle(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "ks")
	if r := run(t, false, "generate", "-o", dir, "-f", "../../../examples/multi-product.toml", "--env", "dev"); r.code != 0 {
		t.Fatalf("generate: %+v", r)
	}
	return dir
}

// TestVerifyConnectSelect: --env, --product, --port-offset and HOST:PORT arguments decide
// what is contacted.
func TestVerifyConnectSelect(t *testing.T) {
	dir := devBundle(t)
	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{"one product", []string{"--connect", "--product", "iam"},
			[]string{"iam-0.iam.dev.svc:9443", "iam-1.iam.dev.svc:9443", "iam.dev.example.com:9443"}},
		{"port offset", []string{"--connect", "--product", "mi", "--port-offset", "2"},
			[]string{"mi-0.mi.dev.svc:8245", "mi-0.mi.dev.svc:9156", "mi.dev.example.com:8245", "mi.dev.example.com:9156"}},
		{"addresses as arguments", []string{"--connect", "gw.dev.example.com:8243", "iam.dev.example.com:443"},
			[]string{"gw.dev.example.com:8243", "iam.dev.example.com:443"}},
		{"addresses as values", []string{"--connect=mi.dev.example.com:8253,mi.dev.example.com:9164", "--env", "dev"},
			[]string{"mi.dev.example.com:8253", "mi.dev.example.com:9164"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recorder{m: map[string]string{}}
			r := runDial(t, rec.dial, append([]string{"verify", dir}, tc.args...)...)
			if r.code != 1 || r.stderr != "wso2ks: verify found failing rules: "+strconv.Itoa(len(tc.want))+" failed, 0 warnings\n" {
				t.Errorf("exit %d, stderr %q", r.code, r.stderr)
			}
			if got := rec.dialled(); !slices.Equal(got, tc.want) {
				t.Errorf("dialled %v, want %v", got, tc.want)
			}
		})
	}
}

// TestVerifyConnectBadInput: a mistake in the flags or addresses exits 2 and contacts nothing.
func TestVerifyConnectBadInput(t *testing.T) {
	dir := devBundle(t)
	home := fakeHome(t, t.TempDir(), "wso2is-7.1.0", "wso2is")
	homeConf := filepath.Join(home, "repository", "conf", "deployment.toml")
	single := filepath.Join(t.TempDir(), "single")
	if r := run(t, false, "generate", "-o", single); r.code != 0 {
		t.Fatalf("generate: %+v", r)
	}
	for _, tc := range []struct {
		name   string
		args   []string
		stderr string
	}{
		{"env without connect", []string{"verify", dir, "--env", "dev"},
			"wso2ks: --env shapes what --connect contacts; add --connect, or leave --env out\n"},
		{"bad address", []string{"verify", dir, "--connect=iam.dev.example.com"},
			`wso2ks: verify: invalid argument "iam.dev.example.com" for "--connect" flag: not HOST:PORT; give a host name or address and a port from 1 to 65535, e.g. iam.example.com:9443; see 'wso2ks verify --help'` + "\n"},
		{"port out of range", []string{"verify", dir, "--connect=iam.dev.example.com:70000"},
			`wso2ks: verify: invalid argument "iam.dev.example.com:70000" for "--connect" flag: not HOST:PORT; give a host name or address and a port from 1 to 65535, e.g. iam.example.com:9443; see 'wso2ks verify --help'` + "\n"},
		{"no PATH", []string{"verify", "--connect", "iam.dev.example.com:9443"},
			"wso2ks: verify --connect needs a PATH (the bundle or home to compare the servers with) before the addresses; see 'wso2ks verify --help'\n"},
		{"timeout", []string{"verify", dir, "--connect", "--timeout", "0s"},
			"wso2ks: --timeout 0s is out of range; give a duration above 0 and up to 5m0s, e.g. 5s\n"},
		{"offset", []string{"verify", dir, "--connect", "--port-offset", "-1"},
			"wso2ks: --port-offset -1 is out of range; give WSO2's [server] offset, from 0 to 65535\n"},
		{"no such env", []string{"verify", dir, "--connect", "--product", "iam", "--env", "prod"},
			filepath.Join(dir, "manifest.json") + `: no environment "prod"; give --env one of: dev` + "\n"},
		{"no such product", []string{"verify", dir, "--connect", "--product", "iamm"},
			filepath.Join(dir, "manifest.json") + `: no product "iamm"; did you mean "iam"? give --product one of: iam, apim, mi` + "\n"},
		{"not together", []string{"verify", single, dir, "--connect", "--env", "default", "--product", "apim"},
			filepath.Join(single, "manifest.json") + `: no product "apim" in environment "default"; give --env and --product one of the pairs: default/iam, dev/iam, dev/apim, dev/mi` + "\n"},
		{"env of a home", []string{"verify", home, "--connect", "--env", "dev"},
			homeConf + `: no environment "dev": a WSO2 home has none; leave --env out` + "\n"},
		{"product of a home", []string{"verify", home, "--connect", "--product", "iam"},
			homeConf + `: no product "iam"; give --product one of: wso2is-7.1.0` + "\n"},
		{"ambiguous address", []string{"verify", dir, "--connect", "lb.example.com:9443"},
			"wso2ks: --connect lb.example.com:9443: it could be a listener of dev/iam, dev/apim; choose the product with --product (and --env)\n"},
		{"port beyond 65535 with offset", []string{"verify", dir, "--connect", "--product", "iam", "--port-offset", "60000"},
			"wso2ks: " + filepath.Join(dir, "dev", "iam", "deployment.snippet.toml") + ": transport.https.properties.port 9443 with offset 60000 is no TCP port; fix the setting or --port-offset\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recorder{m: map[string]string{}}
			r := runDial(t, rec.dial, tc.args...)
			if r.code != 2 || r.stderr != tc.stderr || r.stdout != "" {
				t.Errorf("exit %d, stderr\n%q, want\n%q; stdout %q", r.code, r.stderr, tc.stderr, r.stdout)
			}
			if got := rec.dialled(); len(got) > 0 {
				t.Errorf("dialled %v", got)
			}
		})
	}
}
