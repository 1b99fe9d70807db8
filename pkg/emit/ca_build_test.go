package emit

import (
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/internal/testkit"
	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/gen"
	"github.com/wso2ks/wso2ks/pkg/keystore"
)

// TestBuildInternalCA checks that tls and wssec stores hold the chain
// [leaf, CA], primary and internal stay self-signed, truststores hold the
// CA, and the CA's files and manifest entry are written.
func TestBuildInternalCA(t *testing.T) {
	plan := testkit.Plan(t, testkit.InternalCA)
	b, err := Build(plan, BuildOptions{Rand: testkit.Rand(2), Now: testkit.Now})
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]bundle.File{}
	for _, f := range b.Files {
		files[f.Path] = f
	}
	crt, key := files["default/ca/ca.crt"], files["default/ca/ca.key"]
	if crt.Mode != 0 || key.Mode != 0o400 {
		t.Errorf("modes: ca.crt %o, ca.key %o; want 0 (FileMode) and 0400", crt.Mode, key.Mode)
	}
	block, _ := pem.Decode(crt.Data)
	if block == nil || block.Type != "CERTIFICATE" {
		t.Fatalf("ca.crt is not a PEM certificate: %q", crt.Data)
	}
	ca, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	if !ca.IsCA || ca.Subject.String() != "CN=Example Corp default CA,O=Example Corp" {
		t.Errorf("CA certificate: IsCA %v, subject %s", ca.IsCA, ca.Subject)
	}
	kb, _ := pem.Decode(key.Data)
	if kb == nil || kb.Type != "PRIVATE KEY" {
		t.Fatalf("ca.key is not a PKCS#8 PEM key")
	}
	caKey, err := x509.ParsePKCS8PrivateKey(kb.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	if !ca.PublicKey.(interface{ Equal(crypto.PublicKey) bool }).Equal(caKey.(crypto.Signer).Public()) {
		t.Error("ca.key does not match ca.crt")
	}

	secrets := testkit.Secrets(t, files["default/secrets.env"].Data)
	var manifest bundle.Manifest
	if err := json.Unmarshal(files[bundle.ManifestName].Data, &manifest); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(ca.Raw)
	want := bundle.ManifestStore{Env: "default", Role: "ca", Path: "default/ca/ca.crt", Type: "PEM", Alias: "default-ca",
		Subject: ca.Subject.String(), Key: "rsa-3072", NotBefore: "2026-03-04T05:01:07Z", NotAfter: "2036-03-01T05:01:07Z",
		SHA256: hex.EncodeToString(sum[:])}
	if len(manifest.CAs) != 1 || !testkit.SameJSON(manifest.CAs[0], want) {
		t.Errorf("manifest CAs %+v, want [%+v]", manifest.CAs, want)
	}
	for _, m := range manifest.Stores {
		st, err := keystore.Decode(keystore.Format(m.Type), files[m.Path].Data, secrets[gen.PasswordVar(m.Product, m.Role)])
		if err != nil {
			t.Fatalf("%s: %v", m.Path, err)
		}
		switch m.Role {
		case gen.RoleTruststore:
			var aliases []string
			for _, tc := range st.Trusted {
				aliases = append(aliases, tc.Alias)
				if tc.Alias == "default-ca" && !tc.Cert.Equal(ca) {
					t.Errorf("%s: default-ca is not the CA", m.Path)
				}
			}
			wantAliases := map[string]string{"iam": "default-ca,iam-internal,iam-primary,mi-primary",
				"mi": "default-ca,iam-primary,mi-internal,mi-primary"}[m.Product]
			if strings.Join(aliases, ",") != wantAliases {
				t.Errorf("%s: entries %v, want %s", m.Path, aliases, wantAliases)
			}
		case gen.RoleTLS, gen.RoleWSSec:
			chain := st.Keys[0].Chain
			if len(chain) != 2 || !chain[1].Equal(ca) || chain[0].CheckSignatureFrom(ca) != nil {
				t.Errorf("%s: chain of %d certificates is not [leaf, CA]", m.Path, len(chain))
			}
		default:
			chain := st.Keys[0].Chain
			c := chain[0]
			if len(chain) != 1 || c.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature) != nil {
				t.Errorf("%s: not a self-signed certificate alone", m.Path)
			}
		}
	}

	dir := filepath.Join(t.TempDir(), "ks")
	if err := b.Write(dir, false); err != nil {
		t.Fatal(err)
	}
	for name, mode := range map[string]os.FileMode{"ca.crt": 0o600, "ca.key": 0o400} {
		st, err := os.Stat(filepath.Join(dir, "default", "ca", name))
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != mode {
			t.Errorf("%s mode %o, want %o", name, st.Mode().Perm(), mode)
		}
	}
	// --force replaces a bundle that holds a read-only key.
	if err := b.Write(dir, true); err != nil {
		t.Errorf("rewrite with force: %v", err)
	}
}

// TestBuildInternalCAOneWorker: with one worker the CAs, first in the
// queue, are made before any certificate waits for them.
func TestBuildInternalCAOneWorker(t *testing.T) {
	plan := testkit.Plan(t, testkit.InternalCA+"[environment.dev]\n[environment.prod]\n")
	total := 0
	b, err := Build(plan, BuildOptions{Rand: testkit.Rand(3), Now: testkit.Now, Workers: 1, Progress: func(_, n int) { total = n }})
	if err != nil {
		t.Fatal(err)
	}
	// Per environment: a CA, and iam's four keys and mi's three.
	if total != 16 || len(b.Manifest.CAs) != 2 {
		t.Errorf("%d keys, %d CAs; want 16 and 2", total, len(b.Manifest.CAs))
	}
}
