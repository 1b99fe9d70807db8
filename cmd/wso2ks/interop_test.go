package main

// Interop tests of real bundles: every store of the default bundle and of
// examples/multi-product.toml, in JKS and in PKCS#12, opened by keytool and
// by the Java checker with the passwords the snippets give.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pelletier/go-toml/v2"
	"github.com/wso2ks/wso2ks/cmd/wso2ks/cli"
	"github.com/wso2ks/wso2ks/internal/testca"
	"github.com/wso2ks/wso2ks/pkg/bundle"
)

// interopBundle is a generated bundle as the tests read it back.
type interopBundle struct {
	name     string
	dir      string
	manifest bundle.Manifest
	// snippets by "<env>/<product>", decoded.
	snippets map[string]map[string]any
	// secrets by environment.
	secrets map[string]map[string]string
}

// generateBundle writes topology (nil: the built-in default) with the real
// CLI, forcing format when it is not empty.
func generateBundle(t *testing.T, name string, topology []byte, format string) *interopBundle {
	t.Helper()
	dir := t.TempDir()
	args := []string{"generate", "-o", filepath.Join(dir, "bundle")}
	if topology != nil || format != "" {
		if topology == nil {
			topology = defaultTopology(t)
		}
		if format != "" {
			topology = withFormat(t, topology, format)
		}
		file := filepath.Join(dir, "topology.toml")
		if err := os.WriteFile(file, topology, 0o644); err != nil {
			t.Fatal(err)
		}
		pem, err := os.ReadFile("../../examples/corp-root-ca.pem")
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, "corp-root-ca.pem"), pem, 0o644)
		args = append(args, "-f", file)
	}
	var stdout, stderr bytes.Buffer
	if code := cli.Main(args, strings.NewReader(""), &stdout, &stderr); code != 0 {
		t.Fatalf("%s: wso2ks %s: exit %d: %s", name, strings.Join(args, " "), code, stderr.String())
	}
	return loadBundle(t, name, filepath.Join(dir, "bundle"))
}

// loadBundle reads the bundle at dir as the interop checks need it: its
// manifest, each product's snippet and each environment's passwords. Tests
// of commands that change a bundle in place (renew, rotate, import-cert)
// load it again afterwards.
func loadBundle(t *testing.T, name, dir string) *interopBundle {
	t.Helper()
	b := &interopBundle{name: name, dir: dir, snippets: map[string]map[string]any{}, secrets: map[string]map[string]string{}}
	data, err := os.ReadFile(filepath.Join(b.dir, bundle.ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &b.manifest); err != nil {
		t.Fatal(err)
	}
	for _, s := range b.manifest.Stores {
		key := s.Env + "/" + s.Product
		if b.snippets[key] == nil {
			var m map[string]any
			data, err := os.ReadFile(filepath.Join(b.dir, s.Env, s.Product, bundle.SnippetName))
			if err != nil {
				t.Fatal(err)
			}
			if err := toml.Unmarshal(data, &m); err != nil {
				t.Fatalf("%s: snippet of %s: %v", name, key, err)
			}
			b.snippets[key] = m
		}
		if b.secrets[s.Env] == nil {
			b.secrets[s.Env] = readSecrets(t, filepath.Join(b.dir, s.Env, bundle.SecretsName))
		}
	}
	return b
}

func defaultTopology(t *testing.T) []byte {
	// The built-in topology, as `wso2ks init` would not give it: read it
	// from the package that embeds it.
	data, err := os.ReadFile("../../pkg/gen/default.toml")
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// withFormat sets [defaults] format, adding the table when there is none.
func withFormat(t *testing.T, topology []byte, format string) []byte {
	t.Helper()
	return withSetting(t, topology, "defaults", "format", format)
}

// withLegacyProfile gives env's PKCS#12 stores the legacy profile
// (LegacyDES), so that the interop tests read both profiles. The products
// of examples/multi-product.toml do not need it: IS 7.1 is supported on
// JDK 11 to 21 only (wso2/carbon-kernel v4.10.42
// distribution/kernel/carbon-home/bin/wso2server.sh prints "CARBON is
// supported only between JDK 11 and JDK 21" otherwise), and APIM 4.5 and
// MI 4.4 default to JKS. A topology sets it for Java clients outside WSO2
// that open a bundle's stores on an OpenJDK 8u build which cannot read
// PBES2/AES PKCS#12.
func withLegacyProfile(t *testing.T, topology []byte, env string) []byte {
	t.Helper()
	return withSetting(t, topology, "environment."+env, "pkcs12_profile", "legacy")
}

// pbes2 is the DER of the PBES2 OID (1.2.840.113549.1.5.13), which a
// modern-profile PKCS#12 holds and a legacy one does not.
var pbes2 = []byte{0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0d}

// withSetting sets key = value in [table] of topology, adding the table
// before the first product when there is none; a topology that already
// sets key fails the test.
func withSetting(t *testing.T, topology []byte, table, key, value string) []byte {
	t.Helper()
	s := string(topology)
	if strings.Contains(s, "\n"+key+" =") {
		t.Fatalf("topology already sets %s", key)
	}
	header, line := "["+table+"]\n", fmt.Sprintf("%s = %q\n", key, value)
	if i := strings.Index(s, header); i >= 0 {
		return []byte(s[:i+len(header)] + line + s[i+len(header):])
	}
	i := strings.Index(s, "[[product]]")
	return []byte(s[:i] + header + line + "\n" + s[i:])
}

func readSecrets(t *testing.T, file string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, line := range strings.Split(string(data), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok && !strings.HasPrefix(line, "#") {
			out[k] = v
		}
	}
	return out
}

var (
	envRef    = regexp.MustCompile(`^\$env\{([A-Z0-9_]+)\}$`)
	secretRef = regexp.MustCompile(`^\$secret\{([a-z0-9_]+)\}$`)
)

// snippetTable finds the table of the snippet that configures a store, as
// the product reads it: its file key, password and key_password.
func (b *interopBundle) snippetTable(t *testing.T, s bundle.ManifestStore) (file, password, keyPassword string, ok bool) {
	t.Helper()
	snip := b.snippets[s.Env+"/"+s.Product]
	get := func(m any, keys ...string) any {
		for _, k := range keys {
			mm, isMap := m.(map[string]any)
			if !isMap {
				if arr, isArr := m.([]any); isArr && len(arr) > 0 {
					mm, isMap = arr[0].(map[string]any)
				}
			}
			if !isMap {
				return nil
			}
			m = mm[k]
		}
		return m
	}
	var table any
	fileKey := "file_name"
	switch s.Role {
	case "truststore":
		table = get(snip, "truststore")
	case "tls":
		if table = get(snip, "keystore", "tls"); table == nil {
			table, fileKey = get(snip, "transport", "http", "listener", "keystore"), "location"
		}
	case "wssec":
		if table = get(snip, "keystore", "custom"); table == nil {
			table = get(snip, "keystore", "secondary")
		}
	default:
		table = get(snip, "keystore", s.Role)
	}
	if table == nil {
		return "", "", "", false
	}
	if arr, isArr := table.([]any); isArr {
		table = arr[0]
	}
	m := table.(map[string]any)
	str := func(k string) string { v, _ := m[k].(string); return v }
	resolve := func(v string) string {
		// A vault alias <product>_<role>_password is secrets.env's
		// WSO2KS_<PRODUCT>_<ROLE>_PASSWORD; VaultCheck.java proves the
		// ciphertext decrypts to it.
		if sub := secretRef.FindStringSubmatch(v); sub != nil {
			v = "$env{WSO2KS_" + strings.ToUpper(sub[1]) + "}"
		}
		if sub := envRef.FindStringSubmatch(v); sub != nil {
			val, found := b.secrets[s.Env][sub[1]]
			if !found {
				t.Fatalf("%s: snippet names $env{%s}, which %s/secrets.env does not set", b.name, sub[1], s.Env)
			}
			return val
		}
		return v
	}
	return str(fileKey), resolve(str("password")), resolve(str("key_password")), true
}

// interopStores turns a bundle into checker stores, checking on the way
// that each snippet names the store's file and gives equal store and key
// passwords.
func (b *interopBundle) interopStores(t *testing.T) map[string]interopStore {
	t.Helper()
	out := map[string]interopStore{}
	for _, s := range b.manifest.Stores {
		file, pw, keyPw, ok := b.snippetTable(t, s)
		if !ok {
			// Only WS-Security stores of products without a table for them.
			if s.Role != "wssec" {
				t.Fatalf("%s: no snippet table configures %s", b.name, s.Path)
			}
			pw = b.secrets[s.Env][fmt.Sprintf("WSO2KS_%s_WSSEC_PASSWORD", strings.ToUpper(strings.ReplaceAll(s.Product, "-", "_")))]
		} else {
			if file != path.Base(s.Path) && !strings.HasSuffix(s.Path, "/"+file) {
				t.Errorf("%s: snippet names %q for %s", b.name, file, s.Path)
			}
			if s.Role != "truststore" && keyPw != pw {
				t.Errorf("%s: %s: key_password differs from password", b.name, s.Path)
			}
		}
		if pw == "" {
			t.Fatalf("%s: no password for %s", b.name, s.Path)
		}
		out[s.Path] = interopStore{Path: filepath.Join(b.dir, s.Path), Type: s.Type, Password: pw,
			Role: s.Role, Alias: s.Alias, Entries: s.Entries}
	}
	return out
}

// interopSpecFor lists every store of b, and the handshakes: each product's
// tls key against its own truststore for every SAN, and against every peer's
// truststore in the same environment for its first name.
func (b *interopBundle) interopSpecFor(t *testing.T) interopSpec {
	stores := b.interopStores(t)
	var spec interopSpec
	tls := map[string]bundle.ManifestStore{}
	trust := map[string]bundle.ManifestStore{}
	for _, s := range b.manifest.Stores {
		spec.Stores = append(spec.Stores, stores[s.Path])
		switch s.Role {
		case "tls":
			tls[s.Env+"/"+s.Product] = s
		case "truststore":
			trust[s.Env+"/"+s.Product] = s
		}
	}
	for key, server := range tls {
		env := strings.Split(key, "/")[0]
		for other, client := range trust {
			if !strings.HasPrefix(other, env+"/") {
				continue
			}
			hosts := server.SANs
			if other != key {
				hosts = server.SANs[:1]
			}
			spec.Handshakes = append(spec.Handshakes, interopHandshake{Server: stores[server.Path], Client: stores[client.Path], Hosts: hosts})
		}
	}
	return spec
}

// keytoolList runs keytool -list on a store with its password from the
// environment and checks it sees exactly what the manifest says.
func keytoolList(t *testing.T, s interopStore) error {
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "keytool", "-J-XX:TieredStopAtLevel=1", "-list", "-keystore", s.Path, "-storetype", s.Type, "-storepass:env", "WSO2KS_TEST_STOREPASS")
	cmd.Env = append(interopEnv(), "WSO2KS_TEST_STOREPASS="+s.Password)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("keytool -list %s: %v\n%s", s.Path, err, out)
	}
	text := string(out)
	keys := keytoolEntry("PrivateKeyEntry").FindAllStringSubmatch(text, -1)
	trusted := keytoolEntry("trustedCertEntry").FindAllStringSubmatch(text, -1)
	if s.Role == "truststore" {
		want := fmt.Sprintf("Your keystore contains %d entries", len(s.Entries))
		if !strings.Contains(text, want) || len(trusted) != len(s.Entries) || len(keys) != 0 {
			return fmt.Errorf("keytool -list %s: want %d trusted entries only:\n%.600s", s.Path, len(s.Entries), text)
		}
		// keytool lists JKS entries in hash order.
		missing := map[string]bool{}
		for _, e := range s.Entries {
			missing[e] = true
		}
		for _, m := range trusted {
			if !missing[m[1]] {
				return fmt.Errorf("keytool -list %s: unexpected entry %q", s.Path, m[1])
			}
			delete(missing, m[1])
		}
		if len(missing) > 0 {
			return fmt.Errorf("keytool -list %s: entries missing: %v", s.Path, missing)
		}
		return nil
	}
	if !strings.Contains(text, "Your keystore contains 1 entry\n") || len(keys) != 1 || keys[0][1] != s.Alias || len(trusted) != 0 {
		return fmt.Errorf("keytool -list %s: want exactly one PrivateKeyEntry %q:\n%s", s.Path, s.Alias, text)
	}
	return nil
}

// keytoolListAll runs keytoolList on every store, two at a time (the
// machine has two cores), and reports each failure.
func keytoolListAll(t *testing.T, stores []interopStore) {
	t.Helper()
	errs := make(chan error, len(stores))
	sem := make(chan struct{}, 2)
	var wg sync.WaitGroup
	for _, s := range stores {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			errs <- keytoolList(t, s)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}

// keytoolEntry matches keytool -list lines such as
// "primary, Nov 27, 2026, PrivateKeyEntry, " (the date has a comma).
func keytoolEntry(kind string) *regexp.Regexp {
	return regexp.MustCompile(`(?m)^(\S[^,\n]*), [^\n]*, ` + kind + `,\s*$`)
}

// TestInteropBundles is the interop test: the default bundle and
// examples/multi-product.toml, in both formats.
func TestInteropBundles(t *testing.T) {
	requireJava(t)
	multi, err := os.ReadFile("../../examples/multi-product.toml")
	if err != nil {
		t.Fatal(err)
	}
	vault, err := os.ReadFile("../../examples/vault.toml")
	if err != nil {
		t.Fatal(err)
	}
	bundles := []*interopBundle{
		generateBundle(t, "default", nil, ""),
		generateBundle(t, "default-jks", nil, "jks"),
		// prod in the legacy PKCS#12 profile, dev in the modern one.
		generateBundle(t, "multi-product-pkcs12", withLegacyProfile(t, multi, "prod"), "pkcs12"),
		generateBundle(t, "multi-product-jks", multi, "jks"),
		generateBundle(t, "vault", vault, ""),
		// The truststores hold the environments' CAs instead of the tls
		// certificates, so every handshake trusts a CA-signed chain.
		generateBundle(t, "multi-product-internal-ca", withIssuer(t, multi, "internal-ca"), ""),
		// A BYO root and intermediate: truststores hold the root alone, the
		// tls stores [leaf, intermediate, root].
		generateBundle(t, "multi-product-external-ca", withExternalCA(t, multi, testca.BYO(t)), ""),
		// 'generate --update' after an instance was added: kept keys and
		// CA, the iam tls certificate re-issued for the new SAN set.
		updatedBundle(t, "multi-product-internal-ca-updated", withIssuer(t, multi, "internal-ca"), withIAMInstance(t, withIssuer(t, multi, "internal-ca"))),
		// 'wso2ks renew' of bundles made 820 days ago: every certificate
		// re-issued for its old key, self-signed or by the kept CA.
		renewedBundle(t, "multi-product-renewed", withFormat(t, multi, "jks")),
		renewedBundle(t, "multi-product-internal-ca-renewed", withIssuer(t, multi, "internal-ca")),
	}
	var spec interopSpec
	var all []interopStore
	for _, b := range bundles {
		s := b.interopSpecFor(t)
		spec.Stores = append(spec.Stores, s.Stores...)
		spec.Handshakes = append(spec.Handshakes, s.Handshakes...)
		all = append(all, s.Stores...)
	}
	// Both formats and both PKCS#12 profiles are really covered.
	types := map[string]int{}
	for _, s := range all {
		types[s.Type]++
		if s.Type == "PKCS12" {
			data, err := os.ReadFile(s.Path)
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(data, pbes2) {
				types["PKCS12 modern"]++
			} else {
				types["PKCS12 legacy"]++
			}
		}
	}
	if types["JKS"] == 0 || types["PKCS12 modern"] == 0 || types["PKCS12 legacy"] == 0 {
		t.Fatalf("store types covered: %v", types)
	}

	keytoolListAll(t, all)

	out := passInterop(t, spec, "generated bundles")
	// Every check the issue names ran: cipher round trips with both
	// paddings for primary and internal, and handshakes.
	for _, want := range []string{"cipher RSA/ECB/PKCS1Padding", "cipher RSA/ECB/OAEPwithSHA1andMGF1Padding", "tls single key entry", "negative control"} {
		if !strings.Contains(out, want) {
			t.Errorf("checker output has no %q check", want)
		}
	}
	if n := strings.Count(out, "\nOK handshake."); n < len(spec.Handshakes) {
		t.Errorf("only %d handshake checks for %d handshakes", n, len(spec.Handshakes))
	}
}
