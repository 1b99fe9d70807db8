package lifecycle

import (
	"bytes"
	"crypto"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/internal/testkit"
	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/emit"
)

const updateBase = `
[subject]
organization = "Example Corp"
[defaults]
public_cas = false
[[product]]
name = "iam"
kind = "wso2is"
version = "7.1.0"
hostnames = ["iam.${env}.example.com"]
instances = ["iam-0.internal"]
[[product]]
name = "mi"
kind = "wso2mi"
version = "4.4.0"
hostnames = ["mi.${env}.example.com"]
[environment.dev]
`

var vaultBase = strings.Replace(strings.Replace(strings.Replace(updateBase, "public_cas = false", "public_cas = false\npassword_mode = \"vault\"", 1),
	`instances = ["iam-0.internal"]`, `instances = ["iam-0.internal"]`+"\ninstall_dir = \"/opt/wso2is\"", 1),
	`hostnames = ["mi.${env}.example.com"]`, `hostnames = ["mi.${env}.example.com"]`+"\ninstall_dir = \"/opt/wso2mi\"", 1)

const apimProduct = `
[[product]]
name = "apim"
kind = "wso2am"
version = "4.5.0"
hostnames = ["api.${env}.example.com"]
`

// updateTo runs Reconcile and Update of dir to topology at testkit.Now, writes
// the result when anything changed, and reports whether it did.
func updateTo(t *testing.T, dir, topology string) (*Reconciliation, bool) {
	t.Helper()
	plan := testkit.Plan(t, topology)
	prior, err := ReadPrior(dir)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Reconcile(plan, prior, testkit.Now)
	if err != nil {
		t.Fatal(err)
	}
	b, changed, err := Update(plan, r, emit.BuildOptions{Rand: testkit.Rand(5), Now: testkit.Now})
	if err != nil {
		t.Fatal(err)
	}
	if changed {
		if err := b.Write(dir, true); err != nil {
			t.Fatal(err)
		}
	}
	return r, changed
}

// TestUpdateFingerprints changes the topology in each way issue 5 names and
// checks, by key and certificate fingerprints and file bytes, that an
// update changes exactly what it must: the stores named in want as named,
// every other file byte for byte the same, every truststore holding the
// current certificates; and that a second update writes nothing.
func TestUpdateFingerprints(t *testing.T) {
	withProd := updateBase + "[environment.prod]\n"
	for _, tc := range []struct {
		name     string
		from, to string
		// want: path → reissue, new-key, new, gone, changed (any other
		// file: the same bytes).
		want map[string]string
	}{
		{"add an instance", updateBase, strings.Replace(updateBase, `["iam-0.internal"]`, `["iam-0.internal", "iam-1.internal"]`, 1), map[string]string{
			"dev/iam/repository/resources/security/tls.p12":               "reissue",
			"dev/iam/repository/resources/security/client-truststore.p12": "changed",
			"dev/mi/repository/resources/security/client-truststore.jks":  "changed",
		}},
		{"add a hostname", updateBase, strings.Replace(updateBase, `["mi.${env}.example.com"]`, `["mi.${env}.example.com", "esb.${env}.example.com"]`, 1), map[string]string{
			"dev/mi/repository/resources/security/tls.jks":                "reissue",
			"dev/iam/repository/resources/security/client-truststore.p12": "changed",
			"dev/mi/repository/resources/security/client-truststore.jks":  "changed",
		}},
		{"add a product", updateBase, strings.Replace(updateBase, "[environment.dev]", apimProduct+"[environment.dev]", 1), map[string]string{
			"dev/apim/":                 "new",
			"dev/" + bundle.SecretsName: "changed",
			"dev/iam/repository/resources/security/client-truststore.p12": "changed",
			"dev/mi/repository/resources/security/client-truststore.jks":  "changed",
		}},
		{"remove a product", updateBase, updateBase[:strings.Index(updateBase, "[[product]]\nname = \"mi\"")] + "[environment.dev]\n", map[string]string{
			"dev/mi/":                   "gone",
			"dev/" + bundle.SecretsName: "changed",
			"dev/iam/repository/resources/security/client-truststore.p12": "changed",
		}},
		{"add an environment", updateBase, withProd, map[string]string{"prod/": "new"}},
		{"remove an environment", withProd, updateBase, map[string]string{"prod/": "gone"}},
		// The snippets' [secrets] and cipher-text.properties keep their
		// ciphertexts: passwords and cipher certificates are unchanged.
		{"add an instance in vault mode", vaultBase, strings.Replace(vaultBase, `["iam-0.internal"]`, `["iam-0.internal", "iam-1.internal"]`, 1), map[string]string{
			"dev/iam/repository/resources/security/tls.p12":               "reissue",
			"dev/iam/repository/resources/security/client-truststore.p12": "changed",
			"dev/mi/repository/resources/security/client-truststore.jks":  "changed",
		}},
		{"change the tls key type", updateBase, strings.Replace(updateBase, `hostnames = ["mi.${env}.example.com"]`, `hostnames = ["mi.${env}.example.com"]`+"\nkey = \"ecdsa-p256\"", 1), map[string]string{
			"dev/mi/repository/resources/security/tls.jks":                "new-key",
			"dev/iam/repository/resources/security/client-truststore.p12": "changed",
			"dev/mi/repository/resources/security/client-truststore.jks":  "changed",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeBuilt(t, tc.from)
			os.MkdirAll(filepath.Join(dir, "k8s"), 0o700)
			os.WriteFile(filepath.Join(dir, "k8s", "dev.yaml"), []byte("not the bundle's\n"), 0o600)
			m0, s0 := snapshot(t, dir)
			f0 := files(t, dir)
			if _, changed := updateTo(t, dir, tc.from); changed {
				t.Fatal("an update to the same topology changed the bundle")
			}
			if _, changed := updateTo(t, dir, tc.to); !changed {
				t.Fatal("the update changed nothing")
			}
			m1, s1 := snapshot(t, dir)
			f1 := files(t, dir)
			want := func(p string) string {
				if w, ok := tc.want[p]; ok {
					return w
				}
				for prefix, w := range tc.want {
					if strings.HasSuffix(prefix, "/") && strings.HasPrefix(p, prefix) {
						return w
					}
				}
				return ""
			}
			for p, before := range f0 {
				after, ok := f1[p]
				switch w := want(p); {
				case w == "gone":
					if ok {
						t.Errorf("%s is still there", p)
					}
				case !ok:
					t.Errorf("%s is gone", p)
				case w == "" && p != bundle.ManifestName && !bytes.Equal(before, after):
					t.Errorf("%s changed; want the same bytes", p)
				case w == "changed" && bytes.Equal(before, after):
					t.Errorf("%s did not change", p)
				}
			}
			for p := range f1 {
				if _, ok := f0[p]; !ok && want(p) != "new" {
					t.Errorf("%s is new", p)
				}
			}
			for p, w := range tc.want {
				before, after := s0[p], s1[p]
				switch w {
				case "reissue", "new-key":
					same := before.key.(interface{ Equal(crypto.PublicKey) bool }).Equal(after.key)
					if same != (w == "reissue") || before.sha256 == after.sha256 {
						t.Errorf("%s: same key %v, sha256 %s → %s; want %s", p, same, before.sha256, after.sha256, w)
					}
				}
			}
			checkTrust(t, m1, s1)
			if m0.Stores[0].SHA256 != m1.Stores[0].SHA256 {
				t.Errorf("%s: the first store's certificate changed", m0.Stores[0].Path)
			}
			if _, changed := updateTo(t, dir, tc.to); changed {
				t.Error("a second update changed the bundle")
			}
			if again := files(t, dir); len(again) != len(f1) {
				t.Errorf("the second update left %d files, want %d", len(again), len(f1))
			}
		})
	}
}

// checkTrust checks that every truststore entry <product>-<role> holds the
// certificate that product's store of that role holds now, and that the
// manifest names each key store's certificate.
func checkTrust(t *testing.T, m bundle.Manifest, s map[string]storeState) {
	t.Helper()
	current := map[string]string{}
	for _, st := range m.Stores {
		if st.SHA256 != "" {
			current[st.Env+"/"+st.Product+"-"+st.Role] = st.SHA256
			if s[st.Path].sha256 != st.SHA256 {
				t.Errorf("%s: sha256 %s, manifest %s", st.Path, s[st.Path].sha256, st.SHA256)
			}
		}
	}
	for _, st := range m.Stores {
		if st.Role != "truststore" {
			continue
		}
		for alias, sum := range s[st.Path].trusted {
			if want, ok := current[st.Env+"/"+alias]; ok && want != sum {
				t.Errorf("%s: %s is %s, want the current %s", st.Path, alias, sum, want)
			}
		}
	}
}
