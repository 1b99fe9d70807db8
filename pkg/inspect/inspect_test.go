package inspect

import (
	"bytes"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/wso2ks/wso2ks/docs/schemas"
	"github.com/wso2ks/wso2ks/internal/testca"
	"github.com/wso2ks/wso2ks/pkg/keystore"
	"github.com/wso2ks/wso2ks/pkg/verify"
	"golang.org/x/crypto/x509roots/fallback/bundle"
)

var testNow = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

const password = "Inspect-pass-1"

// fixture is a key store and a truststore in both formats: a tls key whose chain is an
// issuing CA, and a truststore of that CA and one public root.
type fixture struct {
	ca     *testca.CA
	leaf   *x509.Certificate
	public *x509.Certificate
	stores map[string][]byte // "<format>/<key|trust>"
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	fx := &fixture{ca: testca.New(t, testNow, "Inspect"), stores: map[string][]byte{}}
	key := testca.Key(t)
	fx.leaf = fx.ca.Leaf(t, key.Public(), pkix.Name{CommonName: "iam.example.com"}, []string{"iam.example.com", "10.0.0.1"}, testNow)
	for r := range bundle.Roots() {
		c, err := x509.ParseCertificate(r.Certificate)
		if err != nil {
			t.Fatal(err)
		}
		fx.public = c
		break
	}
	enc := keystore.Encoder{Rand: testca.Rand(1), Created: testNow}
	for _, f := range []keystore.Format{keystore.JKS, keystore.PKCS12} {
		ks, err := enc.EncodeKeyStore(f, keystore.Modern, keystore.KeyEntry{Alias: "tls", Key: key, Chain: []*x509.Certificate{fx.leaf, fx.ca.Int}}, password)
		if err != nil {
			t.Fatal(err)
		}
		ts, err := enc.EncodeTrustStore(f, keystore.Modern, []keystore.TrustedCert{{Alias: "dev-ca", Cert: fx.ca.Root}, {Alias: "public-x", Cert: fx.public}}, password)
		if err != nil {
			t.Fatal(err)
		}
		fx.stores[string(f)+"/key"], fx.stores[string(f)+"/trust"] = ks, ts
	}
	return fx
}

// TestDescribe: with its password a store is verified and every field of its certificates is
// shown; without it, or with a wrong one, what the store shows without it, marked unverified.
func TestDescribe(t *testing.T) {
	fx := newFixture(t)
	for _, tc := range []struct {
		name, store, password string
		verified              bool
		entries               string // alias:kind:chain length:has certificate
		note                  string
	}{
		{"jks key", "JKS/key", password, true, "tls:key:2:true", ""},
		{"jks trust", "JKS/trust", password, true, "dev-ca:trusted:1:true public-x:trusted:1:true", ""},
		{"p12 key", "PKCS12/key", password, true, "tls:key:2:true", ""},
		{"p12 trust", "PKCS12/trust", password, true, "dev-ca:trusted:1:true public-x:trusted:1:true", ""},
		{"jks key, no password", "JKS/key", "", false, "tls:key:2:true", "integrity not verified: its password is unknown (give it)"},
		{"jks key, wrong password", "JKS/key", "Wrong-pass-1", false, "tls:key:2:true",
			"integrity not verified: it does not open with the configured password (store password is incorrect, or the store was tampered with)"},
		{"p12 key, no password", "PKCS12/key", "", false, "tls:key:0:false",
			"integrity not verified: its password is unknown (give it); PKCS#12 encrypts 1 of its parts with the password: their entries and certificates cannot be shown without it"},
		{"p12 trust, no password", "PKCS12/trust", "", false, "",
			"integrity not verified: its password is unknown (give it); PKCS#12 encrypts 1 of its parts with the password: their entries and certificates cannot be shown without it"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			format := keystore.Format(strings.Split(tc.store, "/")[0])
			s, err := Describe(Source{Path: "x", Type: format, Data: fx.stores[tc.store], Password: tc.password, Problem: "give it"}, testNow)
			if err != nil {
				t.Fatal(err)
			}
			var entries []string
			for _, e := range s.Entries {
				entries = append(entries, fmt.Sprintf("%s:%s:%d:%v", e.Alias, e.Kind, e.ChainLength, e.Certificate != nil))
			}
			got := strings.Join(entries, " ")
			if s.Verified != tc.verified || got != tc.entries || s.Note != tc.note {
				t.Errorf("verified %v, entries %q, note %q\nwant %v, %q, %q", s.Verified, got, s.Note, tc.verified, tc.entries, tc.note)
			}
			if format == keystore.JKS && s.Entries[0].Created != "2026-11-27T09:00:00Z" {
				t.Errorf("created %q", s.Entries[0].Created)
			}
		})
	}
	s, _ := Describe(Source{Type: keystore.JKS, Data: fx.stores["JKS/key"], Password: password}, testNow)
	c := s.Entries[0].Certificate
	want := Certificate{Subject: fx.leaf.Subject.String(), Issuer: "CN=Inspect Issuing CA,O=Test CA", Key: "EC P-256",
		SANs: []string{"iam.example.com", "10.0.0.1"}, KeyUsage: []string{"digitalSignature", "keyEncipherment"}, ExtKeyUsage: []string{"serverAuth", "clientAuth"},
		Serial: fx.leaf.SerialNumber.Text(16), NotBefore: fx.leaf.NotBefore.Format(time.RFC3339), NotAfter: fx.leaf.NotAfter.Format(time.RFC3339),
		DaysLeft: int(fx.leaf.NotAfter.Sub(testNow).Hours() / 24)}
	c.SHA256, c.notAfter = "", time.Time{}
	if got, _ := json.Marshal(c); !bytes.Equal(got, mustJSON(want)) {
		t.Errorf("certificate\n%s\nwant\n%s", got, mustJSON(want))
	}
	if _, err := Describe(Source{Type: keystore.PKCS12, Data: []byte("nope")}, testNow); !errors.Is(err, ErrNotStore) {
		t.Errorf("not a store: %v", err)
	}
	if s, err := Describe(Source{Type: keystore.JKS, Problem: "the file does not exist"}, testNow); err != nil || s.Note != "the file does not exist" || len(s.Entries) != 0 {
		t.Errorf("no data: %+v, %v", s, err)
	}
}

func mustJSON(v any) []byte {
	data, _ := json.Marshal(v)
	return data
}

// TestReport: public CAs fold into one line unless All; --expiring keeps the entries due and
// the stores that have one; --sort expiry orders entries and stores by the soonest expiry.
func TestReport(t *testing.T) {
	at := func(days int) *Certificate {
		n := testNow.AddDate(0, 0, days)
		return &Certificate{NotAfter: n.Format(time.RFC3339), notAfter: n, DaysLeft: days}
	}
	stores := []Store{
		{Path: "a", Entries: []Entry{{Alias: "late", Certificate: at(400)}, {Alias: "soon", Certificate: at(10)}, {Alias: "hidden"}}},
		{Path: "b", Entries: []Entry{{Alias: "gone", Certificate: at(-2)}, {Alias: "pub1", PublicCA: true, Certificate: at(900)}, {Alias: "pub2", PublicCA: true, Certificate: at(5)}}},
	}
	list := func(r *Report) string {
		var out []string
		for _, s := range r.Stores {
			var aliases []string
			for _, e := range s.Entries {
				aliases = append(aliases, e.Alias)
			}
			item := s.Path + ":" + strings.Join(aliases, ",")
			if s.PublicCAs != nil {
				item += fmt.Sprintf("+%d@%s", s.PublicCAs.Count, s.PublicCAs.EarliestAlias)
			}
			out = append(out, item)
		}
		return strings.Join(out, " ")
	}
	given := list(&Report{Stores: stores})
	for _, tc := range []struct {
		name                    string
		o                       Options
		want                    string
		entries, expiring, gone int
	}{
		{"as found", Options{}, "a:late,soon,hidden b:gone+2@pub2", 4, 0, 1},
		{"all", Options{All: true}, "a:late,soon,hidden b:gone,pub1,pub2", 6, 0, 1},
		{"expiry", Options{SortExpiry: true}, "b:gone+2@pub2 a:soon,late,hidden", 4, 0, 1},
		{"all sorted", Options{All: true, SortExpiry: true}, "b:gone,pub2,pub1 a:soon,late,hidden", 6, 0, 1},
		{"expiring", Options{Expiring: 30 * 24 * time.Hour}, "a:soon b:gone", 2, 1, 1},
		{"expiring all sorted", Options{Expiring: 30 * 24 * time.Hour, All: true, SortExpiry: true}, "b:gone,pub2 a:soon", 3, 2, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.o.Now = testNow
			r := NewReport(stores, tc.o)
			if got := list(r); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
			if r.Summary.Entries != tc.entries || r.Summary.Expiring != tc.expiring || r.Summary.Expired != tc.gone {
				t.Errorf("summary %+v", r.Summary)
			}
			if got := list(&Report{Stores: stores}); got != given {
				t.Errorf("NewReport changed the stores it was given: %s, was %s", got, given)
			}
		})
	}
	if len(stores[0].Entries) != 3 || len(stores[1].Entries) != 3 {
		t.Error("NewReport changed the stores it was given")
	}
}

// TestPrometheus: label values escaped as the exposition format wants, one series per
// certificate, a repeated series written once.
func TestPrometheus(t *testing.T) {
	n := time.Unix(1800000000, 0)
	s := Store{Env: "dev", Product: "iam", Roles: []string{"tls"}, Path: `C:\ks\tls.p12`, Verified: true,
		Entries: []Entry{{Alias: "tls", Certificate: &Certificate{Serial: "1f", Subject: "CN=a \"b\"\nc", notAfter: n}}, {Alias: "hidden"}}}
	var b bytes.Buffer
	WritePrometheus(&b, &Report{Stores: []Store{s, s}})
	want := `# HELP wso2ks_certificate_not_after_seconds When the certificate of a key store entry expires (its notAfter), in seconds since 1970.
# TYPE wso2ks_certificate_not_after_seconds gauge
wso2ks_certificate_not_after_seconds{env="dev",product="iam",role="tls",path="C:\\ks\\tls.p12",alias="tls",serial="1f",subject="CN=a \"b\"\nc"} 1800000000
# HELP wso2ks_store_verified 1 when the store opened with its password (its integrity checked), 0 when not.
# TYPE wso2ks_store_verified gauge
wso2ks_store_verified{env="dev",product="iam",role="tls",path="C:\\ks\\tls.p12"} 1
`
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

// TestSchema: a report of every kind of store matches docs/schemas/inspect.json, and the checker refuses
// what the schema forbids.
func TestSchema(t *testing.T) {
	fx := newFixture(t)
	var stores []Store
	for name, data := range fx.stores {
		for _, pw := range []string{password, ""} {
			s, err := Describe(Source{Target: "t", Roles: []string{"tls"}, Path: name, Type: keystore.Format(strings.Split(name, "/")[0]), Data: data, Password: pw}, testNow)
			if err != nil {
				t.Fatal(err)
			}
			stores = append(stores, s)
		}
	}
	for _, o := range []Options{{Now: testNow}, {Now: testNow, All: true, Expiring: 24 * time.Hour * 3650}} {
		data, err := json.Marshal(NewReport(stores, o))
		if err != nil {
			t.Fatal(err)
		}
		if err := verify.ValidateSchema(schemas.Inspect, data); err != nil {
			t.Errorf("%+v: %v", o, err)
		}
	}
	for _, bad := range []string{
		`{"now": "2026-11-27T09:00:00Z", "stores": [], "summary": {"stores": 0, "entries": 0, "expiring": 0}}`,
		`{"now": "2026-11-27T09:00:00Z", "stores": [{"target": "t", "path": "p", "type": "JKS", "verified": "yes", "entries": []}], "summary": {"stores": 0, "entries": 0, "expiring": 0, "expired": 0}}`,
		`{"now": "2026-11-27T09:00:00Z", "stores": [{"target": "t", "path": "p", "type": "JKS", "verified": true, "entries": [], "password": "x"}], "summary": {"stores": 0, "entries": 0, "expiring": 0, "expired": 0}}`,
		`{"now": "2026-11-27T09:00:00Z", "stores": [{"target": "t", "path": "p", "type": "JKS", "verified": true, "entries": [{"alias": "a", "kind": "secret", "chain_length": 0}]}], "summary": {"stores": 0, "entries": 0, "expiring": 0, "expired": 0}}`,
	} {
		if verify.ValidateSchema(schemas.Inspect, []byte(bad)) == nil {
			t.Errorf("accepted %s", bad)
		}
	}
}

// TestSummaryLine: the window in days, singular for --within 1d.
func TestSummaryLine(t *testing.T) {
	for _, tc := range []struct {
		name string
		r    Report
		want string
	}{
		{"no window", Report{Summary: Summary{Stores: 1, Entries: 1}}, "1 store, 1 entry"},
		{"1 day, none", Report{ExpiringWithinDays: 1}, "nothing expires within 1 day"},
		{"1 day", Report{ExpiringWithinDays: 1, Summary: Summary{Stores: 1, Entries: 1, Expiring: 1}}, "1 store, 1 entry expiring within 1 day"},
		{"30 days", Report{ExpiringWithinDays: 30, Summary: Summary{Stores: 2, Entries: 3, Expiring: 2, Expired: 1}}, "2 stores, 3 entries expiring within 30 days; 1 expired"},
		{"30 days, none", Report{ExpiringWithinDays: 30}, "nothing expires within 30 days"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := summaryLine(&tc.r); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
