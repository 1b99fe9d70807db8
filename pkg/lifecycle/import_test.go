package lifecycle

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wso2ks/wso2ks/internal/testca"
	"github.com/wso2ks/wso2ks/internal/testkit"
	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/gen"
	"github.com/wso2ks/wso2ks/pkg/keystore"
)

// csrAt runs CSR on dir and writes the result.
func csrAt(t *testing.T, dir string, opt CSROptions) []Request {
	t.Helper()
	b, reqs, err := CSR(dir, opt)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Write(dir, true); err != nil {
		t.Fatal(err)
	}
	return reqs
}

// importAt runs ImportCert on dir with chain and writes the result.
func importAt(t *testing.T, dir, product string, chain []byte, now time.Time) *Imported {
	t.Helper()
	b, done, err := ImportCert(dir, ImportOptions{Now: now, Rand: testkit.Rand(6), Product: product, ChainFile: "chain.pem", Chain: chain})
	if err != nil {
		t.Fatal(err)
	}
	if b != nil {
		if err := b.Write(dir, true); err != nil {
			t.Fatal(err)
		}
	}
	return done
}

// TestCSRShared: a tls store shared by two products gets one request, for
// its subject, SANs and key; a second run asks for the same.
func TestCSRShared(t *testing.T) {
	dir := writeBuilt(t, testkit.TwoProducts)
	m, s := snapshot(t, dir)
	reqs := csrAt(t, dir, CSROptions{Rand: testkit.Rand(1)})
	if len(reqs) != 1 || reqs[0].Path != "default/iam/tls.csr" || !slices.Equal(reqs[0].SharedBy, []string{"iam", "apim"}) {
		t.Fatalf("requests %+v; want one for the shared store in default/iam", reqs)
	}
	tls := m.Stores[slices.IndexFunc(m.Stores, func(s bundle.ManifestStore) bool { return s.Role == gen.RoleTLS })]
	check := func() *x509.CertificateRequest {
		req := testca.ReadCSR(t, filepath.Join(dir, reqs[0].Path))
		if !slices.Equal(req.DNSNames, tls.SANs) || req.Subject.String() != tls.Subject ||
			!req.PublicKey.(interface{ Equal(crypto.PublicKey) bool }).Equal(s[tls.Path].key) {
			t.Errorf("request: subject %s, names %v; want %s, %v and the tls key", req.Subject, req.DNSNames, tls.Subject, tls.SANs)
		}
		return req
	}
	first := check()
	if info, err := os.Stat(filepath.Join(dir, reqs[0].Path)); err != nil || info.Mode().Perm() != csrFileMode {
		t.Errorf("mode %v, %v; want %v", info.Mode(), err, os.FileMode(csrFileMode))
	}
	_, s1 := snapshot(t, dir)
	for p, st := range s {
		if !bytes.Equal(st.data, s1[p].data) {
			t.Errorf("%s changed; csr changes no store", p)
		}
	}
	csrAt(t, dir, CSROptions{Rand: testkit.Rand(2), Products: []string{"apim"}})
	if second := check(); !bytes.Equal(second.RawSubject, first.RawSubject) {
		t.Error("the second request has another subject")
	}
}

// TestImportCertShared imports a CA-signed chain for a shared tls store:
// both tls stores hold [leaf, intermediate, root] for the same key; primary
// and internal are byte for byte the same; truststores swap shared-tls for
// shared-tls-ca and keep every other entry.
func TestImportCertShared(t *testing.T) {
	dir := writeBuilt(t, testkit.TwoProducts)
	reqs := csrAt(t, dir, CSROptions{Rand: testkit.Rand(1)})
	m0, s0 := snapshot(t, dir)
	req := testca.ReadCSR(t, filepath.Join(dir, reqs[0].Path))
	now := testkit.Now.Add(time.Hour)
	ca := testca.New(t, now, "Corp")
	leaf := ca.Leaf(t, req.PublicKey, req.Subject, req.DNSNames, now)
	done := importAt(t, dir, "apim", testca.PEM(leaf, ca.Int, ca.Root), now)
	m1, s1 := snapshot(t, dir)
	if done.RootAlias != "shared-tls-ca" || len(done.Paths) != 2 || len(done.Trust) != 2 {
		t.Errorf("imported %+v; want 2 tls stores, 2 truststores, root as shared-tls-ca", done)
	}
	files := map[string][]byte{}
	b, _ := bundle.Read(dir)
	for _, f := range b.Files {
		files[f.Path] = f.Data
	}
	for i, s := range m0.Stores {
		before, after, ms := s0[s.Path], s1[s.Path], m1.Stores[i]
		switch s.Role {
		case gen.RoleTLS:
			pw := testkit.Secrets(t, files["default/"+bundle.SecretsName])[gen.PasswordVar(s.Product, s.Role)]
			got, err := keystore.Decode(keystore.Format(s.Type), files[s.Path], pw)
			if err != nil {
				t.Fatal(err)
			}
			chain := got.Keys[0].Chain
			if len(chain) != 3 || !chain[0].Equal(leaf) || !chain[1].Equal(ca.Int) || !chain[2].Equal(ca.Root) || got.Keys[0].Alias != s.Alias {
				t.Errorf("%s: chain of %d under %q; want [leaf, intermediate, root] under %q", s.Path, len(chain), got.Keys[0].Alias, s.Alias)
			}
			if !before.key.(interface{ Equal(crypto.PublicKey) bool }).Equal(after.key) {
				t.Errorf("%s: the key changed", s.Path)
			}
			if ms.SHA256 != after.sha256 || ms.Subject != leaf.Subject.String() || ms.NotAfter != leaf.NotAfter.UTC().Format(time.RFC3339) ||
				ms.NotBefore != leaf.NotBefore.UTC().Format(time.RFC3339) || !slices.Equal(ms.SANs, s.SANs) {
				t.Errorf("%s: manifest %+v does not describe the leaf", s.Path, ms)
			}
		case gen.RoleTruststore:
			want := map[string]string{}
			for a, sum := range before.trusted {
				want[a] = sum
			}
			delete(want, "shared-tls")
			want["shared-tls-ca"] = after.trusted["shared-tls-ca"]
			if len(after.trusted) != len(want) || !slices.IsSorted(after.aliases) || !slices.Equal(ms.Entries, after.aliases) {
				t.Errorf("%s: entries %v, manifest %v; want %v", s.Path, after.aliases, ms.Entries, want)
			}
			for a, sum := range want {
				if after.trusted[a] != sum {
					t.Errorf("%s: %s changed", s.Path, a)
				}
			}
			if _, ok := before.trusted["shared-tls"]; !ok {
				t.Errorf("%s held no shared-tls before", s.Path)
			}
		default:
			if !bytes.Equal(before.data, after.data) || !testkit.SameJSON(ms, s) {
				t.Errorf("%s changed; want it byte for byte the same", s.Path)
			}
		}
	}

	// The same chain again: nothing to write.
	if b, _, err := ImportCert(dir, ImportOptions{Now: now, Rand: testkit.Rand(7), Product: "iam", ChainFile: "chain.pem",
		Chain: testca.PEM(leaf, ca.Int, ca.Root)}); b != nil || err != nil {
		t.Errorf("second import: bundle %v, err %v; want nothing", b != nil, err)
	}

	// A renewed leaf without the root: the truststores hold it already,
	// so only the tls stores change.
	later := now.AddDate(0, 0, 60)
	leaf2 := ca.Leaf(t, req.PublicKey, req.Subject, req.DNSNames, later)
	done = importAt(t, dir, "iam", testca.PEM(leaf2, ca.Int), later)
	_, s2 := snapshot(t, dir)
	if len(done.Paths) != 2 || len(done.Trust) != 0 || done.RootAlias != "" {
		t.Errorf("imported %+v; want the tls stores only", done)
	}
	for _, s := range m1.Stores {
		if s.Role != gen.RoleTLS && !bytes.Equal(s1[s.Path].data, s2[s.Path].data) {
			t.Errorf("%s changed", s.Path)
		}
	}
}

// TestImportCertInternalCA: with an internal CA the truststores hold
// default-ca, which stays; the imported root is added beside it, and mi's
// tls store, signed by the internal CA, is left alone.
func TestImportCertInternalCA(t *testing.T) {
	dir := writeBuilt(t, testkit.InternalCA)
	csrAt(t, dir, CSROptions{Rand: testkit.Rand(1), Products: []string{"iam"}})
	if _, err := os.Stat(filepath.Join(dir, "default", "mi", csrName)); !os.IsNotExist(err) {
		t.Errorf("a request for mi, which --product did not name: %v", err)
	}
	m0, s0 := snapshot(t, dir)
	req := testca.ReadCSR(t, filepath.Join(dir, "default", "iam", csrName))
	now := testkit.Now.Add(time.Hour)
	ca := testca.New(t, now, "Corp")
	done := importAt(t, dir, "iam", testca.PEM(ca.Leaf(t, req.PublicKey, req.Subject, req.DNSNames, now), ca.Int, ca.Root), now)
	m1, s1 := snapshot(t, dir)
	if done.RootAlias != "iam-tls-ca" || len(done.Trust) != 2 {
		t.Errorf("imported %+v; want the root as iam-tls-ca in both truststores", done)
	}
	for i, s := range m0.Stores {
		switch {
		case s.Role == gen.RoleTruststore:
			want := append([]string{"default-ca", "iam-tls-ca"}, s0[s.Path].aliases[1:]...)
			slices.Sort(want)
			if !slices.Equal(s1[s.Path].aliases, want) || !slices.Equal(m1.Stores[i].Entries, want) {
				t.Errorf("%s: entries %v; want %v", s.Path, s1[s.Path].aliases, want)
			}
		case s.Product == "iam" && s.Role == gen.RoleTLS:
		default:
			if !bytes.Equal(s0[s.Path].data, s1[s.Path].data) {
				t.Errorf("%s changed", s.Path)
			}
		}
	}
}

// TestImportCertErrors: every refusal names the file and the fix, and
// returns no bundle.
func TestImportCertErrors(t *testing.T) {
	dir := writeBuilt(t, testkit.InternalCA)
	csrAt(t, dir, CSROptions{Rand: testkit.Rand(1)})
	req := testca.ReadCSR(t, filepath.Join(dir, "default", "iam", csrName))
	now := testkit.Now.Add(time.Hour)
	ca := testca.New(t, now, "Corp")
	leaf := func(mods ...testca.Mod) []byte {
		return testca.PEM(ca.Leaf(t, req.PublicKey, req.Subject, req.DNSNames, now, mods...), ca.Int, ca.Root)
	}
	store := path.Join(dir, "default/iam/repository/resources/security/tls.p12")
	for _, tc := range []struct {
		name, product string
		chain         []byte
		want          string
	}{
		{"no serverAuth", "iam", leaf(func(c *x509.Certificate) { c.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth} }),
			"chain.pem: certificate 1 (CN=iam.example.com,O=Example Corp) is not for TLS server authentication; have the CA issue it with extendedKeyUsage serverAuth"},
		{"no digitalSignature", "iam", leaf(func(c *x509.Certificate) { c.KeyUsage = x509.KeyUsageKeyEncipherment }),
			"chain.pem: certificate 1 (CN=iam.example.com,O=Example Corp) has a key usage without digitalSignature, which TLS needs; have the CA issue it with keyUsage digitalSignature"},
		{"a key in the file", "iam", []byte("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"),
			`chain.pem: holds a PEM "PRIVATE KEY" block; give only the certificates the CA returned (BEGIN CERTIFICATE), leaf first`},
		{"other product's store", "mi", leaf(),
			"chain.pem: the certificate is not for the key of " + path.Join(dir, "default/mi/repository/resources/security/tls.jks") + "; have the CA sign the request 'wso2ks csr' wrote"},
		{"SAN not covered", "iam", leaf(func(c *x509.Certificate) { c.DNSNames = []string{"other.example.com"} }),
			"chain.pem: the certificate does not cover iam.example.com, planned for " + store + "; have the CA sign the request 'wso2ks csr' wrote, which names them all"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, _, err := ImportCert(dir, ImportOptions{Now: now, Rand: testkit.Rand(1), Product: tc.product, ChainFile: "chain.pem", Chain: tc.chain})
			if b != nil || err == nil || err.Error() != tc.want {
				t.Errorf("err %v\nwant %s", err, tc.want)
			}
			if !strings.HasPrefix(tc.want, "chain.pem: ") {
				t.Fatal("bad case")
			}
		})
	}
}
