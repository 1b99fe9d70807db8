package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wso2ks/wso2ks/cmd/wso2ks/cli"
	"github.com/wso2ks/wso2ks/internal/testkit"
	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/infile"
	"github.com/wso2ks/wso2ks/pkg/verify"
)

// servingLine is what the checker prints for each serve.N it listens for.
var servingLine = regexp.MustCompile(`^serving serve\.(\d+) on port (\d+)$`)

// serveJSSE runs the Java checker's JSSE servers on stores (serve.N) until the test ends
// and returns the loopback address of each.
func serveJSSE(t *testing.T, stores []interopStore) []string {
	t.Helper()
	java := requireJava(t)
	var props strings.Builder
	for i, s := range stores {
		for _, kv := range [][2]string{{"path", s.Path}, {"type", s.Type}, {"password", s.Password}} {
			fmt.Fprintf(&props, "serve.%d.%s=%s\n", i, kv[0], interopEscape(kv[1], false))
		}
	}
	spec := filepath.Join(t.TempDir(), "serve.properties")
	if err := os.WriteFile(spec, []byte(props.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	checker, err := filepath.Abs(filepath.Join("testdata", "interop", "Interop.java"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(java, "-XX:TieredStopAtLevel=1", checker, spec)
	cmd.Env = interopEnv()
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var rest bytes.Buffer
	done := make(chan struct{})
	t.Cleanup(func() {
		stdin.Close() // the checker stops serving and prints its summary
		<-done
		if err := cmd.Wait(); err != nil {
			t.Errorf("the JSSE servers ended with %v:\n%s%s", err, rest.String(), stderr.String())
		}
	})
	addrs := make([]string, len(stores))
	found := make(chan error, 1)
	report := func(err error) {
		select {
		case found <- err:
		default: // the first outcome is the one the test waits for
		}
	}
	go func() {
		defer close(done)
		sc := bufio.NewScanner(stdout)
		seen := 0
		for sc.Scan() {
			rest.WriteString(sc.Text() + "\n")
			if m := servingLine.FindStringSubmatch(sc.Text()); m != nil {
				i, _ := strconv.Atoi(m[1])
				addrs[i] = net.JoinHostPort("127.0.0.1", m[2])
				if seen++; seen == len(stores) {
					report(nil)
				}
			}
			if strings.HasPrefix(sc.Text(), "FAIL ") {
				report(fmt.Errorf("%s", sc.Text()))
			}
		}
		io.Copy(io.Discard, stdout)
		report(fmt.Errorf("the checker ended before serving"))
	}()
	select {
	case err := <-found:
		if err != nil {
			t.Fatalf("JSSE servers: %v\n%s", err, stderr.String())
		}
	case <-time.After(interopTimeout):
		t.Fatalf("the JSSE servers did not start within %v", interopTimeout)
	}
	return addrs
}

// TestInteropVerifyConnect: verify --connect against JSSE servers on a bundle's tls stores
// (IS's PKCS#12, APIM's and MI's JKS, signed by the environment's internal CA): the whole
// environment passes; a node serving another product's store fails connect-leaf.
func TestInteropVerifyConnect(t *testing.T) {
	multi, err := os.ReadFile("../../examples/multi-product.toml")
	if err != nil {
		t.Fatal(err)
	}
	b := generateBundle(t, "multi-product-internal-ca", withIssuer(t, multi, "internal-ca"), "")
	all := b.interopStores(t)
	var stores []interopStore
	var tls []bundle.ManifestStore
	for _, s := range b.manifest.Stores {
		if s.Env == "dev" && s.Role == "tls" {
			stores = append(stores, all[s.Path])
			tls = append(tls, s)
		}
	}
	if len(stores) != 3 {
		t.Fatalf("%d dev tls stores, want iam's, apim's and mi's", len(stores))
	}
	addrs := serveJSSE(t, stores)
	// Every name of each product at its listeners, as testkit.ServeBundle maps them, but to
	// the JSSE server of the product's store.
	m := map[string]string{}
	for i, s := range tls {
		for _, a := range testkit.ListenerAddresses(s) {
			m[a] = addrs[i]
		}
	}
	rep, code := verifyConnect(t, testkit.DialMap(m), b.dir, "--env", "dev")
	if code != 0 || rep.Summary.Pass != 15*7 {
		t.Fatalf("exit %d, summary %+v, want 7 passes at each of 15 addresses:\n%+v", code, rep.Summary, rep.Findings)
	}
	for _, f := range rep.Findings {
		if f.Rule == verify.RuleConnectProtocol && f.Message != "negotiated TLS 1.3" {
			t.Errorf("%s: %s", f.Address, f.Message)
		}
	}

	// iam's address answered by apim's server.
	m["iam.dev.example.com:9443"] = addrs[1]
	rep, code = verifyConnect(t, testkit.DialMap(m), b.dir, "--env", "dev", "--product", "iam")
	var failed []string
	for _, f := range rep.Findings {
		if f.Severity == verify.Fail {
			failed = append(failed, f.Address+" "+f.Rule)
		}
	}
	if want := "iam.dev.example.com:9443 connect-leaf, iam.dev.example.com:9443 connect-san"; code != 1 || strings.Join(failed, ", ") != want {
		t.Errorf("exit %d, failed %v, want %s", code, failed, want)
	}
}

// verifyConnect runs 'wso2ks verify DIR --connect --output json' in-process with dial.
func verifyConnect(t *testing.T, dial verify.DialFunc, dir string, args ...string) (verify.Report, int) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	f := &cli.Factory{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr, Now: time.Now,
		Rand: rand.NewChaCha8([32]byte{}), ReadFile: infile.Read, Getenv: func(string) (string, bool) { return "", false }, Dial: dial}
	code := cli.Run(f, append([]string{"verify", dir, "--connect", "--output", "json"}, args...))
	var rep verify.Report
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("exit %d, stderr %q: %v", code, stderr.String(), err)
	}
	return rep, code
}
