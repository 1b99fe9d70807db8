package gen

import (
	"crypto/x509"
	"encoding/pem"
	"os"
	"slices"
	"strings"
	"testing"
)

// testMultiProductExample is TestLoadExamples' "multi-product" case:
// examples/multi-product.toml, planned store by store and entry by entry.
func testMultiProductExample(t *testing.T) {
	cfg := loadExampleTopology(t, "multi-product.toml")
	plan := mustPlan(t, cfg)
	if plan.Topology != "../../examples/multi-product.toml" {
		t.Errorf("Topology = %q", plan.Topology)
	}
	if got := planEnvNames(plan); !slices.Equal(got, []string{"dev", "prod"}) {
		t.Fatalf("environments %q, want [dev prod] (file order)", got)
	}
	pemData, err := os.ReadFile("../../examples/corp-root-ca.pem")
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(pemData)
	corpCA, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}

	for i := range plan.Environments {
		env := &plan.Environments[i]
		var products []string
		keyIDs := map[string]string{} // KeyID → store path
		for _, p := range env.Products {
			products = append(products, p.Name)
			for _, s := range p.Stores {
				if s.KeyID != "" {
					keyIDs[s.KeyID] = s.Path
				}
			}
		}
		if !slices.Equal(products, []string{"iam", "apim", "mi"}) {
			t.Fatalf("%s: products %q, want [iam apim mi]", env.Name, products)
		}
		mode := map[string]string{"dev": "plain", "prod": "env"}[env.Name]

		iam, apim, mi := findProduct(t, env, "iam"), findProduct(t, env, "apim"), findProduct(t, env, "mi")
		for _, c := range []struct {
			p       *Product
			format  string
			profile string
			roles   []string
			wssec   string
		}{
			{iam, "PKCS12", "modern",
				[]string{"primary", "internal", "tls", "wssec", "truststore"}, "keystore.custom"},
			{apim, "JKS", "", []string{"primary", "internal", "tls", "truststore"}, ""},
			{mi, "JKS", "", []string{"primary", "internal", "tls", "truststore"}, ""},
		} {
			p := c.p
			if p.Format != c.format || p.PKCS12 != c.profile {
				t.Errorf("%s: format %s/%q, want %s/%q", p.Dir, p.Format, p.PKCS12, c.format, c.profile)
			}
			if got := storeRoles(p); !slices.Equal(got, c.roles) {
				t.Errorf("%s: roles %q, want %q", p.Dir, got, c.roles)
			}
			if p.WSSecTable != c.wssec {
				t.Errorf("%s: WSSecTable %q, want %q", p.Dir, p.WSSecTable, c.wssec)
			}
			if p.PasswordMode != mode {
				t.Errorf("%s: password mode %q, want %q", p.Dir, p.PasswordMode, mode)
			}
			if p.Dir != env.Name+"/"+p.Name {
				t.Errorf("Dir %q", p.Dir)
			}
			ext := map[string]string{"PKCS12": "p12", "JKS": "jks"}[c.format]
			for _, s := range p.Stores {
				base := s.Role
				if s.Role == RoleTruststore {
					base = "client-truststore"
				}
				if want := base + "." + ext; s.FileName != want {
					t.Errorf("%s %s: FileName %q, want %q", p.Dir, s.Role, s.FileName, want)
				}
				if want := p.Dir + "/repository/resources/security/" + s.FileName; s.Path != want {
					t.Errorf("%s %s: Path %q, want %q", p.Dir, s.Role, s.Path, want)
				}
				if s.Type != c.format {
					t.Errorf("%s %s: Type %q", p.Dir, s.Role, s.Type)
				}
				if want := "WSO2KS_" + strings.ToUpper(p.Name) + "_" + strings.ToUpper(s.Role) + "_PASSWORD"; s.PasswordVar != want {
					t.Errorf("%s %s: PasswordVar %q, want %q", p.Dir, s.Role, s.PasswordVar, want)
				}
				if s.Role == RoleTruststore {
					if s.KeyID != "" || s.Alias != "" {
						t.Errorf("%s truststore has KeyID %q alias %q", p.Dir, s.KeyID, s.Alias)
					}
					continue
				}
				if s.Alias != s.Role {
					t.Errorf("%s %s: alias %q", p.Dir, s.Role, s.Alias)
				}
				if want := env.Name + "/" + p.Name + "/" + s.Role; s.KeyID != want {
					t.Errorf("%s %s: KeyID %q, want %q", p.Dir, s.Role, s.KeyID, want)
				}
				if !slices.Equal(s.SharedBy, p.Instances) {
					t.Errorf("%s %s: SharedBy %q, want the instances %q", p.Dir, s.Role, s.SharedBy, p.Instances)
				}
				if want := "CN=" + p.Hostnames[0] + ",OU=Platform,O=Example Corp,L=Colombo,ST=Western,C=LK"; s.Subject != want {
					t.Errorf("%s %s: subject %q, want %q", p.Dir, s.Role, s.Subject, want)
				}
				wantKey, wantDays := "rsa-2048", 825
				switch {
				case s.Role == RoleTLS && p.Name == "apim":
					wantKey, wantDays = "ecdsa-p256", 397
				case s.Role == RoleTLS:
					wantDays = 397
				}
				if s.Key != wantKey || s.ValidityDays != wantDays {
					t.Errorf("%s %s: key %s for %d days, want %s for %d", p.Dir, s.Role, s.Key, s.ValidityDays, wantKey, wantDays)
				}
				if s.Role != RoleTLS && s.SANs != nil {
					t.Errorf("%s %s: SANs %q on a non-tls store", p.Dir, s.Role, s.SANs)
				}
			}
		}
		if v := mustStore(t, iam, RoleTLS).PasswordVar; v != "WSO2KS_IAM_TLS_PASSWORD" {
			t.Errorf("iam tls PasswordVar %q", v)
		}
		if v := mustStore(t, apim, RoleTruststore).PasswordVar; v != "WSO2KS_APIM_TRUSTSTORE_PASSWORD" {
			t.Errorf("apim truststore PasswordVar %q", v)
		}

		// tls SANs: hostnames, instances, localhost, with ${env} expanded.
		n := env.Name
		for p, want := range map[*Product][]string{
			iam:  {"iam." + n + ".example.com", "iam-0.iam." + n + ".svc", "iam-1.iam." + n + ".svc", "localhost"},
			apim: {"api." + n + ".example.com", "gw." + n + ".example.com", "apim-0.apim." + n + ".svc", "apim-1.apim." + n + ".svc", "localhost"},
			mi:   {"mi." + n + ".example.com", "mi-0.mi." + n + ".svc", "localhost"},
		} {
			if got := mustStore(t, p, RoleTLS).SANs; !slices.Equal(got, want) {
				t.Errorf("%s tls SANs %q, want %q", p.Dir, got, want)
			}
		}

		// Truststores: own certificates, every peer's tls and primary,
		// APIM's gateway alias, the corporate CA; public CAs in prod only.
		wantOwn := map[*Product][]string{
			iam:  {"apim-primary", "apim-tls", "extra-corp-root-ca-1", "iam-internal", "iam-primary", "iam-tls", "iam-wssec", "mi-primary", "mi-tls"},
			apim: {"apim-internal", "apim-primary", "apim-tls", "extra-corp-root-ca-1", "gateway_certificate_alias", "iam-primary", "iam-tls", "mi-primary", "mi-tls"},
			mi:   {"apim-primary", "apim-tls", "extra-corp-root-ca-1", "iam-primary", "iam-tls", "mi-internal", "mi-primary", "mi-tls"},
		}
		for p, want := range wantOwn {
			ts := mustStore(t, p, RoleTruststore)
			if got := nonPublicAliases(ts); !slices.Equal(got, want) {
				t.Errorf("%s truststore entries %q, want %q", p.Dir, got, want)
			}
			if got := entryAliases(ts); !slices.IsSorted(got) {
				t.Errorf("%s truststore aliases not sorted: %q", p.Dir, got)
			}
			switch pub := countPublicCAs(ts); {
			case env.Name == "dev" && pub != 0:
				t.Errorf("%s: %d public CAs with public_cas = false", p.Dir, pub)
			case env.Name == "prod" && pub <= 100:
				t.Errorf("%s: only %d public CAs", p.Dir, pub)
			}
			for _, e := range ts.Entries {
				switch {
				case e.KeyID != "":
					if _, ok := keyIDs[e.KeyID]; !ok {
						t.Errorf("%s entry %s: KeyID %q names no store of %s", p.Dir, e.Alias, e.KeyID, env.Name)
					}
					if e.DER != nil || e.Source != "" {
						t.Errorf("%s entry %s has both a KeyID and bytes", p.Dir, e.Alias)
					}
				case e.Alias == "extra-corp-root-ca-1":
					if e.Source != "corp-root-ca.pem" || !slices.Equal(e.DER, corpCA.Raw) {
						t.Errorf("%s entry %s: source %q, %d bytes; want the corporate CA", p.Dir, e.Alias, e.Source, len(e.DER))
					}
				case strings.HasPrefix(e.Alias, "public-"):
					if e.Source != "public CA bundle" || len(e.DER) == 0 {
						t.Errorf("%s entry %s: source %q, %d bytes", p.Dir, e.Alias, e.Source, len(e.DER))
					}
				default:
					t.Errorf("%s entry %s: neither a KeyID nor a known source", p.Dir, e.Alias)
				}
			}
		}
		// Key IDs: each entry names the store of the certificate it trusts.
		keyOf := func(p *Product, alias string) string {
			for _, e := range mustStore(t, p, RoleTruststore).Entries {
				if e.Alias == alias {
					return e.KeyID
				}
			}
			return ""
		}
		for _, c := range []struct {
			in    *Product
			alias string
			want  string
		}{
			{iam, "iam-tls", n + "/iam/tls"},
			{iam, "iam-wssec", n + "/iam/wssec"},
			{iam, "apim-tls", n + "/apim/tls"},
			{mi, "iam-primary", n + "/iam/primary"},
			{apim, "gateway_certificate_alias", n + "/apim/primary"},
			{apim, "apim-primary", n + "/apim/primary"},
			{apim, "mi-tls", n + "/mi/tls"},
		} {
			if got := keyOf(c.in, c.alias); got != c.want {
				t.Errorf("%s truststore %s: KeyID %q, want %q", c.in.Dir, c.alias, got, c.want)
			}
		}
		if got, want := mustStore(t, apim, RolePrimary).KeyID, keyOf(iam, "apim-primary"); got != want {
			t.Errorf("apim primary KeyID %q, trusted by iam as %q", got, want)
		}
	}
	// Keys are per environment.
	dev, prod := findProduct(t, &plan.Environments[0], "iam"), findProduct(t, &plan.Environments[1], "iam")
	if mustStore(t, dev, RoleTLS).KeyID == mustStore(t, prod, RoleTLS).KeyID {
		t.Errorf("dev and prod share the iam tls key")
	}
}
