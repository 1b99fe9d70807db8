package keystore

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/pkg/certs"
	pkcs12 "software.sslmate.com/src/go-pkcs12"
)

// These tests run the real consumer, JDK keytool. They never skip: CI installs a JDK.

// passwordVar is the environment variable keytool reads the store password from
// (-storepass:env), so the password never appears on a command line.
const passwordVar = "WSO2KS_TEST_STOREPASS"

// keytoolJVMFlags fix the locale and time zone keytool prints dates in.
var keytoolJVMFlags = []string{"-J-Duser.language=en", "-J-Duser.country=US", "-J-Duser.timezone=UTC"}

func keytoolPath(t *testing.T) string {
	t.Helper()
	if path, err := exec.LookPath("keytool"); err == nil {
		return path
	}
	if home := os.Getenv("JAVA_HOME"); home != "" {
		path := filepath.Join(home, "bin", "keytool")
		if _, err := os.Stat(path); err == nil {
			return path
		}
	}
	t.Fatal("keytool not found on PATH or in $JAVA_HOME/bin: install a JDK (17 or newer) to run the Java interop tests")
	return ""
}

// keytool runs keytool with the store password in passwordVar and returns its standard output.
func keytool(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command(keytoolPath(t), append(slices.Clone(keytoolJVMFlags), args...)...)
	cmd.Env = append(os.Environ(), passwordVar+"="+testPassword)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("keytool %s: %v\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	return stdout.String()
}

func writeStore(t *testing.T, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func storeArgs(path string, f Format) []string {
	return []string{"-keystore", path, "-storetype", string(f), "-storepass:env", passwordVar}
}

type listedEntry struct{ alias, created, typ string }

var entryCount = regexp.MustCompile(`(?m)^Your keystore contains (\d+) entr(y|ies)$`)

// keytoolList parses `keytool -list -v`: the entry count and each entry's alias, creation date and
// type, in the order keytool prints them.
func keytoolList(t *testing.T, path string, f Format) (int, []listedEntry) {
	t.Helper()
	out := keytool(t, append([]string{"-list", "-v"}, storeArgs(path, f)...)...)
	m := entryCount.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("keytool -list printed no entry count:\n%s", out)
	}
	n, _ := strconv.Atoi(m[1])
	var entries []listedEntry
	for _, line := range strings.Split(out, "\n") {
		switch key, value, _ := strings.Cut(line, ": "); key {
		case "Alias name":
			entries = append(entries, listedEntry{alias: value})
		case "Creation date":
			entries[len(entries)-1].created = value
		case "Entry type":
			entries[len(entries)-1].typ = value
		}
	}
	return n, entries
}

func exportCert(t *testing.T, path string, f Format, alias string) []byte {
	t.Helper()
	out := filepath.Join(t.TempDir(), alias+".der")
	keytool(t, append([]string{"-exportcert", "-alias", alias, "-file", out}, storeArgs(path, f)...)...)
	der, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

func TestKeytoolKeyStore(t *testing.T) {
	loadFixtures(t)
	for _, kind := range storeKinds {
		for _, entry := range []KeyEntry{rsaEntry(), ecEntry()} {
			t.Run(kind.name+"/"+entry.Alias, func(t *testing.T) {
				t.Parallel()
				data, err := testEncoder(9).EncodeKeyStore(kind.format, kind.profile, entry, testPassword)
				if err != nil {
					t.Fatal(err)
				}
				path := writeStore(t, "key.store", data)

				n, listed := keytoolList(t, path, kind.format)
				if n != 1 || len(listed) != 1 || listed[0].alias != entry.Alias || listed[0].typ != "PrivateKeyEntry" {
					t.Fatalf("keytool lists %d entries %+v, want one PrivateKeyEntry %q", n, listed, entry.Alias)
				}
				if kind.format == JKS && listed[0].created != "Jan 2, 2026" {
					t.Errorf("keytool shows creation date %q, want the injected Jan 2, 2026", listed[0].created)
				}
				if der := exportCert(t, path, kind.format, entry.Alias); !bytes.Equal(der, entry.Chain[0].Raw) {
					t.Errorf("keytool -exportcert gives other bytes than the leaf certificate")
				}

				// -certreq signs with the private key: Java must open it with the store password.
				out := keytool(t, append([]string{"-certreq", "-alias", entry.Alias, "-keypass:env", passwordVar}, storeArgs(path, kind.format)...)...)
				block, _ := pem.Decode([]byte(out))
				if block == nil {
					t.Fatalf("keytool -certreq printed no PEM:\n%s", out)
				}
				csr, err := x509.ParseCertificateRequest(block.Bytes)
				if err != nil {
					t.Fatal(err)
				}
				if err := csr.CheckSignature(); err != nil || !certs.SamePublicKey(entry.Key.Public(), csr.PublicKey) {
					t.Errorf("keytool's request is not signed by the stored key (signature check: %v)", err)
				}
			})
		}
	}
}

func TestKeytoolTrustStore(t *testing.T) {
	loadFixtures(t)
	for _, kind := range storeKinds {
		t.Run(kind.name, func(t *testing.T) {
			t.Parallel()
			entries := trustEntries()
			data, err := testEncoder(10).EncodeTrustStore(kind.format, kind.profile, entries, testPassword)
			if err != nil {
				t.Fatal(err)
			}
			path := writeStore(t, "trust.store", data)

			n, listed := keytoolList(t, path, kind.format)
			if n != len(entries) || len(listed) != len(entries) {
				t.Fatalf("keytool lists %d entries %+v, want %d", n, listed, len(entries))
			}
			types := map[string]string{}
			for _, l := range listed {
				types[l.alias] = l.typ
				if kind.format == JKS && l.created != "Jan 2, 2026" {
					t.Errorf("alias %q: keytool shows creation date %q, want the injected Jan 2, 2026", l.alias, l.created)
				}
			}
			for _, e := range entries {
				if types[e.Alias] != "trustedCertEntry" {
					t.Errorf("alias %q: keytool shows entry type %q, want trustedCertEntry", e.Alias, types[e.Alias])
				}
				if der := exportCert(t, path, kind.format, e.Alias); !bytes.Equal(der, e.Cert.Raw) {
					t.Errorf("alias %q: keytool -exportcert gives other bytes", e.Alias)
				}
			}
		})
	}
}

// TestDecodeSeesWhatJavaSees gives Decode and keytool the same stores written by other
// tools, including the cases where Java renames an entry, and expects the same aliases.
func TestDecodeSeesWhatJavaSees(t *testing.T) {
	loadFixtures(t)
	unnamedKey, err := pkcs12.Modern2023.Encode(fixtures.ecKey, fixtures.ecCert, []*x509.Certificate{fixtures.caCert}, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	upperTrust, err := pkcs12.LegacyDES.EncodeTrustStoreEntries([]pkcs12.TrustStoreEntry{
		{Cert: fixtures.caCert, FriendlyName: "Test-CA"}, {Cert: fixtures.rootCert, FriendlyName: "ROOT"},
	}, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		format Format
		make   func(t *testing.T) string // returns the store's path
		want   []string                  // aliases, keys first
	}{
		{"go-pkcs12 key without friendlyName", PKCS12, func(t *testing.T) string { return writeStore(t, "k.p12", unnamedKey) }, []string{"1"}},
		{"upper-case friendly names", PKCS12, func(t *testing.T) string { return writeStore(t, "t.p12", upperTrust) }, []string{"test-ca", "root"}},
		{"keytool pkcs12", PKCS12, func(t *testing.T) string { return keytoolStore(t, PKCS12) }, []string{"mixedcase", "imported-ca"}},
		{"keytool jks", JKS, func(t *testing.T) string { return keytoolStore(t, JKS) }, []string{"mixedcase", "imported-ca"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path := tt.make(t)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			store, err := Decode(tt.format, data, testPassword)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			var decoded []string
			for _, k := range store.Keys {
				decoded = append(decoded, k.Alias)
			}
			for _, c := range store.Trusted {
				decoded = append(decoded, c.Alias)
			}
			_, listed := keytoolList(t, path, tt.format)
			var java []string
			for _, l := range listed {
				java = append(java, l.alias)
			}
			slices.Sort(java)
			if sorted := slices.Sorted(slices.Values(decoded)); !slices.Equal(sorted, java) {
				t.Errorf("Decode aliases %q, keytool aliases %q", decoded, java)
			}
			if !slices.Equal(decoded, tt.want) {
				t.Errorf("Decode aliases %q, want %q", decoded, tt.want)
			}
		})
	}
}

// keytoolStore makes a store with keytool itself: an EC key pair under a mixed-case alias and an
// imported trusted certificate.
func keytoolStore(t *testing.T, f Format) string {
	path := filepath.Join(t.TempDir(), "keytool.store")
	keytool(t, append([]string{"-genkeypair", "-alias", "MixedCase", "-keyalg", "EC", "-dname", "CN=keytool", "-keypass:env", passwordVar}, storeArgs(path, f)...)...)
	ca := writeStore(t, "ca.der", fixtures.caCert.Raw)
	keytool(t, append([]string{"-importcert", "-noprompt", "-alias", "Imported-CA", "-file", ca}, storeArgs(path, f)...)...)
	return path
}
