package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

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

// TestInteropCheckerCatchesBrokenStores proves the checker passes good stores and fails each broken
// one for the right reason, all in one checker run.
func TestInteropCheckerCatchesBrokenStores(t *testing.T) {
	t.Parallel()
	requireJava(t)
	// The directory name and the password need escaping in the spec, so the run also checks that.
	dir := filepath.Join(t.TempDir(), `stores é=#!:\ x`)
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	const pass = ` S3cret:=#!\ pw` // printable ASCII, as wso2ks accepts
	f := brokenStoreFixtures(t, dir, pass)

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
