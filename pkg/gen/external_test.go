package gen

import (
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wso2ks/wso2ks/internal/testca"
	"github.com/wso2ks/wso2ks/pkg/infile"
)

const extTopo = `[subject]
organization = "Example Corp"
[defaults]
public_cas = false
[tls]
issuer = "external-ca"
%s
[[product]]
name = "iam"
kind = "wso2is"
version = "7.1.0"
hostnames = ["iam.${env}.example.com"]
ws_security = true
[environment.dev]
[environment.prod]
`

func loadExt(dir, tls string, now time.Time, env map[string]string) (*Config, error) {
	return Load(Source{Name: "topology.toml", Data: []byte(strings.Replace(extTopo, "%s", tls, 1)), ReadFile: infile.Read, Dir: dir,
		Getenv: func(k string) (string, bool) { v, ok := env[k]; return v, ok }, Now: func() time.Time { return now }})
}

func TestExternalCA(t *testing.T) {
	dir := testca.BYO(t)
	now := time.Now()
	pass := map[string]string{"CA_PASS": "correct horse"}
	// A lone CR ends the first line, as Java's BufferedReader.readLine reads a password file.
	if err := os.WriteFile(filepath.Join(dir, "pass-cr.txt"), []byte("correct horse\rold passphrase\r"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, tls string
		chain     int // certificates from the signer to the root
	}{
		{"intermediate pkcs8", "ca_cert = \"chain.pem\"\nca_key = \"int.key\"", 2},
		{"intermediate sec1", "ca_cert = \"chain.pem\"\nca_key = \"int-sec1.key\"", 2},
		{"intermediate encrypted pkcs8, env", "ca_cert = \"chain.pem\"\nca_key = \"int-enc.key\"\nca_key_passphrase = \"env:CA_PASS\"", 2},
		{"root pkcs1", "ca_cert = \"root.pem\"\nca_key = \"root-pkcs1.key\"", 1},
		{"root legacy encrypted, file", "ca_cert = \"root.pem\"\nca_key = \"root-legacy.key\"\nca_key_passphrase = \"file:pass.txt\"", 1},
		{"root legacy encrypted, file with CR line ends", "ca_cert = \"root.pem\"\nca_key = \"root-legacy.key\"\nca_key_passphrase = \"file:pass-cr.txt\"", 1},
		{"root given with the intermediate", "ca_cert = \"chain.pem\"\nca_key = \"root.key\"", 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := loadExt(dir, tt.tls, now, pass)
			if err != nil {
				t.Fatal(err)
			}
			ext := cfg.External
			if len(ext.Chain) != tt.chain || ext.Root().Subject.CommonName != "BYO Root CA" {
				t.Fatalf("chain of %d up to %q, want %d up to BYO Root CA", len(ext.Chain), ext.Root().Subject.CommonName, tt.chain)
			}
			plan := mustPlan(t, cfg)
			for _, env := range plan.Environments {
				if env.CA == nil || env.CA.External() != ext || env.CA.KeyPath != "" || env.CA.Alias != env.Name+"-ca" {
					t.Fatalf("%s: CA %+v", env.Name, env.CA)
				}
				p := env.Products[0]
				for _, role := range []string{RoleTLS, RoleWSSec} {
					if got := p.Store(role).IssuerKeyID; got != env.CA.KeyID {
						t.Errorf("%s %s: issuer %q, want %q", env.Name, role, got, env.CA.KeyID)
					}
				}
				var found bool
				for _, e := range p.Store(RoleTruststore).Entries {
					if e.Alias == env.Name+"-ca" {
						found = string(e.DER) == string(ext.Root().Raw)
					}
				}
				if !found {
					t.Errorf("%s: truststore lacks the root as %s-ca", env.Name, env.Name)
				}
			}
		})
	}
}

func TestExternalCAErrors(t *testing.T) {
	dir := testca.BYO(t)
	now := time.Now()
	data, _ := os.ReadFile(filepath.Join(dir, "int.pem"))
	block, _ := pem.Decode(data)
	mid, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	intEnd := mid.NotAfter.UTC().Format(time.DateOnly)
	for _, tt := range []struct {
		name, tls string
		now       time.Time
		env       map[string]string
		want      string
	}{
		{"mismatch", "ca_cert = \"root.pem\"\nca_key = \"int.key\"", now, nil,
			`topology.toml:8:1: [tls] ca_key "int.key" matches no certificate in ca_cert "root.pem"; give the CA certificate and its own key`},
		{"weak key", "ca_cert = \"weak.pem\"\nca_key = \"weak.key\"", now, nil,
			`topology.toml:8:1: [tls] ca_key "weak.key" is an RSA key of 1024 bits, weaker than the 2048-bit minimum; give a CA key of at least 2048 bits`},
		{"no keyCertSign", "ca_cert = \"nosign.pem\"\nca_key = \"nosign.key\"", now, nil,
			`topology.toml:7:1: [tls] ca_cert "nosign.pem": "No Sign CA" has no keyCertSign key usage, so it may not sign certificates; give a CA certificate with keyUsage keyCertSign`},
		{"not a CA", "ca_cert = \"leaf.pem\"\nca_key = \"leaf.key\"", now, nil,
			`topology.toml:7:1: [tls] ca_cert "leaf.pem": "Not A CA" is not a CA certificate (no basic constraints with CA:true); give a CA certificate`},
		{"expired", "ca_cert = \"chain.pem\"\nca_key = \"int.key\"", mid.NotAfter.Add(time.Hour), nil,
			`topology.toml:7:1: [tls] ca_cert "chain.pem": "BYO Issuing CA" expired on ` + intEnd + `; renew the CA or give a current one`},
		{"not yet valid", "ca_cert = \"root.pem\"\nca_key = \"root.key\"", now.AddDate(-1, 0, 0), nil,
			`topology.toml:7:1: [tls] ca_cert "root.pem": "BYO Root CA" is not valid before `},
		{"ends before tls", "ca_cert = \"chain.pem\"\nca_key = \"int.key\"", mid.NotAfter.AddDate(0, 0, -100), nil,
			`topology.toml:7:1: [tls] ca_cert "chain.pem": the CA chain ends on ` + intEnd + `, before a 397-day tls certificate would; set a shorter tls_validity_days or renew the CA`},
		{"garbage cert", "ca_cert = \"garbage.pem\"\nca_key = \"int.key\"", now, nil,
			`topology.toml:7:1: [tls] ca_cert "garbage.pem" holds no PEM certificate; give the CA certificate, then its intermediates, as -----BEGIN CERTIFICATE----- blocks`},
		{"garbage key", "ca_cert = \"root.pem\"\nca_key = \"garbage.pem\"", now, nil,
			`topology.toml:8:1: [tls] ca_key "garbage.pem" holds no usable private key (no PEM private key found); give a PKCS#1, PKCS#8 or SEC1 PEM key`},
		{"missing file", "ca_cert = \"nope.pem\"\nca_key = \"int.key\"", now, nil,
			`topology.toml:7:1: [tls] ca_cert "nope.pem" cannot be read (no such file or directory); give a PEM file path relative to the topology file`},
		{"passphrase missing", "ca_cert = \"chain.pem\"\nca_key = \"int-enc.key\"", now, nil,
			`topology.toml:8:1: [tls] ca_key "int-enc.key" is encrypted; set ca_key_passphrase = "env:VARIABLE" or "file:PATH" to where its passphrase is`},
		{"legacy passphrase missing", "ca_cert = \"root.pem\"\nca_key = \"root-legacy.key\"", now, nil,
			`topology.toml:8:1: [tls] ca_key "root-legacy.key" is encrypted; set ca_key_passphrase = "env:VARIABLE" or "file:PATH" to where its passphrase is`},
		{"passphrase unset", "ca_cert = \"chain.pem\"\nca_key = \"int-enc.key\"\nca_key_passphrase = \"env:CA_PASS\"", now, nil,
			`topology.toml:9:1: [tls] ca_key_passphrase: environment variable CA_PASS is not set; export it before running wso2ks`},
		{"passphrase literal", "ca_cert = \"chain.pem\"\nca_key = \"int-enc.key\"\nca_key_passphrase = \"hunter2\"", now, nil,
			`topology.toml:9:1: [tls] ca_key_passphrase must be "env:VARIABLE" or "file:PATH"; the passphrase itself never goes in the topology`},
		{"wrong passphrase", "ca_cert = \"chain.pem\"\nca_key = \"int-enc.key\"\nca_key_passphrase = \"env:CA_PASS\"", now, map[string]string{"CA_PASS": "battery staple"},
			`topology.toml:9:1: [tls] the passphrase from env:CA_PASS does not decrypt ca_key "int-enc.key"; give the key's passphrase`},
		{"wrong legacy passphrase", "ca_cert = \"root.pem\"\nca_key = \"root-legacy.key\"\nca_key_passphrase = \"env:CA_PASS\"", now, map[string]string{"CA_PASS": "battery staple"},
			`topology.toml:9:1: [tls] the passphrase from env:CA_PASS does not decrypt ca_key "root-legacy.key"; give the key's passphrase`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := loadExt(dir, tt.tls, tt.now, tt.env)
			if err == nil {
				t.Fatal("loaded")
			}
			if got := err.Error(); got != tt.want && !(strings.HasSuffix(tt.want, " ") && strings.HasPrefix(got, tt.want)) {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}
