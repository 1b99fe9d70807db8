package cli

import (
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/pkg/keystore"
)

// trusted lists the aliases of a truststore, and whether it holds cert.
func trusted(t *testing.T, file string, format keystore.Format, password string, cert *x509.Certificate) ([]string, bool) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	got, err := keystore.Decode(format, data, password)
	if err != nil {
		t.Fatal(err)
	}
	var aliases []string
	has := false
	for _, e := range got.Trusted {
		aliases = append(aliases, e.Alias)
		has = has || e.Cert.Equal(cert)
	}
	return aliases, has
}

func corpRoot(t *testing.T) *x509.Certificate {
	t.Helper()
	data, err := os.ReadFile("../../../examples/corp-root-ca.pem")
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(data)
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return cert
}

// TestInstallKeepsTrustedCertificates: the certificates an operator
// imported into the home's truststore survive install beside the bundle's;
// WSO2's published certificate and a certificate the bundle already trusts
// under its own alias do not, and the output says so. Installing again
// changes nothing.
func TestInstallKeepsTrustedCertificates(t *testing.T) {
	dir := t.TempDir()
	bundle := filepath.Join(dir, "ks")
	if r := run(t, false, "generate", "-f", "../../../examples/multi-product.toml", "--env", "dev", "-o", bundle); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	home := fakeHome(t, dir, "wso2is-7.1.0", "wso2is")
	ts := filepath.Join(home, "repository/resources/security/client-truststore.p12")
	partner := partnerCert(t, "Partner IdP")
	importTrusted(t, ts, keystore.PKCS12, "wso2carbon", "partner-idp", partner)
	importTrusted(t, ts, keystore.PKCS12, "wso2carbon", "backend ca", partnerCert(t, "Backend"))
	importTrusted(t, ts, keystore.PKCS12, "wso2carbon", "corp", corpRoot(t))
	old, _ := os.ReadFile(ts)

	r := run(t, false, "install", "--bundle", bundle, "--product", "iam", "--home", home)
	for _, line := range []string{
		"truststore: kept the home's partner-idp, backend ca\n",
		"truststore: dropped the home's wso2carbon: WSO2's published default certificate, whose private key is in every pack\n",
		"truststore: dropped the home's corp: the bundle holds the same certificate under its own alias\n",
		"  repository/resources/security/client-truststore.p12.wso2ks-backup\n",
	} {
		if r.code != 0 || !strings.Contains(r.stdout, line) {
			t.Errorf("install does not say %q: %+v", line, r)
		}
	}
	password := readSecretsEnv(t, filepath.Join(bundle, "dev", "secrets.env"))["WSO2KS_IAM_TRUSTSTORE_PASSWORD"]
	aliases, has := trusted(t, ts, keystore.PKCS12, password, partner)
	want := []string{"apim-tls", "extra-corp-root-ca-1", "iam-internal", "iam-primary", "iam-tls", "mi-tls", "partner-idp", "backend ca"}
	for _, a := range want {
		if !slices.Contains(aliases, a) {
			t.Errorf("the installed truststore lacks %s: %v", a, aliases)
		}
	}
	if !has || slices.Contains(aliases, "wso2carbon") || slices.Contains(aliases, "corp") {
		t.Errorf("installed truststore: %v", aliases)
	}
	if backup, _ := os.ReadFile(ts + ".wso2ks-backup"); string(backup) != string(old) {
		t.Error("the backup is not the old truststore")
	}
	if st, _ := os.Stat(ts + ".wso2ks-backup"); st.Mode().Perm() != 0o600 {
		t.Errorf("the truststore backup is mode %v", st.Mode().Perm())
	}
	snap := snapshot(t, home)
	if r := run(t, false, "install", "--bundle", bundle, "--product", "iam", "--home", home); r.code != 0 || r.stdout != home+" is up to date with dev/iam\n" {
		t.Errorf("again: %+v", r)
	}
	if snapshot(t, home) != snap {
		t.Error("installing again changed the home")
	}
}

// TestInstallDropsRemovedPeer: an entry an earlier install wrote that the
// bundle no longer has (here an extra_trusted file taken out of the
// topology) goes; what the operator imported since stays.
func TestInstallDropsRemovedPeer(t *testing.T) {
	dir := t.TempDir()
	home := fakeHome(t, dir, "wso2is-7.1.0", "wso2is")
	root, _ := filepath.Abs("../../../examples/corp-root-ca.pem")
	if r := run(t, false, "install", "-f", isTopology(t, dir, "plain", `hostnames = ["localhost"]`, `extra_trusted = ["`+root+`"]`), "--home", home); r.code != 0 {
		t.Fatalf("first install: %+v", r)
	}
	conf, _ := os.ReadFile(filepath.Join(home, "repository/conf/deployment.toml"))
	i := strings.Index(string(conf), "[truststore]")
	password := strings.Split(strings.Split(string(conf[i:]), `password = "`)[1], `"`)[0]
	ts := filepath.Join(home, "repository/resources/security/client-truststore.p12")
	importTrusted(t, ts, keystore.PKCS12, password, "partner-idp", partnerCert(t, "Partner IdP"))

	r := run(t, false, "install", "-f", isTopology(t, dir, "plain", `hostnames = ["localhost"]`), "--home", home)
	if r.code != 0 || !strings.Contains(r.stdout, "truststore: kept the home's partner-idp\n") ||
		!strings.Contains(r.stdout, "truststore: dropped the home's extra-corp-root-ca-1: an earlier wso2ks install wrote it, and the bundle no longer has it\n") {
		t.Errorf("%+v", r)
	}
	aliases, _ := trusted(t, ts, keystore.PKCS12, password, nil)
	if got, want := strings.Join(aliases, ","), "iam-internal,iam-primary,iam-tls,partner-idp"; got != want {
		t.Errorf("truststore %s, want %s", got, want)
	}
}
