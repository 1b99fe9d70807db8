package cli

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/internal/testca"
	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/certs"
	"github.com/wso2ks/wso2ks/pkg/keystore"
	"github.com/wso2ks/wso2ks/pkg/lifecycle"
)

// changedTopology is testdata/internal-ca.toml with an instance added to
// iam and an API Manager added to the products.
func changedTopology(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(testdata, "internal-ca.toml"))
	if err != nil {
		t.Fatal(err)
	}
	out := bytes.Replace(data, []byte(`instances = ["iam-0.internal"]`), []byte(`instances = ["iam-0.internal", "iam-1.internal"]`), 1)
	if bytes.Equal(out, data) {
		t.Fatal("internal-ca.toml has no iam instances line")
	}
	apim := "[[product]]\nname = \"apim\"\nkind = \"wso2am\"\nversion = \"4.5.0\"\nhostnames = [\"api.${env}.example.com\"]\n\n[environment.dev]"
	return bytes.Replace(out, []byte("[environment.dev]"), []byte(apim), 1)
}

// changedBundle writes the internal-ca bundle to a new DIR and the changed
// topology beside it, and returns both paths.
func changedBundle(t *testing.T) (dir, topology string) {
	t.Helper()
	tmp := t.TempDir()
	dir, topology = filepath.Join(tmp, "ks"), filepath.Join(tmp, "topology.toml")
	if r := run(t, false, "generate", "-f", filepath.Join(testdata, "internal-ca.toml"), "-o", dir); r.code != 0 {
		t.Fatalf("generate: exit %d: %s", r.code, r.stderr)
	}
	if err := os.WriteFile(topology, changedTopology(t), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir, topology
}

func fileSum(t *testing.T, file string) string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%x", sha256.Sum256(data))
}

// TestPlanAgainstAndUpdate shows the difference of an added instance with
// plan --against (golden, text and json, the same on every run, nothing
// written), applies it with generate --update (the same changes), checks
// the CA stayed and verify passes, then updates again to no effect and
// regenerates with --force, which keeps the CA too.
func TestPlanAgainstAndUpdate(t *testing.T) {
	dir, topology := changedBundle(t)
	mask := func(s string) string {
		return strings.ReplaceAll(strings.ReplaceAll(s, topology, "TOPOLOGY"), dir, "DIR")
	}
	caSum := fileSum(t, filepath.Join(dir, "dev", "ca", "ca.crt"))
	before := snapshot(t, dir)
	text := run(t, false, "plan", "-f", topology, "--against", dir)
	if text.code != 0 || text.stderr != "" {
		t.Fatalf("plan --against: exit %d, stderr %q", text.code, text.stderr)
	}
	golden(t, "plan-against.txt", mask(text.stdout))
	js := run(t, false, "plan", "-f", topology, "--against", dir, "--output", "json")
	if js.code != 0 {
		t.Fatalf("plan --against --output json: exit %d, stderr %q", js.code, js.stderr)
	}
	golden(t, "plan-against.json", mask(js.stdout))
	if again := run(t, false, "plan", "-f", topology, "--against", dir, "--output", "json"); again.stdout != js.stdout {
		t.Error("a second plan --against printed something else")
	}
	if snapshot(t, dir) != before {
		t.Fatal("plan --against changed the bundle")
	}
	for name, pw := range readSecretsEnv(t, filepath.Join(dir, "dev", bundle.SecretsName)) {
		if strings.Contains(text.stdout+js.stdout, pw) {
			t.Errorf("plan --against prints the password %s", name)
		}
	}

	up := run(t, false, "generate", "-f", topology, "--update", dir, "--output", "json")
	if up.code != 0 || up.stderr != "" {
		t.Fatalf("generate --update: exit %d, stderr %q", up.code, up.stderr)
	}
	var planned, done struct {
		Written bool               `json:"written"`
		Changes []lifecycle.Change `json:"changes"`
	}
	if err := json.Unmarshal([]byte(js.stdout), &planned); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(up.stdout), &done); err != nil {
		t.Fatal(err)
	}
	if !done.Written || !reflect.DeepEqual(planned.Changes, done.Changes) {
		t.Errorf("generate --update (written %v) did other than plan --against showed:\n%s\nwant\n%s", done.Written, up.stdout, js.stdout)
	}
	if got := fileSum(t, filepath.Join(dir, "dev", "ca", "ca.crt")); got != caSum {
		t.Errorf("ca.crt sha256 %s → %s; want the CA kept", caSum, got)
	}
	if v := run(t, false, "verify", dir); v.code != 0 {
		t.Errorf("verify after --update: exit %d\n%s%s", v.code, v.stdout, v.stderr)
	}

	after := snapshot(t, dir)
	second := run(t, false, "generate", "-f", topology, "--update", dir)
	if want := "nothing to update in " + dir + ": it already matches " + topology + "\n"; second.code != 0 || second.stdout != want || second.stderr != "" {
		t.Errorf("second --update: exit %d, stdout %q, stderr %q; want %q", second.code, second.stdout, second.stderr, want)
	}
	if snapshot(t, dir) != after {
		t.Error("the second --update changed the bundle")
	}
	if r := run(t, false, "plan", "-f", topology, "--against", dir); strings.Contains(r.stdout, "reissue") || strings.Contains(r.stdout, "update ") {
		t.Errorf("plan --against an updated bundle still shows changes:\n%s", r.stdout)
	}

	if r := run(t, false, "generate", "-f", topology, "-o", dir, "--force"); r.code != 0 {
		t.Fatalf("generate --force: exit %d: %s", r.code, r.stderr)
	}
	if got := fileSum(t, filepath.Join(dir, "dev", "ca", "ca.crt")); got != caSum {
		t.Errorf("generate --force: ca.crt sha256 %s → %s; want the CA kept", caSum, got)
	}
	if v := run(t, false, "verify", dir); v.code != 0 {
		t.Errorf("verify after --force: exit %d\n%s%s", v.code, v.stdout, v.stderr)
	}
}

// writeKeyFile replaces a CA key file (mode 0400) with data.
func writeKeyFile(t *testing.T, file string, data []byte) {
	t.Helper()
	if err := os.Chmod(file, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, data, 0o400); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(file, 0o400); err != nil {
		t.Fatal(err)
	}
}

// importTLS has a test CA sign the request 'wso2ks csr' writes for dev
// iam's tls key and installs the chain with 'wso2ks import-cert'.
func importTLS(t *testing.T, dir string) {
	t.Helper()
	if r := run(t, false, "csr", dir, "--env", "dev", "--product", "iam"); r.code != 0 {
		t.Fatalf("csr: exit %d: %s", r.code, r.stderr)
	}
	chain := signCSR(t, testca.New(t, testNow, "Corp"), filepath.Join(dir, "dev", "iam", "tls.csr"), nil)
	if r := run(t, false, "import-cert", dir, chain, "--product", "iam", "--env", "dev"); r.code != 0 {
		t.Fatalf("import-cert: exit %d: %s", r.code, r.stderr)
	}
}

// trustEntries returns the manifest's entries of every truststore of env.
func trustEntries(t *testing.T, dir, env string) map[string][]string {
	t.Helper()
	var m bundle.Manifest
	data, err := os.ReadFile(filepath.Join(dir, bundle.ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, s := range m.Stores {
		if s.Env == env && s.Role == "truststore" {
			out[s.Path] = s.Entries
		}
	}
	return out
}

// TestUpdateAfterImport: after import-cert, an update to the same topology
// writes nothing, the truststores still trusting the imported root
// (iam-tls-ca) instead of the self-signed leaf (iam-tls), or beside the
// internal CA (dev-ca).
func TestUpdateAfterImport(t *testing.T) {
	for _, tc := range []struct{ topology, ca string }{{"init-wso2is.toml", ""}, {"internal-ca.toml", "dev-ca"}} {
		t.Run(tc.topology, func(t *testing.T) {
			topology := filepath.Join(testdata, tc.topology)
			dir := filepath.Join(t.TempDir(), "ks")
			if r := run(t, false, "generate", "-f", topology, "-o", dir); r.code != 0 {
				t.Fatalf("generate: exit %d: %s", r.code, r.stderr)
			}
			importTLS(t, dir)
			before := snapshot(t, dir)
			for p, entries := range trustEntries(t, dir, "dev") {
				if !slices.Contains(entries, "iam-tls-ca") || slices.Contains(entries, "iam-tls") || (tc.ca != "") != slices.Contains(entries, tc.ca) {
					t.Fatalf("%s after import-cert: entries %v", p, entries)
				}
			}
			r := run(t, false, "plan", "-f", topology, "--against", dir)
			if r.code != 0 || strings.Contains(r.stdout, "update ") || strings.Contains(r.stdout, "reissue ") {
				t.Errorf("plan --against after import-cert: exit %d, want every store kept:\n%s%s", r.code, r.stdout, r.stderr)
			}
			r = run(t, false, "generate", "-f", topology, "--update", dir)
			if r.code != 0 || !strings.HasPrefix(r.stdout, "nothing to update") {
				t.Errorf("generate --update after import-cert: exit %d, want nothing to update:\n%s%s", r.code, r.stdout, r.stderr)
			}
			if after := snapshot(t, dir); after != before {
				for _, line := range strings.Split(after, "\n") {
					if !strings.Contains(before, line) {
						t.Errorf("an update to the same topology changed %s", line)
					}
				}
			}
		})
	}
}

// TestUpdateKeepsImportedCertificate: a tls certificate another CA signed
// stays, chain and bytes, while its SANs do not change.
func TestUpdateKeepsImportedCertificate(t *testing.T) {
	dir, _ := changedBundle(t)
	importTLS(t, dir)
	tls := filepath.Join(dir, "dev", "iam", "repository", "resources", "security", "tls.p12")
	sum := fileSum(t, tls)
	topology := filepath.Join(t.TempDir(), "mi-host.toml")
	data, _ := os.ReadFile(filepath.Join(testdata, "internal-ca.toml"))
	os.WriteFile(topology, bytes.Replace(data, []byte(`"mi.${env}.example.com"`), []byte(`"mi.${env}.example.com", "esb.${env}.example.com"`), 1), 0o600)
	r := run(t, false, "generate", "-f", topology, "--update", dir)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{"  keep     dev/iam/repository/resources/security/tls.p12  imported certificate\n", "  reissue  dev/mi/repository/resources/security/tls.jks  SANs +esb.dev.example.com\n"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
		}
	}
	if got := fileSum(t, tls); got != sum {
		t.Error("the imported tls store changed")
	}
	for p, entries := range trustEntries(t, dir, "dev") {
		if !slices.Contains(entries, "iam-tls-ca") || slices.Contains(entries, "iam-tls") {
			t.Errorf("%s: entries %v; want the imported root (iam-tls-ca), not the leaf", p, entries)
		}
	}
}

// TestUpdateBadInput: each refusal is one exact line, exit 2, and leaves
// the directory byte for byte as it was.
func TestUpdateBadInput(t *testing.T) {
	for _, tc := range []struct {
		name string
		// setup breaks the generated bundle at dir and returns the args.
		setup  func(t *testing.T, dir, topology string) []string
		stderr string
	}{
		{"not a bundle", func(t *testing.T, dir, topology string) []string {
			os.Remove(filepath.Join(dir, bundle.ManifestName))
			return []string{"generate", "-f", topology, "--update", dir}
		}, "wso2ks: DIR has no manifest.json; give the directory 'wso2ks generate -o' wrote\n"},
		{"corrupt ca.key", func(t *testing.T, dir, topology string) []string {
			writeKeyFile(t, filepath.Join(dir, "dev", "ca", "ca.key"), []byte("not a key\n"))
			return []string{"generate", "-f", topology, "--update", dir}
		}, "wso2ks: DIR/dev/ca/ca.key: no PEM private key found; remove DIR/dev/ca to make a new CA (trust in the old one then ends)\n"},
		{"corrupt ca.key with --force", func(t *testing.T, dir, topology string) []string {
			writeKeyFile(t, filepath.Join(dir, "dev", "ca", "ca.key"), []byte("not a key\n"))
			return []string{"generate", "-f", topology, "-o", dir, "--force"}
		}, "wso2ks: DIR/dev/ca/ca.key: no PEM private key found; remove DIR/dev/ca to make a new CA (trust in the old one then ends)\n"},
		{"corrupt ca.crt", func(t *testing.T, dir, topology string) []string {
			os.WriteFile(filepath.Join(dir, "dev", "ca", "ca.crt"), []byte("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"), 0o600)
			return []string{"generate", "-f", topology, "--update", dir}
		}, "wso2ks: DIR/dev/ca/ca.crt: the certificate does not parse (its DER encoding is malformed); remove DIR/dev/ca to make a new CA (trust in the old one then ends)\n"},
		{"ca.key of another CA", func(t *testing.T, dir, topology string) []string {
			other, _ := changedBundle(t)
			key, err := os.ReadFile(filepath.Join(other, "dev", "ca", "ca.key"))
			if err != nil {
				t.Fatal(err)
			}
			writeKeyFile(t, filepath.Join(dir, "dev", "ca", "ca.key"), key)
			return []string{"plan", "-f", topology, "--against", dir}
		}, "wso2ks: DIR/dev/ca/ca.key does not match DIR/dev/ca/ca.crt; remove DIR/dev/ca to make a new CA (trust in the old one then ends)\n"},
		{"--update with another -o", func(t *testing.T, dir, topology string) []string {
			return []string{"generate", "-f", topology, "--update", dir, "-o", "elsewhere"}
		}, "wso2ks: --update DIR changes that bundle in place, but -o names elsewhere; drop -o\n"},
		{"--update with --env", func(t *testing.T, dir, topology string) []string {
			return []string{"generate", "-f", topology, "--update", dir, "--env", "dev"}
		}, "wso2ks: --update brings every environment of the topology up to date; drop --env\n"},
		{"--update without -f", func(t *testing.T, dir, topology string) []string {
			return []string{"generate", "--update", dir}
		}, "wso2ks: --update DIR needs -f, the topology the bundle should follow; the built-in topology would replace every store of it\n"},
		{"plan --against without -f", func(t *testing.T, dir, topology string) []string {
			return []string{"plan", "--against", dir}
		}, "wso2ks: --against DIR needs -f, the topology 'generate --update' would follow\n"},
		{"--prune without --update", func(t *testing.T, dir, topology string) []string {
			return []string{"generate", "-f", topology, "-o", dir, "--force", "--prune"}
		}, "wso2ks: --prune goes with --update DIR; drop it\n"},
		{"--update with --k8s", func(t *testing.T, dir, topology string) []string {
			return []string{"generate", "-f", topology, "--update", dir, "--k8s"}
		}, "wso2ks: --update leaves DIR/k8s as it is; drop --k8s and run 'wso2ks k8s DIR' afterwards\n"},
		{"rotation in progress", func(t *testing.T, dir, topology string) []string {
			file := filepath.Join(dir, bundle.ManifestName)
			data, _ := os.ReadFile(file)
			data = bytes.Replace(data, []byte(`"entries": [`), []byte(`"entries": [`+"\n        \"iam-tls-previous\","), 1)
			os.WriteFile(file, data, 0o600)
			return []string{"generate", "-f", topology, "--update", dir}
		}, "wso2ks: DIR/dev/iam/repository/resources/security/client-truststore.p12 holds iam-tls-previous: a tls rotation is in progress; finish it first with 'wso2ks rotate DIR --product iam --env dev --finish'\n"},
		{"imported certificate whose SANs must change", func(t *testing.T, dir, topology string) []string {
			importTLS(t, dir)
			return []string{"generate", "-f", topology, "--update", dir}
		}, "wso2ks: DIR/dev/iam/repository/resources/security/tls.p12: its certificate was signed by CN=Corp Issuing CA,O=Test CA, not by wso2ks, and its SANs must change: +iam-1.internal; run 'wso2ks csr' and 'wso2ks import-cert' again for the new names\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir, topology := changedBundle(t)
			args := tc.setup(t, dir, topology)
			before := snapshot(t, dir)
			r := run(t, false, args...)
			if got := strings.ReplaceAll(r.stderr, dir, "DIR"); r.code != 2 || got != tc.stderr || r.stdout != "" {
				t.Errorf("exit %d, stdout %q, stderr\n%s\nwant exit 2 and\n%s", r.code, r.stdout, got, tc.stderr)
			}
			if snapshot(t, dir) != before {
				t.Error("the bundle directory changed")
			}
		})
	}
}

// TestUpdateExternalCA: with issuer = "external-ca" an update re-signs the
// tls certificate whose SANs changed with the topology's CA, for the same
// key, and writes the same ca.crt.
func TestUpdateExternalCA(t *testing.T) {
	work := t.TempDir()
	issuer := certs.Issuer{Rand: rand.Reader, Now: testNow}
	key, err := certs.GenerateKey("ecdsa-p256")
	if err != nil {
		t.Fatal(err)
	}
	ca, err := issuer.CA(certs.Request{Subject: pkix.Name{CommonName: "BYO ca"}, ValidityDays: 3650}, key)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(work, "ca.pem"), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Raw}), 0o644)
	os.WriteFile(filepath.Join(work, "ca.key"), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600)
	topo, err := os.ReadFile(filepath.Join(testdata, "internal-ca.toml"))
	if err != nil {
		t.Fatal(err)
	}
	external := bytes.Replace(topo, []byte(`issuer = "internal-ca"`), []byte("issuer = \"external-ca\"\nca_cert = \"ca.pem\"\nca_key = \"ca.key\""), 1)
	from, to := filepath.Join(work, "from.toml"), filepath.Join(work, "to.toml")
	os.WriteFile(from, external, 0o644)
	os.WriteFile(to, bytes.Replace(external, []byte(`["iam-0.internal"]`), []byte(`["iam-0.internal", "iam-1.internal"]`), 1), 0o644)
	dir := filepath.Join(work, "ks")
	if r := run(t, false, "generate", "-f", from, "-o", dir); r.code != 0 {
		t.Fatalf("generate: exit %d: %s", r.code, r.stderr)
	}
	const tls = "dev/iam/repository/resources/security/tls.p12"
	chain := func() []*x509.Certificate {
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(tls)))
		if err != nil {
			t.Fatal(err)
		}
		st, err := keystore.Decode(keystore.PKCS12, data, readSecretsEnv(t, filepath.Join(dir, "dev", bundle.SecretsName))["WSO2KS_IAM_TLS_PASSWORD"])
		if err != nil {
			t.Fatal(err)
		}
		return st.Keys[0].Chain
	}
	before := chain()
	caSum := fileSum(t, filepath.Join(dir, "dev", "ca", "ca.crt"))
	r := run(t, false, "generate", "-f", to, "--update", dir)
	if want := "  reissue  " + tls + "  SANs +iam-1.internal\n"; r.code != 0 || !strings.Contains(r.stdout, want) {
		t.Fatalf("exit %d, stdout lacks %q:\n%s%s", r.code, want, r.stdout, r.stderr)
	}
	after := chain()
	if after[0].Equal(before[0]) || !after[0].PublicKey.(interface{ Equal(crypto.PublicKey) bool }).Equal(before[0].PublicKey) {
		t.Error("want a new certificate for the same key")
	}
	if err := after[0].CheckSignatureFrom(ca); err != nil || len(after) != 2 || !after[1].Equal(ca) {
		t.Errorf("chain of %d; signed by the external CA: %v", len(after), err)
	}
	if got := fileSum(t, filepath.Join(dir, "dev", "ca", "ca.crt")); got != caSum {
		t.Error("ca.crt changed")
	}
	if v := run(t, false, "verify", dir); v.code != 0 {
		t.Errorf("verify: exit %d\n%s%s", v.code, v.stdout, v.stderr)
	}
}
