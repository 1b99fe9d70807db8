package deploytoml

import (
	"crypto/x509"
	"slices"
	"testing"

	"github.com/wso2ks/wso2ks/internal/testca"
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
			dropped: []DroppedTrust{{"wso2carbon", dropDefault}}},
		{name: "operator entries", home: []keystore.TrustedCert{{Alias: "partner idp", Cert: partner}, {Alias: "wso2carbon", Cert: wso2}},
			kept: []string{"partner idp"}, dropped: []DroppedTrust{{"wso2carbon", dropDefault}}},
		{name: "the bundle's own entries", home: bundle},
		{name: "an earlier install's entry renewed", home: []keystore.TrustedCert{{Alias: "iam-tls", Cert: oldOurs}}, wrote: wrote,
			updated: []string{"iam-tls"}},
		{name: "an operator's entry under the bundle's alias", home: []keystore.TrustedCert{{Alias: "IAM-TLS", Cert: other}}, wrote: wrote,
			dropped: []DroppedTrust{{"IAM-TLS", dropReplaced}}},
		{name: "a removed peer", home: []keystore.TrustedCert{{Alias: "apim-tls", Cert: removed}, {Alias: "partner", Cert: partner}}, wrote: wrote,
			kept: []string{"partner"}, dropped: []DroppedTrust{{"apim-tls", dropRemoved}}},
		{name: "a removed peer without a record", home: []keystore.TrustedCert{{Alias: "apim-tls", Cert: removed}},
			kept: []string{"apim-tls"}},
		{name: "an operator's entry where a peer was", home: []keystore.TrustedCert{{Alias: "apim-tls", Cert: other}}, wrote: wrote,
			kept: []string{"apim-tls"}},
		{name: "the bundle's certificate under another alias", home: []keystore.TrustedCert{{Alias: "our-tls", Cert: ours}},
			dropped: []DroppedTrust{{"our-tls", dropSame}}},
		{name: "two truststores of the home", home: []keystore.TrustedCert{{Alias: "partner", Cert: partner}, {Alias: "partner", Cert: partner}, {Alias: "partner", Cert: other}},
			kept: []string{"partner"}, dropped: []DroppedTrust{{"partner", dropTaken}}},
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
