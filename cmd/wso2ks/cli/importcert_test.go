package cli

import (
	"bytes"
	"crypto/x509"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wso2ks/wso2ks/internal/testca"
	"github.com/wso2ks/wso2ks/internal/testkit"
	"github.com/wso2ks/wso2ks/pkg/bundle"
)

// csrBundle generates examples/multi-product.toml into a new directory and
// writes the requests of its prod environment.
func csrBundle(t *testing.T) (dir string, csr result) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), "ks")
	if r := run(t, false, "generate", "-f", "../../../examples/multi-product.toml", "-o", dir); r.code != 0 {
		t.Fatalf("generate: exit %d\n%s", r.code, r.stderr)
	}
	return dir, run(t, false, "csr", dir, "--env", "prod")
}

// signCSR signs the request at file with ca for its names, changed by mods,
// and returns the chain file [leaf, intermediate, root] written by it.
func signCSR(t *testing.T, ca *testca.CA, file string, chain func(leaf *x509.Certificate) []*x509.Certificate, mods ...testca.Mod) string {
	t.Helper()
	req := testca.ReadCSR(t, file)
	sans := req.DNSNames
	for _, ip := range req.IPAddresses {
		sans = append(sans, ip.String())
	}
	leaf := ca.Leaf(t, req.PublicKey, req.Subject, sans, testNow, mods...)
	certs := []*x509.Certificate{leaf, ca.Int, ca.Root}
	if chain != nil {
		certs = chain(leaf)
	}
	return chainFile(t, certs...)
}

// chainFile writes certs as a PEM chain file.
func chainFile(t *testing.T, certs ...*x509.Certificate) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "chain.pem")
	if err := os.WriteFile(out, testca.PEM(certs...), 0o644); err != nil {
		t.Fatal(err)
	}
	return out
}

// masked replaces the temporary directories in out for a golden file.
func masked(out string, dirs map[string]string) string {
	for dir, name := range dirs {
		out = strings.ReplaceAll(out, dir, name)
	}
	return out
}

// TestCSRImportCert: csr writes one request per tls store; import-cert
// installs the chain the CA signed for iam, changes only iam's tls store,
// the environment's truststores and the manifest, and verify passes. The
// same chain again writes nothing; renew refuses the CA's certificate.
func TestCSRImportCert(t *testing.T) {
	dir, r := csrBundle(t)
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("csr: exit %d, stderr %q", r.code, r.stderr)
	}
	golden(t, "csr-prod.txt", masked(r.stdout, map[string]string{dir: "$DIR"}))
	for _, p := range []string{"iam", "apim", "mi"} {
		info, err := os.Stat(filepath.Join(dir, "prod", p, "tls.csr"))
		if err != nil || info.Mode().Perm() != 0o644 {
			t.Errorf("prod/%s/tls.csr: %v %v", p, info.Mode(), err)
		}
		if _, err := os.Stat(filepath.Join(dir, "dev", p, "tls.csr")); !os.IsNotExist(err) {
			t.Errorf("dev/%s/tls.csr: %v; --env prod wrote it", p, err)
		}
	}
	ca := testca.New(t, testNow, "Corp")
	chain := signCSR(t, ca, filepath.Join(dir, "prod", "iam", "tls.csr"), nil)
	before := snapshot(t, dir)
	r = run(t, false, "import-cert", dir, chain, "--product", "iam", "--env", "prod")
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("import-cert: exit %d, stderr %q", r.code, r.stderr)
	}
	golden(t, "import-cert.txt", masked(r.stdout, map[string]string{dir: "$DIR", chain: "$CHAIN"}))
	after := snapshot(t, dir)
	changed := map[string]bool{}
	for _, line := range strings.Split(before, "\n") {
		if !strings.Contains(after, line) {
			changed[strings.Fields(line)[1]] = true
		}
	}
	want := []string{"manifest.json", "prod/apim/repository/resources/security/client-truststore.jks",
		"prod/iam/repository/resources/security/client-truststore.p12", "prod/iam/repository/resources/security/tls.p12",
		"prod/mi/repository/resources/security/client-truststore.jks"}
	var got []string
	for p := range changed {
		got = append(got, p)
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("changed %v\nwant %v", got, want)
	}
	var m bundle.Manifest
	data, _ := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	for _, s := range m.Stores {
		if s.Env == "prod" && s.Role == "truststore" && (!slices.Contains(s.Entries, "iam-tls-ca") || slices.Contains(s.Entries, "iam-tls")) {
			t.Errorf("%s: entries %v; want iam-tls-ca for iam-tls", s.Path, s.Entries)
		}
	}
	if v := run(t, false, "verify", dir); v.code != 0 {
		t.Errorf("verify: exit %d\n%s%s", v.code, v.stdout, v.stderr)
	}

	after = snapshot(t, dir)
	r = run(t, false, "import-cert", dir, chain, "--product", "iam", "--env", "prod")
	if r.code != 0 || r.stdout != chain+" is already installed in "+dir+"; nothing written\n" || snapshot(t, dir) != after {
		t.Errorf("second import: exit %d, stdout %q, or the bundle changed", r.code, r.stdout)
	}
	// The CA's leaf lasts 90 days; wso2ks cannot sign its successor.
	r = runAt(t, testNow.AddDate(0, 0, 80), "renew", dir)
	if want := "wso2ks: prod/iam/repository/resources/security/tls.p12: cannot renew here: sign a new certificate with your CA\n"; r.code != 2 || r.stderr != want || snapshot(t, dir) != after {
		t.Errorf("renew: exit %d, stderr %q; want 2 and %q, nothing changed", r.code, r.stderr, want)
	}
	// With the certificates wso2ks issued due too, renew renews those and
	// lists the CA's as not renewed; its store stays byte for byte.
	const iamTLS = "prod/iam/repository/resources/security/tls.p12"
	tlsBefore := testkit.ReadFile(t, filepath.Join(dir, iamTLS))
	apimBefore := testkit.ReadFile(t, filepath.Join(dir, "prod/apim/repository/resources/security/tls.jks"))
	r = runAt(t, testNow.AddDate(0, 0, 80), "renew", dir, "--within", "400d")
	notRenewed := "not renewed: 1 certificate(s) signed by a CA whose key wso2ks does not hold:\n  tls " + iamTLS + ", expires " +
		testNow.AddDate(0, 0, 90).UTC().Format(time.RFC3339) + "\n"
	renewNext := "next: prod/iam: have your CA sign a new tls certificate: wso2ks csr " + dir + " --env prod --product iam, then wso2ks import-cert " + dir + " CHAIN.pem --env prod --product iam\n"
	if r.code != 0 || r.stderr != "" || !strings.HasPrefix(r.stdout, "renewed ") || !strings.Contains(r.stdout, notRenewed+"next: ") || !strings.HasSuffix(r.stdout, renewNext) || strings.Count(r.stdout, iamTLS) != 1 {
		t.Errorf("renew --within 400d: exit %d, stderr %q, stdout:\n%s\nwant the others renewed, then\n%s", r.code, r.stderr, r.stdout, notRenewed)
	}
	if !bytes.Equal(testkit.ReadFile(t, filepath.Join(dir, iamTLS)), tlsBefore) {
		t.Error("renew changed the tls store holding the CA's certificate")
	}
	if bytes.Equal(testkit.ReadFile(t, filepath.Join(dir, "prod/apim/repository/resources/security/tls.jks")), apimBefore) {
		t.Error("renew left apim's self-signed tls certificate, which was due, as it was")
	}
}

// TestImportCertBadInput: every bad input exits 2 with one exact line and
// leaves the bundle byte for byte as it was.
func TestImportCertBadInput(t *testing.T) {
	dir, r := csrBundle(t)
	if r.code != 0 {
		t.Fatalf("csr: %+v", r)
	}
	csr := filepath.Join(dir, "prod", "iam", "tls.csr")
	ca := testca.New(t, testNow, "Corp")
	expiredCA := testca.New(t, testNow, "Old", func(c *x509.Certificate) { c.NotAfter = testNow.Add(-time.Hour) })
	notCA := testca.New(t, testNow, "Leafy", func(c *x509.Certificate) {
		c.IsCA, c.MaxPathLen, c.MaxPathLenZero, c.KeyUsage = false, -1, false, x509.KeyUsageDigitalSignature
	})
	other := testca.Key(t)
	req := testca.ReadCSR(t, csr)
	store := filepath.Join(dir, "prod/iam/repository/resources/security/tls.p12")
	garbage := filepath.Join(t.TempDir(), "garbage.pem")
	os.WriteFile(garbage, []byte("this is not PEM\n"), 0o644)
	missing := filepath.Join(t.TempDir(), "none.pem")
	good := signCSR(t, ca, csr, nil)
	notBundle := t.TempDir()

	// A bundle with a rotation in progress: a truststore trusts iam's old
	// tls certificate as iam-tls-previous.
	rotating := filepath.Join(t.TempDir(), "rotating")
	if r := run(t, false, "generate", "-f", "../../../examples/multi-product.toml", "-o", rotating, "--env", "prod"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	if r := run(t, false, "rotate", rotating, "--product", "iam"); r.code != 0 {
		t.Fatal(r.stderr)
	}

	cn := "CN=iam.prod.example.com,OU=Platform,O=Example Corp,L=Colombo,ST=Western,C=LK"
	for _, tc := range []struct {
		name   string
		args   []string
		stderr string
	}{
		{"wrong key", []string{dir, chainFile(t, ca.Leaf(t, other.Public(), req.Subject, req.DNSNames, testNow), ca.Int, ca.Root), "--product", "iam", "--env", "prod"},
			"$CHAIN: the certificate is not for the key of " + store + "; have the CA sign the request 'wso2ks csr' wrote\n"},
		{"intermediate missing", []string{dir, signCSR(t, ca, csr, func(l *x509.Certificate) []*x509.Certificate { return []*x509.Certificate{l, ca.Root} }), "--product", "iam", "--env", "prod"},
			`$CHAIN: certificate 1 (` + cn + `) is issued by "CN=Corp Issuing CA,O=Test CA", which is not the next certificate in the chain; add that issuer's certificate right after it (leaf first, then each issuer up to the root)` + "\n"},
		{"root missing", []string{dir, signCSR(t, ca, csr, func(l *x509.Certificate) []*x509.Certificate { return []*x509.Certificate{l, ca.Int} }), "--product", "iam", "--env", "prod"},
			`$CHAIN: certificate 2 (CN=Corp Issuing CA,O=Test CA) is issued by "CN=Corp Root CA,O=Test CA", which neither the chain nor the truststore holds; append that issuer's certificate (and its issuers up to the root) to the file` + "\n"},
		{"SAN mismatch", []string{dir, signCSR(t, ca, csr, nil, func(c *x509.Certificate) { c.DNSNames = c.DNSNames[:1] }), "--product", "iam", "--env", "prod"},
			"$CHAIN: the certificate does not cover iam-0.iam.prod.svc, iam-1.iam.prod.svc, planned for " + store + "; have the CA sign the request 'wso2ks csr' wrote, which names them all\n"},
		{"expired CA", []string{dir, signCSR(t, expiredCA, csr, nil), "--product", "iam", "--env", "prod"},
			"$CHAIN: certificate 2 (CN=Old Issuing CA,O=Test CA) expired on " + testNow.Add(-time.Hour).Format(time.RFC3339) + "; get a current certificate from the CA\n"},
		{"expired leaf", []string{dir, signCSR(t, ca, csr, nil, func(c *x509.Certificate) { c.NotAfter = testNow.Add(-time.Minute) }), "--product", "iam", "--env", "prod"},
			"$CHAIN: certificate 1 (" + cn + ") expired on " + testNow.Add(-time.Minute).Format(time.RFC3339) + "; get a current certificate from the CA\n"},
		{"not a CA", []string{dir, signCSR(t, notCA, csr, nil), "--product", "iam", "--env", "prod"},
			"$CHAIN: certificate 2 (CN=Leafy Issuing CA,O=Test CA) is not a CA certificate (basicConstraints CA:TRUE with keyCertSign), so it cannot sign certificate 1 (" + cn + "); give the chain exactly as the CA returned it\n"},
		{"root twice", []string{dir, signCSR(t, ca, csr, func(l *x509.Certificate) []*x509.Certificate { return []*x509.Certificate{l, ca.Int, ca.Root, ca.Root} }), "--product", "iam", "--env", "prod"},
			"$CHAIN: certificate 4 repeats certificate 3 (CN=Corp Root CA,O=Test CA); remove the duplicate\n"},
		{"11 certificates", []string{dir, signCSR(t, ca, csr, func(l *x509.Certificate) []*x509.Certificate {
			return append([]*x509.Certificate{l}, slices.Repeat([]*x509.Certificate{ca.Int}, 10)...)
		}), "--product", "iam", "--env", "prod"},
			"$CHAIN: holds more than the 10 certificates a chain may have (Java refuses longer ones); give the leaf, its intermediates and the root\n"},
		{"garbage PEM", []string{dir, garbage, "--product", "iam", "--env", "prod"},
			garbage + ": holds no PEM certificate; give the chain the CA returned in PEM (BEGIN CERTIFICATE), leaf first (DER: convert it with 'openssl x509 -inform der')\n"},
		{"missing chain file", []string{dir, missing, "--product", "iam", "--env", "prod"},
			missing + ": no such file; give the PEM chain your CA returned\n"},
		{"chain is a directory", []string{dir, filepath.Dir(missing), "--product", "iam", "--env", "prod"},
			filepath.Dir(missing) + ": is a directory; give the PEM chain file your CA returned\n"},
		{"unknown product", []string{dir, good, "--product", "is", "--env", "prod"},
			filepath.Join(dir, "manifest.json") + `: no product "is"; did you mean "iam"? give --product one of: iam, apim, mi` + "\n"},
		{"unknown env", []string{dir, good, "--product", "iam", "--env", "staging"},
			filepath.Join(dir, "manifest.json") + `: no environment "staging"; give --env one of: dev, prod` + "\n"},
		{"env needed", []string{dir, good, "--product", "iam"},
			filepath.Join(dir, "manifest.json") + `: product "iam" is in several environments; give --env one of: dev, prod` + "\n"},
		{"rotation in progress", []string{rotating, good, "--product", "iam"},
			"wso2ks: " + filepath.Join(rotating, "prod/iam/repository/resources/security/client-truststore.p12") + " holds iam-tls-previous: a tls rotation is in progress; finish it first with 'wso2ks rotate " + rotating + " --product iam --env prod --finish'\n"},
		{"not a bundle", []string{notBundle, good, "--product", "iam"},
			"wso2ks: " + notBundle + " has no manifest.json; give the directory 'wso2ks generate -o' wrote\n"},
		{"no product", []string{dir, good},
			"wso2ks: import-cert needs --product, the product whose tls store gets the certificate; see 'wso2ks import-cert --help'\n"},
		{"one argument", []string{dir, "--product", "iam"},
			"wso2ks: import-cert needs DIR and CHAIN.pem, the bundle and the PEM chain your CA returned; see 'wso2ks import-cert --help'\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bundle := tc.args[0]
			before := snapshot(t, bundle)
			r := run(t, false, append([]string{"import-cert"}, tc.args...)...)
			want := strings.ReplaceAll(tc.stderr, "$CHAIN", tc.args[1])
			if r.code != 2 || r.stderr != want || r.stdout != "" {
				t.Errorf("exit %d, stdout %q\nstderr %s\nwant   %s", r.code, r.stdout, r.stderr, want)
			}
			if snapshot(t, bundle) != before {
				t.Error("the bundle changed")
			}
		})
	}
}

func TestCSRBadInput(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ks")
	if r := run(t, false, "generate", "-f", "../../../examples/multi-product.toml", "-o", dir, "--env", "dev"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	missing := filepath.Join(t.TempDir(), "none")
	manifest := filepath.Join(dir, "manifest.json")
	for _, tc := range []struct {
		name   string
		args   []string
		stderr string
	}{
		{"no dir", []string{"csr"}, "wso2ks: csr needs exactly one DIR, the bundle 'wso2ks generate' wrote; see 'wso2ks csr --help'\n"},
		{"missing dir", []string{"csr", missing}, "wso2ks: " + missing + ": no such bundle directory; give the directory 'wso2ks generate -o' wrote\n"},
		{"unknown env", []string{"csr", dir, "--env", "prod"}, manifest + `: no environment "prod"; give --env one of: dev` + "\n"},
		{"unknown product", []string{"csr", dir, "--product", "is"}, manifest + `: no product "is"; did you mean "iam"? give --product one of: iam, apim, mi` + "\n"},
		{"product not in env", []string{"csr", dir, "--env", "dev", "--product", "is"}, manifest + `: no product "is"; did you mean "iam"? give --product one of: iam, apim, mi` + "\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := snapshot(t, dir)
			r := run(t, false, tc.args...)
			if r.code != 2 || r.stderr != tc.stderr || r.stdout != "" {
				t.Errorf("exit %d, stdout %q\nstderr %s\nwant   %s", r.code, r.stdout, r.stderr, tc.stderr)
			}
			if snapshot(t, dir) != before {
				t.Error("the bundle changed")
			}
		})
	}
}

// topologyWithRoot writes a topology whose truststores hold ca's root as
// extra_trusted (as a public or corporate CA's root is held), with issuer
// as the tls issuer, and generates it.
func topologyWithRoot(t *testing.T, ca *testca.CA, issuer string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "root.pem"), testca.PEM(ca.Root), 0o644); err != nil {
		t.Fatal(err)
	}
	topology := `[subject]
organization = "Example Corp"
[defaults]
public_cas = false
extra_trusted = ["root.pem"]
[tls]
issuer = "` + issuer + `"
[[product]]
name = "iam"
kind = "wso2is"
version = "7.1.0"
hostnames = ["iam.example.com", "10.1.2.3"]
[[product]]
name = "mi"
kind = "wso2mi"
version = "4.4.0"
hostnames = ["mi.example.com"]
`
	file := filepath.Join(dir, "topology.toml")
	if err := os.WriteFile(file, []byte(topology), 0o644); err != nil {
		t.Fatal(err)
	}
	bundle := filepath.Join(dir, "ks")
	if r := run(t, false, "generate", "-f", file, "-o", bundle); r.code != 0 {
		t.Fatalf("generate: %s", r.stderr)
	}
	if r := run(t, false, "csr", bundle, "--product", "iam"); r.code != 0 {
		t.Fatalf("csr: %s", r.stderr)
	}
	return bundle
}

// TestImportCertTrustedRoot: a chain without its root, whose root every
// truststore already holds (extra_trusted, as a public CA's root with
// public_cas), is completed from the truststore and no root is added; with
// an internal CA, default-ca stays beside it. verify passes either way.
func TestImportCertTrustedRoot(t *testing.T) {
	for _, issuer := range []string{"self-signed", "internal-ca"} {
		t.Run(issuer, func(t *testing.T) {
			ca := testca.New(t, testNow, "Public")
			dir := topologyWithRoot(t, ca, issuer)
			chain := signCSR(t, ca, filepath.Join(dir, "default", "iam", "tls.csr"), func(l *x509.Certificate) []*x509.Certificate {
				return []*x509.Certificate{l, ca.Int}
			})
			r := run(t, false, "import-cert", dir, chain, "--product", "iam")
			if r.code != 0 {
				t.Fatalf("import-cert: exit %d, %s", r.code, r.stderr)
			}
			if strings.Contains(r.stdout, "the root is trusted as") {
				t.Errorf("a root was added:\n%s", r.stdout)
			}
			var m bundle.Manifest
			data, _ := os.ReadFile(filepath.Join(dir, "manifest.json"))
			if err := json.Unmarshal(data, &m); err != nil {
				t.Fatal(err)
			}
			for _, s := range m.Stores {
				if s.Role != "truststore" {
					continue
				}
				want := map[string][]string{
					"self-signed/iam": {"extra-root-1", "iam-internal", "iam-primary", "mi-primary", "mi-tls"},
					"self-signed/mi":  {"extra-root-1", "iam-primary", "mi-internal", "mi-primary", "mi-tls"},
					"internal-ca/iam": {"default-ca", "extra-root-1", "iam-internal", "iam-primary", "mi-primary"},
					"internal-ca/mi":  {"default-ca", "extra-root-1", "iam-primary", "mi-internal", "mi-primary"},
				}[issuer+"/"+s.Product]
				if !slices.Equal(s.Entries, want) {
					t.Errorf("%s: entries %v\nwant %v", s.Path, s.Entries, want)
				}
			}
			if v := run(t, false, "verify", dir); v.code != 0 {
				t.Errorf("verify: exit %d\n%s%s", v.code, v.stdout, v.stderr)
			}
		})
	}
}
