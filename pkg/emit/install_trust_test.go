package emit

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"slices"
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/internal/testca"
	"github.com/wso2ks/wso2ks/internal/testkit"
	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/gen"
	"github.com/wso2ks/wso2ks/pkg/keystore"
)

// TestMergeTrust: install keeps every entry of the home's truststores it
// did not write, and leaves out exactly what it must, saying why.
func TestMergeTrust(t *testing.T) {
	cert := func(cn string, serial int64) *x509.Certificate {
		k := testca.Key(t)
		return testca.Cert(t, cn, serial, true, k, nil, k)
	}
	ours, renewed, oldOurs := cert("iam-tls", 10), cert("iam-primary", 11), cert("iam-tls old", 12)
	wso2, partner, removed, other := cert("localhost", 13), cert("partner", 14), cert("apim-tls", 15), cert("someone", 16)
	bundle := []keystore.TrustedCert{{Alias: "iam-tls", Cert: ours}, {Alias: "iam-primary", Cert: renewed}}
	wrote := map[string]string{"iam-tls": CertSHA256(oldOurs), "apim-tls": CertSHA256(removed)}
	isDefault := func(c *x509.Certificate) bool { return c.Equal(wso2) }
	for _, tc := range []struct {
		name    string
		home    []keystore.TrustedCert
		wrote   map[string]string
		kept    []string
		updated []string
		dropped []DroppedTrust
	}{
		{name: "fresh pack", home: []keystore.TrustedCert{{Alias: "wso2carbon", Cert: wso2}},
			dropped: []DroppedTrust{{"wso2carbon", DropDefault}}},
		{name: "operator entries", home: []keystore.TrustedCert{{Alias: "partner idp", Cert: partner}, {Alias: "wso2carbon", Cert: wso2}},
			kept: []string{"partner idp"}, dropped: []DroppedTrust{{"wso2carbon", DropDefault}}},
		{name: "the bundle's own entries", home: bundle},
		{name: "an earlier install's entry renewed", home: []keystore.TrustedCert{{Alias: "iam-tls", Cert: oldOurs}}, wrote: wrote,
			updated: []string{"iam-tls"}},
		{name: "an operator's entry under the bundle's alias", home: []keystore.TrustedCert{{Alias: "IAM-TLS", Cert: other}}, wrote: wrote,
			dropped: []DroppedTrust{{"IAM-TLS", DropReplaced}}},
		{name: "a removed peer", home: []keystore.TrustedCert{{Alias: "apim-tls", Cert: removed}, {Alias: "partner", Cert: partner}}, wrote: wrote,
			kept: []string{"partner"}, dropped: []DroppedTrust{{"apim-tls", DropRemoved}}},
		{name: "a removed peer without a record", home: []keystore.TrustedCert{{Alias: "apim-tls", Cert: removed}},
			kept: []string{"apim-tls"}},
		{name: "an operator's entry where a peer was", home: []keystore.TrustedCert{{Alias: "apim-tls", Cert: other}}, wrote: wrote,
			kept: []string{"apim-tls"}},
		{name: "the bundle's certificate under another alias", home: []keystore.TrustedCert{{Alias: "our-tls", Cert: ours}},
			dropped: []DroppedTrust{{"our-tls", DropSame}}},
		{name: "two truststores of the home", home: []keystore.TrustedCert{{Alias: "partner", Cert: partner}, {Alias: "partner", Cert: partner}, {Alias: "partner", Cert: other}},
			kept: []string{"partner"}, dropped: []DroppedTrust{{"partner", DropTaken}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := MergeTrust(bundle, tc.home, tc.wrote, isDefault)
			if !slices.Equal(m.Kept, tc.kept) || !slices.Equal(m.Updated, tc.updated) || !slices.Equal(m.Dropped, tc.dropped) {
				t.Errorf("kept %v, updated %v, dropped %v\nwant %v, %v, %v", m.Kept, m.Updated, m.Dropped, tc.kept, tc.updated, tc.dropped)
			}
			if len(m.Entries) != len(bundle)+len(tc.kept) || !slices.EqualFunc(m.Entries[:len(bundle)], bundle, func(a, b keystore.TrustedCert) bool { return a.Alias == b.Alias && a.Cert == b.Cert }) {
				t.Errorf("entries %v: want the bundle's, then the kept", m.Entries)
			}
			for _, e := range m.Entries[len(bundle):] {
				if !e.Kept {
					t.Errorf("%s is not marked kept", e.Alias)
				}
			}
		})
	}
}

// TestHomePrior: a build for a home that holds what an earlier build
// wrote keeps every key store byte for byte, with its password, and the
// vault's ciphertexts; a home key the plan asks another type for is not
// kept.
func TestHomePrior(t *testing.T) {
	topology := strings.Replace(vaultBase, "[environment.dev]\n", "", 1)
	plan := testkit.Plan(t, topology)
	first, err := Build(plan, BuildOptions{Rand: testkit.Rand(1), Now: testkit.Now})
	if err != nil {
		t.Fatal(err)
	}
	env, p := "default", &plan.Environments[0].Products[0]
	stores, err := OpenProductStores(first, env, p.Name)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, f := range first.Files {
		files[f.Path] = f.Data
	}
	vars, err := bundle.ParseSecretsEnv(files["default/secrets.env"])
	if err != nil {
		t.Fatal(err)
	}
	h := HomeState{Dir: "/home", Secrets: parseProperties(files["default/iam/repository/conf/security/cipher-text.properties"]),
		EncryptionKey: vars[gen.EncryptionKeyVar("iam")]}
	for _, s := range stores {
		if s.Manifest.Role == gen.RoleTruststore {
			h.TrustPassword = s.Password
			continue
		}
		k := s.Store.Keys[0]
		h.Keys = append(h.Keys, HomeKey{Role: s.Manifest.Role, Path: s.Path, Type: keystore.Format(s.Manifest.Type), Alias: k.Alias,
			Key: k.Key, Chain: k.Chain, Password: s.Password, KeyPassword: s.Password, Data: files[s.Manifest.Path]})
	}
	plan = testkit.Plan(t, topology) // Reconcile may edit a plan's truststores
	r, err := Reconcile(plan, HomePrior(env, &plan.Environments[0].Products[0], h), testkit.Now)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Build(plan, BuildOptions{Rand: testkit.Rand(2), Now: testkit.Now, Reuse: r})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range again.Files {
		if strings.HasPrefix(f.Path, "default/iam/") && !strings.HasSuffix(f.Path, "client-truststore.p12") && !bytes.Equal(f.Data, files[f.Path]) {
			t.Errorf("%s changed", f.Path)
		}
	}
	// A home's key is kept as it is, even one wso2ks would not make (IS
	// 5.11 to 7.0 also read 16 characters as an AES-128 key).
	short := h
	short.EncryptionKey = "0123456789abcdef"
	plan = testkit.Plan(t, topology)
	if r, err = Reconcile(plan, HomePrior(env, &plan.Environments[0].Products[0], short), testkit.Now); err != nil {
		t.Fatalf("a short home key: %v", err)
	}
	b, err := Build(plan, BuildOptions{Rand: testkit.Rand(2), Now: testkit.Now, Reuse: r})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range b.Files {
		if vars, _ := bundle.ParseSecretsEnv(f.Data); f.Path == "default/secrets.env" && vars[gen.EncryptionKeyVar("iam")] != short.EncryptionKey {
			t.Error("the home's short key was not kept")
		}
	}
	// A JKS store whose key has its own password is written anew, the key kept.
	h.Keys[0].KeyPassword = "another-password"
	plan = testkit.Plan(t, topology)
	r, err = Reconcile(plan, HomePrior(env, &plan.Environments[0].Products[0], h), testkit.Now)
	if err != nil {
		t.Fatal(err)
	}
	if r.Changes[0].Action != ActionKeep {
		t.Errorf("primary: %+v", r.Changes[0])
	}
	b, err = Build(plan, BuildOptions{Rand: testkit.Rand(3), Now: testkit.Now, Reuse: r})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range b.Files {
		if f.Path != "default/iam/"+h.Keys[0].Path {
			continue
		}
		got, err := keystore.Decode(h.Keys[0].Type, f.Data, h.Keys[0].Password)
		if err != nil || bytes.Equal(f.Data, h.Keys[0].Data) || !got.Keys[0].Key.Public().(interface{ Equal(crypto.PublicKey) bool }).Equal(h.Keys[0].Key.Public()) {
			t.Errorf("a store whose key password differs: want its key in new bytes, with its password (%v)", err)
		}
	}
}
