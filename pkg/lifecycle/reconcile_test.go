package lifecycle

import (
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wso2ks/wso2ks/internal/testkit"
	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/keystore"
)

// TestReconcileReasons checks the reason Reconcile gives for each kind of
// re-issue and new key, on the dev/iam tls store of updateBase.
func TestReconcileReasons(t *testing.T) {
	dir := writeBuilt(t, updateBase)
	prior, err := ReadPrior(dir)
	if err != nil {
		t.Fatal(err)
	}
	const tls = "dev/iam/repository/resources/security/tls.p12"
	for _, tc := range []struct {
		name     string
		topology string
		now      time.Time
		action   string
		reason   string
	}{
		{"unchanged", updateBase, testkit.Now, ActionKeep, ""},
		{"SANs", strings.Replace(updateBase, `["iam-0.internal"]`, `["iam-1.internal", "10.0.0.1"]`, 1), testkit.Now, ActionReissue, "SANs +iam-1.internal +10.0.0.1 -iam-0.internal"},
		{"subject", strings.Replace(updateBase, "Example Corp", "Example Inc", 1), testkit.Now, ActionReissue, "subject changed"},
		{"validity", strings.Replace(updateBase, "public_cas = false", "public_cas = false\ntls_validity_days = 200", 1), testkit.Now, ActionReissue, "validity 397 → 200 days"},
		{"issuer", strings.Replace(updateBase, "[defaults]", "[tls]\nissuer = \"internal-ca\"\n[defaults]", 1), testkit.Now, ActionReissue, "issuer changed"},
		{"expired", updateBase, testkit.Now.AddDate(0, 0, 400), ActionReissue, "expired"},
		{"key type", strings.Replace(updateBase, `instances = ["iam-0.internal"]`, "instances = [\"iam-0.internal\"]\nkey = \"rsa-3072\"", 1), testkit.Now, ActionNewKey, "key rsa-2048 → rsa-3072"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Reconcile(testkit.Plan(t, tc.topology), prior, tc.now)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range r.Changes {
				if c.Path == tls {
					if c.Action != tc.action || c.Reason != tc.reason {
						t.Errorf("%s: %s (%s); want %s (%s)", tls, c.Action, c.Reason, tc.action, tc.reason)
					}
					return
				}
			}
			t.Fatalf("no change for %s", tls)
		})
	}
}

// TestUpdateKeepsInternalCA adds an instance to an internal-CA bundle: the
// CA's files stay byte for byte, and the re-issued tls certificate, for
// the same key, is signed by that CA.
func TestUpdateKeepsInternalCA(t *testing.T) {
	withCA := strings.Replace(updateBase, "[defaults]", "[tls]\nissuer = \"internal-ca\"\n[defaults]", 1)
	dir := writeBuilt(t, withCA)
	f0 := files(t, dir)
	_, s0 := snapshot(t, dir)
	updateTo(t, dir, strings.Replace(withCA, `["iam-0.internal"]`, `["iam-0.internal", "iam-1.internal"]`, 1))
	f1 := files(t, dir)
	for _, p := range []string{"dev/ca/ca.crt", "dev/ca/ca.key"} {
		if string(f0[p]) != string(f1[p]) {
			t.Errorf("%s changed; want the CA kept", p)
		}
	}
	if st, err := os.Stat(filepath.Join(dir, "dev", "ca", "ca.key")); err != nil || st.Mode().Perm() != bundle.KeyFileMode {
		t.Errorf("ca.key: %v, mode %v; want %o", err, st.Mode().Perm(), bundle.KeyFileMode)
	}
	block, _ := pem.Decode(f1["dev/ca/ca.crt"])
	ca, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	const tls = "dev/iam/repository/resources/security/tls.p12"
	m1, s1 := snapshot(t, dir)
	if s0[tls].sha256 == s1[tls].sha256 || !s0[tls].key.(interface{ Equal(crypto.PublicKey) bool }).Equal(s1[tls].key) {
		t.Errorf("%s: want a new certificate for the same key", tls)
	}
	b, err := bundle.Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	pw := ""
	for _, f := range b.Files {
		if f.Path == "dev/"+bundle.SecretsName {
			pw = testkit.Secrets(t, f.Data)["WSO2KS_IAM_TLS_PASSWORD"]
		}
	}
	got, err := keystore.Decode(keystore.PKCS12, f1[tls], pw)
	if err != nil {
		t.Fatal(err)
	}
	leaf := got.Keys[0].Chain[0]
	if err := leaf.CheckSignatureFrom(ca); err != nil || len(got.Keys[0].Chain) != 2 || !got.Keys[0].Chain[1].Equal(ca) {
		t.Errorf("%s: chain of %d, signature by the kept CA: %v", tls, len(got.Keys[0].Chain), err)
	}
	if !strings.Contains(strings.Join(leaf.DNSNames, ","), "iam-1.internal") {
		t.Errorf("%s: SANs %v lack iam-1.internal", tls, leaf.DNSNames)
	}
	checkTrust(t, m1, s1)
}

// TestReconcileExpiredCA: a kept CA that has expired cannot sign; the
// error names ca.crt and the way out.
func TestReconcileExpiredCA(t *testing.T) {
	withCA := strings.Replace(updateBase, "[defaults]", "[tls]\nissuer = \"internal-ca\"\n[defaults]", 1)
	dir := writeBuilt(t, withCA)
	prior, err := ReadPrior(dir)
	if err != nil {
		t.Fatal(err)
	}
	later := testkit.Now.AddDate(0, 0, 3651)
	_, err = Reconcile(testkit.Plan(t, withCA), prior, later)
	want := filepath.Join(dir, "dev", "ca", "ca.crt") + " expired on 2036-03-01T05:01:07Z; remove " + filepath.Join(dir, "dev", "ca") + " to make a new CA (trust in the old one then ends)"
	if err == nil || err.Error() != want || !errors.Is(err, bundle.ErrBundle) {
		t.Errorf("error %v; want %s", err, want)
	}
}

// TestReconcileSharedAndSubject: turning on [tls] shared gives mi's tls
// store iam's key (reported as a new key for mi), and a changed [subject]
// keeps the internal CA, saying so.
func TestReconcileSharedAndSubject(t *testing.T) {
	withCA := strings.Replace(updateBase, "[defaults]", "[tls]\nissuer = \"internal-ca\"\n[defaults]", 1)
	dir := writeBuilt(t, withCA)
	prior, err := ReadPrior(dir)
	if err != nil {
		t.Fatal(err)
	}
	changed := strings.Replace(strings.Replace(withCA, "[tls]\n", "[tls]\nshared = true\n", 1), "Example Corp", "Example Inc", 1)
	r, err := Reconcile(testkit.Plan(t, changed), prior, testkit.Now)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"dev/ca/ca.crt": "keep: kept although [subject] changed; remove " + filepath.Join(dir, "dev", "ca") + " for a CA with the new subject",
		"dev/iam/repository/resources/security/tls.p12": "reissue: subject changed; SANs +mi.dev.example.com",
		"dev/mi/repository/resources/security/tls.jks":  "new-key: shared with iam",
	}
	for _, c := range r.Changes {
		if w, ok := want[c.Path]; ok {
			if got := c.Action + ": " + c.Reason; got != w {
				t.Errorf("%s: %s; want %s", c.Path, got, w)
			}
			delete(want, c.Path)
		}
	}
	if len(want) > 0 {
		t.Errorf("no change for %v", want)
	}
}
