package main

// The Java interop harness: testdata/interop/Interop.java opens stores the way WSO2 products and
// their tools do (KeyStore.load, Cipher.init with the certificate, JSSE handshakes with hostname
// verification) and checks a whole set of them in one JVM run. runInterop drives it from Go.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// interopStore is one keystore for the checker. Password is both the store and the key password.
// Role is primary, internal, tls, wssec or truststore; Alias names the key of a key store; Entries
// lists the aliases a truststore must hold as trusted-certificate entries.
type interopStore struct {
	Path, Type, Password, Role, Alias string
	Entries                           []string
}

// interopHandshake is a JSSE server on Server's key (opened with the store password) and a client
// that trusts only Client; every name in Hosts must pass HTTPS hostname verification.
type interopHandshake struct {
	Server, Client interopStore
	Hosts          []string
}

type interopSpec struct {
	Stores     []interopStore
	Handshakes []interopHandshake
}

// interopTimeout bounds one checker run; the checker's own watchdog gives up earlier (150 s), so a
// hang still produces a report.
const interopTimeout = 3 * time.Minute

// interopSummary matches the checker's last line.
var interopSummary = regexp.MustCompile(`(?m)^interop: (\d+) passed, (\d+) failed$`)

// requireJava returns the path of java, failing the test when there is none: the interop tests are
// how we know the stores work in the products, so they must not silently skip.
func requireJava(t testing.TB) string {
	t.Helper()
	java, err := exec.LookPath("java")
	if err != nil {
		t.Fatalf("java is not on PATH: the interop tests need a JDK 17 or later (java and keytool), e.g. apt-get install openjdk-17-jdk-headless: %v", err)
	}
	return java
}

// runInterop checks spec with the Java checker and returns its output and whether every check
// passed. A spec the checker cannot read, a run without a final report or a timeout fail the test.
func runInterop(t *testing.T, spec interopSpec) (output string, ok bool) {
	t.Helper()
	requireJava(t)
	data, err := interopProperties(spec)
	if err != nil {
		t.Fatalf("interop spec: %v", err)
	}
	file := filepath.Join(t.TempDir(), "interop.properties")
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}
	output, code := interopExec(t, file)
	t.Logf("interop checker (exit %d):\n%s", code, output)
	m := interopSummary.FindStringSubmatch(output)
	switch {
	case code != 0 && code != 1:
		t.Fatalf("interop checker rejected its spec (exit %d):\n%s", code, output)
	case m == nil:
		t.Fatalf("interop checker ended without its summary line (exit %d):\n%s", code, output)
	case (m[2] == "0") != (code == 0):
		t.Fatalf("interop checker exited %d but reported %q", code, m[0])
	}
	return output, code == 0
}

// passInterop checks spec with the Java checker and returns its output; a
// failed check fails the test with each FAIL line, then what names the
// bundles checked.
func passInterop(t *testing.T, spec interopSpec, what string) string {
	t.Helper()
	out, ok := runInterop(t, spec)
	if !ok {
		for _, line := range interopReport(out) {
			if strings.HasPrefix(line, "FAIL") {
				t.Error(line)
			}
		}
		t.Fatalf("the Java checker failed stores of %s", what)
	}
	return out
}

// interopExec runs the checker on a spec file and returns its combined output and exit code.
func interopExec(t testing.TB, specFile string) (string, int) {
	t.Helper()
	java := requireJava(t)
	checker, err := filepath.Abs(filepath.Join("testdata", "interop", "Interop.java"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), interopTimeout)
	defer cancel()
	// C1 only: the run is mostly compiling the source, which this makes about a third faster.
	cmd := exec.CommandContext(ctx, java, "-XX:TieredStopAtLevel=1", checker, specFile)
	cmd.Env = interopEnv()
	cmd.WaitDelay = 5 * time.Second
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("interop checker did not finish within %v:\n%s", interopTimeout, out)
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return string(out), exit.ExitCode()
	}
	if err != nil {
		t.Fatalf("run interop checker: %v\n%s", err, out)
	}
	return string(out), 0
}

// interopEnv is the environment for java and keytool. JDK 17 converts file names with the locale's
// charset, so under LANG=C a non-ASCII path cannot even be opened; a UTF-8 locale avoids that.
func interopEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "LC_ALL=") {
			env = append(env, kv)
		}
	}
	return append(env, "LC_ALL=C.UTF-8")
}

// interopProperties encodes spec in the java.util.Properties format the checker reads.
func interopProperties(spec interopSpec) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("# wso2ks interop spec, read by testdata/interop/Interop.java\n")
	put := func(key, value string) error {
		if !utf8.ValidString(value) {
			return fmt.Errorf("%s: %q is not valid UTF-8", key, value)
		}
		fmt.Fprintf(&b, "%s=%s\n", interopEscape(key, true), interopEscape(value, false))
		return nil
	}
	putList := func(key string, items []string) error {
		for _, it := range items {
			if it == "" || strings.Contains(it, ",") || strings.TrimSpace(it) != it {
				return fmt.Errorf("%s: %q cannot be a list item (empty, a comma, or surrounding space)", key, it)
			}
		}
		if len(items) == 0 {
			return nil
		}
		return put(key, strings.Join(items, ","))
	}
	putStore := func(prefix string, s interopStore) error {
		if !filepath.IsAbs(s.Path) {
			return fmt.Errorf("%s.path: %q is not an absolute path", prefix, s.Path)
		}
		for _, kv := range [][2]string{{".path", s.Path}, {".type", s.Type}, {".password", s.Password}} {
			if err := put(prefix+kv[0], kv[1]); err != nil {
				return err
			}
		}
		return nil
	}
	for i, s := range spec.Stores {
		prefix := "store." + strconv.Itoa(i)
		if err := putStore(prefix, s); err != nil {
			return nil, err
		}
		if err := put(prefix+".role", s.Role); err != nil {
			return nil, err
		}
		if s.Alias != "" {
			if err := put(prefix+".alias", s.Alias); err != nil {
				return nil, err
			}
		}
		if err := putList(prefix+".entries", s.Entries); err != nil {
			return nil, err
		}
	}
	for i, h := range spec.Handshakes {
		prefix := "handshake." + strconv.Itoa(i)
		if err := putStore(prefix+".server", h.Server); err != nil {
			return nil, err
		}
		if err := putStore(prefix+".client", h.Client); err != nil {
			return nil, err
		}
		if err := putList(prefix+".hosts", h.Hosts); err != nil {
			return nil, err
		}
	}
	return b.Bytes(), nil
}

// interopEscape escapes s as a java.util.Properties key or value, in ASCII (java.util.Properties
// escapes: \\ \t \n \r \f, the separators and comment markers, a leading space in a value, every
// space in a key, and \uXXXX UTF-16 units for anything outside printable ASCII).
func interopEscape(s string, key bool) string {
	var b strings.Builder
	for i, r := range s {
		switch r {
		case '\\':
			b.WriteString(`\\`)
		case '\t':
			b.WriteString(`\t`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\f':
			b.WriteString(`\f`)
		case '=', ':', '#', '!':
			b.WriteByte('\\')
			b.WriteRune(r)
		case ' ':
			if key || i == 0 {
				b.WriteByte('\\')
			}
			b.WriteByte(' ')
		default:
			if r < 0x20 || r > 0x7e {
				for _, u := range utf16.Encode([]rune{r}) {
					fmt.Fprintf(&b, `\u%04X`, u)
				}
			} else {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}

// interopReport returns the checker's OK, FAIL and summary lines, without anything the JVM may add
// (such as "Picked up JAVA_TOOL_OPTIONS").
func interopReport(output string) []string {
	var lines []string
	for _, l := range strings.Split(output, "\n") {
		if strings.HasPrefix(l, "OK ") || strings.HasPrefix(l, "FAIL ") || interopSummary.MatchString(l) {
			lines = append(lines, l)
		}
	}
	return lines
}

func TestInteropPropertiesEscaping(t *testing.T) {
	tests := []struct {
		name  string
		value string
		key   bool
		want  string
	}{
		{"plain", "/tmp/a/b.p12", false, "/tmp/a/b.p12"},
		{"separators and comments", `p:w=d#x!y`, false, `p\:w\=d\#x\!y`},
		{"backslash", `a\b`, false, `a\\b`},
		{"leading space kept", "  two", false, `\  two`},
		{"inner space", "a b", false, "a b"},
		{"space in key", "a b", true, `a\ b`},
		{"controls", "a\tb\nc\rd\fe", false, `a\tb\nc\rd\fe`},
		{"non-ASCII", "dé", false, `d\u00E9`},
		{"outside the BMP", "🔑", false, `\uD83D\uDD11`},
		{"DEL", "\x7f", false, `\u007F`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := interopEscape(tt.value, tt.key); got != tt.want {
				t.Errorf("interopEscape(%q, %v) = %s, want %s", tt.value, tt.key, got, tt.want)
			}
		})
	}
}

func TestInteropPropertiesErrors(t *testing.T) {
	store := interopStore{Path: "/x.p12", Type: "PKCS12", Password: "secret", Role: "truststore"}
	tests := []struct {
		name string
		spec interopSpec
		want string
	}{
		{"relative path", interopSpec{Stores: []interopStore{{Path: "x.p12"}}},
			`store.0.path: "x.p12" is not an absolute path`},
		{"comma in an alias", interopSpec{Stores: []interopStore{{Path: "/x.p12", Entries: []string{"a,b"}}}},
			`store.0.entries: "a,b" cannot be a list item (empty, a comma, or surrounding space)`},
		{"invalid UTF-8", interopSpec{Stores: []interopStore{{Path: "/x\xff.p12"}}},
			`store.0.path: "/x\xff.p12" is not valid UTF-8`},
		{"empty host", interopSpec{Handshakes: []interopHandshake{{Server: store, Client: store, Hosts: []string{""}}}},
			`handshake.0.hosts: "" cannot be a list item (empty, a comma, or surrounding space)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := interopProperties(tt.spec)
			if err == nil || err.Error() != tt.want {
				t.Errorf("interopProperties() error = %v, want %s", err, tt.want)
			}
		})
	}
}

// TestInteropCheckerRejectsBadSpec: a spec the checker cannot use ends with exit code 2, not with a
// run that checks less than was asked.
func TestInteropCheckerRejectsBadSpec(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	typo := filepath.Join(dir, "typo.properties")
	data := "store.0.path=/x.p12\nstore.0.type=PKCS12\nstore.0.pasword=secret\nstore.0.role=truststore\n"
	if err := os.WriteFile(typo, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, file, want string
	}{
		{"unknown key", typo, "interop: cannot read spec " + typo +
			": java.io.IOException: unknown or out-of-sequence keys [store.0.pasword] (numbering starts at 0 and must have no gaps)\n"},
		{"missing file", filepath.Join(dir, "absent.properties"), "interop: cannot read spec " +
			filepath.Join(dir, "absent.properties") + ": java.nio.file.NoSuchFileException: " +
			filepath.Join(dir, "absent.properties") + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, code := interopExec(t, tt.file)
			if code != 2 || out != tt.want {
				t.Errorf("exit %d, output:\n%s\nwant exit 2, output:\n%s", code, out, tt.want)
			}
		})
	}
}

// interopFixtures makes keystores with keytool, passing passwords through the environment.
type interopFixtures struct {
	t       *testing.T
	keytool string
	dir     string
	pass    string // store password, and key password unless keyPass says otherwise
}

func (f *interopFixtures) path(name string) string { return filepath.Join(f.dir, name) }

func (f *interopFixtures) run(keyPass string, args ...string) error {
	ctx, cancel := context.WithTimeout(f.t.Context(), time.Minute)
	defer cancel()
	// C1 only, as for the checker: export and import take half the CPU; key generation is no slower.
	cmd := exec.CommandContext(ctx, f.keytool, append([]string{"-J-XX:TieredStopAtLevel=1"}, args...)...)
	cmd.Env = append(interopEnv(), "WSO2KS_STOREPASS="+f.pass, "WSO2KS_KEYPASS="+keyPass)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("keytool %s: %w\n%s", strings.Join(args, " "), err, out)
	}
	return nil
}

func (f *interopFixtures) genKey(file, storeType, alias, keyPass string, ext ...string) error {
	args := []string{"-genkeypair", "-keystore", f.path(file), "-storetype", storeType,
		"-storepass:env", "WSO2KS_STOREPASS", "-keypass:env", "WSO2KS_KEYPASS",
		"-alias", alias, "-keyalg", "RSA", "-keysize", "2048", "-validity", "30",
		"-dname", "CN=" + alias + ", O=wso2ks interop test"}
	for _, e := range ext {
		args = append(args, "-ext", e)
	}
	return f.run(keyPass, args...)
}

// copyCert exports alias from one store and imports it as a trusted certificate into another.
func (f *interopFixtures) copyCert(from, fromType, alias, to, toType string) error {
	pem := f.path(from + "." + alias + ".pem")
	if err := f.run(f.pass, "-exportcert", "-rfc", "-keystore", f.path(from), "-storetype", fromType,
		"-storepass:env", "WSO2KS_STOREPASS", "-alias", alias, "-file", pem); err != nil {
		return err
	}
	return f.run(f.pass, "-importcert", "-noprompt", "-keystore", f.path(to), "-storetype", toType,
		"-storepass:env", "WSO2KS_STOREPASS", "-alias", alias, "-file", pem)
}

// TestInteropCheckerCatchesBrokenStores proves the checker passes good stores and fails each broken
// one for the right reason, all in one checker run.
func TestInteropCheckerCatchesBrokenStores(t *testing.T) {
	t.Parallel()
	requireJava(t)
	keytool, err := exec.LookPath("keytool")
	if err != nil {
		t.Fatalf("keytool is not on PATH: the interop tests need a JDK 17 or later: %v", err)
	}
	// The directory name and the password need escaping in the spec, so the run also checks that.
	dir := filepath.Join(t.TempDir(), `stores é=#!:\ x`)
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	const pass = ` S3cret:=#!\ pw` // printable ASCII, as wso2ks accepts
	f := &interopFixtures{t: t, keytool: keytool, dir: dir, pass: pass}

	const (
		wso2KU  = "KeyUsage:critical=digitalSignature,nonRepudiation,keyEncipherment,dataEncipherment"
		wso2EKU = "ExtendedKeyUsage=serverAuth,clientAuth"
		tlsSAN  = "SAN=dns:iam.dev.example.com,dns:localhost,ip:127.0.0.1"
	)
	chains := []func() error{
		func() error {
			if err := f.genKey("primary.p12", "PKCS12", "primary", pass, wso2KU, wso2EKU); err != nil {
				return err
			}
			return f.copyCert("primary.p12", "PKCS12", "primary", "truststore-other.jks", "JKS")
		},
		func() error { return f.genKey("primary.jks", "JKS", "primary", pass, wso2KU, wso2EKU) },
		func() error {
			return f.genKey("primary-sign-only.p12", "PKCS12", "primary", pass, "KeyUsage:critical=digitalSignature")
		},
		func() error { return f.genKey("tls-keypass.jks", "JKS", "tls", "other-key-password", tlsSAN) },
		func() error {
			if err := f.genKey("tls-two-keys.p12", "PKCS12", "tls", pass, tlsSAN); err != nil {
				return err
			}
			return f.genKey("tls-two-keys.p12", "PKCS12", "extra", pass, tlsSAN)
		},
		func() error {
			if err := f.genKey("tls.p12", "PKCS12", "tls", pass, tlsSAN); err != nil {
				return err
			}
			return f.copyCert("tls.p12", "PKCS12", "tls", "truststore.p12", "PKCS12")
		},
	}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for _, chain := range chains {
		wg.Go(func() {
			if err := chain(); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatalf("make fixtures: %v", err)
	}

	store := func(file, typ, role, alias string, entries ...string) interopStore {
		return interopStore{Path: f.path(file), Type: typ, Password: pass, Role: role, Alias: alias, Entries: entries}
	}
	tlsStore := store("tls.p12", "PKCS12", "tls", "")
	trust := store("truststore.p12", "PKCS12", "truststore", "")
	wrongPassword := store("primary.p12", "PKCS12", "primary", "primary")
	wrongPassword.Password = "not-the-password"
	spec := interopSpec{
		Stores: []interopStore{
			store("primary.p12", "PKCS12", "primary", "primary"),
			store("primary.jks", "JKS", "primary", "primary"),
			store("primary.jks", "JKS", "internal", "primary"),
			store("primary-sign-only.p12", "PKCS12", "primary", "primary"),
			store("tls-keypass.jks", "JKS", "tls", "tls"),
			store("tls-two-keys.p12", "PKCS12", "tls", "tls"),
			store("tls.p12", "PKCS12", "tls", "tls"),
			store("tls.p12", "PKCS12", "wssec", "tls"),
			store("truststore.p12", "PKCS12", "truststore", "", "tls"),
			store("truststore-other.jks", "JKS", "truststore", "", "primary", "tls"),
			store("primary.p12", "PKCS12", "primary", "wso2carbon"),
			wrongPassword,
			store("primary.p12", "JKS", "primary", "primary"),
		},
		Handshakes: []interopHandshake{
			{Server: tlsStore, Client: trust, Hosts: []string{"iam.dev.example.com", "localhost", "127.0.0.1"}},
			{Server: tlsStore, Client: store("truststore-other.jks", "JKS", "truststore", ""), Hosts: []string{"localhost"}},
			{Server: store("tls-keypass.jks", "JKS", "tls", ""), Client: trust, Hosts: []string{"localhost"}},
			{Server: tlsStore, Client: trust, Hosts: []string{"iam-0.internal"}},
		},
	}

	out, ok := runInterop(t, spec)
	if ok {
		t.Errorf("runInterop reported success for broken stores")
	}
	if strings.Contains(out, strings.TrimSpace(pass)) || strings.Contains(out, "not-the-password") {
		t.Errorf("the checker printed a password:\n%s", out)
	}

	// Each line is either exact, or for FAIL a prefix "FAIL <what>" followed by ": " and a reason
	// that contains the given text (the rest of the reason is the JDK's wording).
	type want struct{ line, reason string }
	load := func(n int, role, typ, file string) want {
		return want{fmt.Sprintf("OK store.%d %s load %s %s", n, role, typ, f.path(file)), ""}
	}
	hsLoad := func(n int, side, typ, file string) want {
		return want{fmt.Sprintf("OK handshake.%d %s load %s %s", n, side, typ, f.path(file)), ""}
	}
	const pkcs1, oaep = "RSA/ECB/PKCS1Padding", "RSA/ECB/OAEPwithSHA1andMGF1Padding"
	wants := []want{
		// good primary, PKCS12 and JKS; the same JKS store as internal
		load(0, "primary", "PKCS12", "primary.p12"),
		{"OK store.0 primary key primary", ""},
		{"OK store.0 primary cipher " + pkcs1, ""},
		{"OK store.0 primary cipher " + oaep, ""},
		load(1, "primary", "JKS", "primary.jks"),
		{"OK store.1 primary key primary", ""},
		{"OK store.1 primary cipher " + pkcs1, ""},
		{"OK store.1 primary cipher " + oaep, ""},
		load(2, "internal", "JKS", "primary.jks"),
		{"OK store.2 internal key primary", ""},
		{"OK store.2 internal cipher " + pkcs1, ""},
		{"OK store.2 internal cipher " + oaep, ""},
		// KeyUsage without dataEncipherment: what WSO2's cipher tool trips on
		load(3, "primary", "PKCS12", "primary-sign-only.p12"),
		{"OK store.3 primary key primary", ""},
		{"FAIL store.3 primary cipher " + pkcs1, "java.security.InvalidKeyException: Wrong key usage"},
		{"FAIL store.3 primary cipher " + oaep, "java.security.InvalidKeyException: Wrong key usage"},
		// tls key password differs from the store password
		load(4, "tls", "JKS", "tls-keypass.jks"),
		{"FAIL store.4 tls key tls", "java.security.UnrecoverableKeyException: Cannot recover key"},
		{"OK store.4 tls single key entry", ""},
		// tls store with two keys
		load(5, "tls", "PKCS12", "tls-two-keys.p12"),
		{"OK store.5 tls key tls", ""},
		{"FAIL store.5 tls single key entry", "2 key entries [extra, tls]; Tomcat and the passthrough transport need exactly one"},
		// good tls, also used as a wssec store
		load(6, "tls", "PKCS12", "tls.p12"),
		{"OK store.6 tls key tls", ""},
		{"OK store.6 tls single key entry", ""},
		load(7, "wssec", "PKCS12", "tls.p12"),
		{"OK store.7 wssec key tls", ""},
		{"OK store.7 wssec cipher " + pkcs1, ""},
		{"OK store.7 wssec cipher " + oaep, ""},
		// truststores: one complete, one missing an expected alias
		load(8, "truststore", "PKCS12", "truststore.p12"),
		{"OK store.8 truststore trusted tls", ""},
		{"OK store.8 truststore not empty", ""},
		load(9, "truststore", "JKS", "truststore-other.jks"),
		{"OK store.9 truststore trusted primary", ""},
		{"FAIL store.9 truststore trusted tls", "no entry named tls; the store has [primary]"},
		{"OK store.9 truststore not empty", ""},
		// wrong alias, wrong password, wrong type
		load(10, "primary", "PKCS12", "primary.p12"),
		{"FAIL store.10 primary key wso2carbon", "no entry named wso2carbon; the store has [primary]"},
		{"FAIL store.11 primary load PKCS12 " + f.path("primary.p12"), "password was incorrect"},
		{"FAIL store.12 primary load JKS " + f.path("primary.p12"), "the file is PKCS12, not JKS"},
		// good handshake
		hsLoad(0, "server", "PKCS12", "tls.p12"),
		hsLoad(0, "client", "PKCS12", "truststore.p12"),
		{"OK handshake.0 server context", ""},
		{"OK handshake.0 host iam.dev.example.com", ""},
		{"OK handshake.0 host localhost", ""},
		{"OK handshake.0 host 127.0.0.1", ""},
		{"OK handshake.0 negative control wso2ks-not-in-san.invalid", ""},
		// the client does not trust the server
		hsLoad(1, "server", "PKCS12", "tls.p12"),
		hsLoad(1, "client", "JKS", "truststore-other.jks"),
		{"OK handshake.1 server context", ""},
		{"FAIL handshake.1 host localhost", "javax.net.ssl.SSLHandshakeException: PKIX path building failed"},
		{"FAIL handshake.1 negative control wso2ks-not-in-san.invalid", "inconclusive, the handshake failed before hostname verification: javax.net.ssl.SSLHandshakeException: PKIX path building failed"},
		// the server cannot open its key with the store password
		hsLoad(2, "server", "JKS", "tls-keypass.jks"),
		hsLoad(2, "client", "PKCS12", "truststore.p12"),
		{"FAIL handshake.2 server context", "java.security.UnrecoverableKeyException: Cannot recover key"},
		// a host the certificate does not name
		hsLoad(3, "server", "PKCS12", "tls.p12"),
		hsLoad(3, "client", "PKCS12", "truststore.p12"),
		{"OK handshake.3 server context", ""},
		{"FAIL handshake.3 host iam-0.internal", "No subject alternative DNS name matching iam-0.internal found"},
		{"OK handshake.3 negative control wso2ks-not-in-san.invalid", ""},
		{"interop: 48 passed, 12 failed", ""},
	}
	got := interopReport(out)
	for i, w := range wants {
		if i >= len(got) {
			t.Errorf("line %d missing, want %s", i+1, w.line)
			continue
		}
		if w.reason == "" {
			if got[i] != w.line {
				t.Errorf("line %d:\n got %s\nwant %s", i+1, got[i], w.line)
			}
			continue
		}
		prefix := w.line + ": "
		if !strings.HasPrefix(got[i], prefix) || !strings.Contains(got[i][len(prefix):], w.reason) {
			t.Errorf("line %d:\n got %s\nwant %s: …%s…", i+1, got[i], w.line, w.reason)
		}
	}
	for i := len(wants); i < len(got); i++ {
		t.Errorf("unexpected line %d: %s", i+1, got[i])
	}
}
