package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pelletier/go-toml/v2"
	"github.com/wso2ks/wso2ks/cmd/wso2ks/cli"
	"github.com/wso2ks/wso2ks/pkg/gen"
)

// TestInteropInstalledHome is issue 3's "done when": install the vault
// bundle's IS 7.1 into a directory laid out like a fresh IS 7.1 pack (its
// stores made by keytool, a partner's certificate imported into its
// truststore); its deployment.toml names the new stores, they pass the
// Java checks with the passwords the home's configuration gives, the
// truststore still trusts the partner and no longer WSO2's published
// certificate, and its [secrets] decrypt in Java to the right passwords.
func TestInteropInstalledHome(t *testing.T) {
	java := requireJava(t)
	vault, err := os.ReadFile("../../examples/vault.toml")
	if err != nil {
		t.Fatal(err)
	}
	b := generateBundle(t, "vault", vault, "")
	home := filepath.Join(t.TempDir(), "wso2is-7.1.0")
	fixture, err := os.ReadFile("../../pkg/deploytoml/testdata/merge/is71.toml")
	if err != nil {
		t.Fatal(err)
	}
	for rel, data := range map[string][]byte{
		"repository/conf/deployment.toml": fixture,
		"bin/wso2server.sh":               []byte("#!/bin/sh\n"),
	} {
		os.MkdirAll(filepath.Dir(filepath.Join(home, rel)), 0o755)
		os.WriteFile(filepath.Join(home, rel), data, 0o644)
	}
	shipped := packStores(t, home)
	var stdout, stderr bytes.Buffer
	if code := cli.Main([]string{"install", "--bundle", b.dir, "--product", "iam", "--home", home}, strings.NewReader(""), &stdout, &stderr); code != 0 {
		t.Fatalf("install: exit %d: %s", code, stderr.String())
	}
	for _, line := range []string{"truststore: kept the home's partner idp\n", "truststore: dropped the home's wso2carbon: WSO2's published default certificate, whose private key is in every pack\n"} {
		if !strings.Contains(stdout.String(), line) {
			t.Errorf("install does not say %q:\n%s", line, stdout.String())
		}
	}
	deployment, err := os.ReadFile(filepath.Join(home, "repository/conf/deployment.toml"))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := toml.Unmarshal(deployment, &doc); err != nil {
		t.Fatal(err)
	}
	secrets := b.secrets["default"]
	// Resolve $secret{} as the server would, through secrets.env (which
	// VaultCheck below proves the ciphertexts decrypt to).
	pw := func(table map[string]any) string {
		ref := table["password"].(string)
		sub := secretRef.FindStringSubmatch(ref)
		if sub == nil || table["key_password"] != nil && table["key_password"] != ref {
			t.Fatalf("password %q is not one $secret{} for store and key", ref)
		}
		return secrets["WSO2KS_"+strings.ToUpper(sub[1])]
	}
	ks := doc["keystore"].(map[string]any)
	var spec interopSpec
	store := func(role string, table map[string]any) interopStore {
		return interopStore{Path: filepath.Join(home, gen.SecurityDir, table["file_name"].(string)), Type: table["type"].(string),
			Password: pw(table), Role: role, Alias: func() string { a, _ := table["alias"].(string); return a }()}
	}
	for _, role := range []string{"primary", "internal", "tls"} {
		spec.Stores = append(spec.Stores, store(role, ks[role].(map[string]any)))
	}
	trust := store("truststore", doc["truststore"].(map[string]any))
	for _, s := range b.manifest.Stores {
		if s.Product == "iam" && s.Role == "truststore" {
			trust.Entries = s.Entries
		}
	}
	// Java sees the partner's certificate the operator imported with
	// keytool, under its alias; WSO2's published one is gone.
	trust.Entries = append(trust.Entries, "partner idp")
	shipped.pass = trust.Password
	if err := shipped.run(trust.Password, "-list", "-keystore", trust.Path, "-storetype", "PKCS12", "-storepass:env", "WSO2KS_STOREPASS", "-alias", "wso2carbon"); err == nil {
		t.Error("the installed truststore still trusts WSO2's published certificate")
	}
	spec.Stores = append(spec.Stores, trust)
	spec.Handshakes = []interopHandshake{{Server: spec.Stores[2], Client: trust, Hosts: []string{"iam.example.com", "localhost"}}}
	if out, ok := runInterop(t, spec); !ok {
		t.Fatalf("the installed home's stores fail the Java checks:\n%s", out)
	}
	checker, _ := filepath.Abs("testdata/interop/VaultCheck.java")
	// The home is not install_dir: keystore.identity.location, relative to
	// the home, names the installed store all the same.
	out, code := runVaultCheck(t, java, checker, home, "repository/conf/security",
		filepath.Join(b.dir, "default", "secrets.env"), gen.PasswordVar("iam", "internal"), "repository/conf/deployment.toml")
	// Four store passwords and IS 7.1's encryption key.
	if code != 0 || strings.Count(out, "\nOK decrypt ") != 5 || !strings.Contains(out, "\nOK decrypt iam_encryption_key\n") ||
		!strings.Contains(out, "OK identity store repository/resources/security/internal.p12 is in the product home\n") {
		t.Fatalf("the installed home's [secrets] do not decrypt (exit %d):\n%s", code, out)
	}
}

// packStores makes, with keytool, the stores a fresh IS 7.1 pack ships in
// home: wso2carbon.p12 (WSO2's published certificate, CN=localhost, O=WSO2)
// and client-truststore.p12 trusting it, password wso2carbon; then imports
// a partner's certificate into the truststore under "partner idp", as an
// operator does. It returns the keytool runner of the home's security
// directory.
func packStores(t *testing.T, home string) *interopFixtures {
	t.Helper()
	keytool, err := exec.LookPath("keytool")
	if err != nil {
		t.Fatalf("keytool is not on PATH: the interop tests need a JDK 17 or later: %v", err)
	}
	security := filepath.Join(home, gen.SecurityDir)
	os.MkdirAll(security, 0o755)
	f := &interopFixtures{t: t, keytool: keytool, dir: security, pass: "wso2carbon"}
	partner := &interopFixtures{t: t, keytool: keytool, dir: t.TempDir(), pass: "partner-pass"}
	pem := partner.path("partner.pem")
	for _, step := range []func() error{
		func() error {
			return f.run("wso2carbon", "-genkeypair", "-keystore", f.path("wso2carbon.p12"), "-storetype", "PKCS12",
				"-storepass:env", "WSO2KS_STOREPASS", "-keypass:env", "WSO2KS_KEYPASS", "-alias", "wso2carbon", "-keyalg", "RSA",
				"-keysize", "2048", "-validity", "30", "-dname", "CN=localhost, O=WSO2, L=Mountain View, ST=CA, C=US")
		},
		func() error {
			return f.copyCert("wso2carbon.p12", "PKCS12", "wso2carbon", "client-truststore.p12", "PKCS12")
		},
		func() error { return partner.genKey("partner.p12", "PKCS12", "partner", "partner-pass") },
		func() error {
			return partner.run("partner-pass", "-exportcert", "-rfc", "-keystore", partner.path("partner.p12"), "-storetype", "PKCS12",
				"-storepass:env", "WSO2KS_STOREPASS", "-alias", "partner", "-file", pem)
		},
		func() error {
			return f.run("wso2carbon", "-importcert", "-noprompt", "-keystore", f.path("client-truststore.p12"), "-storetype", "PKCS12",
				"-storepass:env", "WSO2KS_STOREPASS", "-alias", "partner idp", "-file", pem)
		},
	} {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	os.Remove(f.path("wso2carbon.p12.wso2carbon.pem"))
	return f
}
