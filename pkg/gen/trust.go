package gen

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"
	"sync"

	"golang.org/x/crypto/x509roots/fallback/bundle"
)

// addTrust fills every truststore of env: the product's own certificates,
// every other product's tls and primary certificates (a CA-signed one by its
// CA instead, under <env>-ca), and for APIM its
// primary again as gateway_certificate_alias. Public CAs and extra_trusted
// certificates are already there.
//
// Each of an environment's N truststores lists about 2N certificates, so the
// entries grow with N²: that is the output itself (what plan prints, what
// generate writes), which MaxProducts bounds. Nothing else here does: the
// aliases are made once per store and shared, the seen-set is reused.
func addTrust(env *Environment, c *Config) error {
	aliases := map[*Store]string{}
	for i := range env.Products {
		for j := range env.Products[i].Stores {
			s := &env.Products[i].Stores[j]
			if s.KeyID != "" {
				aliases[s] = certAlias(env.Name, env.Products[i].Name, *s)
			}
		}
	}
	seen := map[string]bool{}
	for i := range env.Products {
		p := &env.Products[i]
		ts := p.Store(RoleTruststore)
		var own []TrustEntry
		clear(seen)
		add := func(alias, keyID string) {
			// A shared tls key is trusted once, under its shared alias.
			if seen[keyID] {
				return
			}
			seen[keyID] = true
			own = append(own, TrustEntry{Alias: alias, KeyID: keyID})
		}
		// A CA-signed certificate is trusted through its CA, once.
		trust := func(s *Store) {
			if s.IssuerKeyID != "" {
				if ext := env.CA.External(); ext != nil {
					// The root, not the signer: an intermediate is in the chain.
					if !seen[s.IssuerKeyID] {
						seen[s.IssuerKeyID] = true
						own = append(own, TrustEntry{Alias: env.CA.Alias, Source: ext.CertFile, DER: ext.Root().Raw})
					}
					return
				}
				add(env.CA.Alias, s.IssuerKeyID)
				return
			}
			add(aliases[s], s.KeyID)
		}
		for j := range p.Stores {
			if p.Stores[j].KeyID != "" {
				trust(&p.Stores[j])
			}
		}
		if p.Kind == APIManager {
			own = append(own, TrustEntry{Alias: GatewayCertificateAlias, KeyID: p.Store(RolePrimary).KeyID})
		}
		for k := range env.Products {
			q := &env.Products[k]
			if q.Name == p.Name {
				continue
			}
			for _, role := range []string{RoleTLS, RolePrimary} {
				trust(q.Store(role))
			}
		}
		entries := slices.Concat(own, ts.Entries)
		slices.SortStableFunc(entries, func(a, b TrustEntry) int { return strings.Compare(a.Alias, b.Alias) })
		for j := 1; j < len(entries); j++ {
			if entries[j].Alias == entries[j-1].Alias {
				return &InputError{File: c.Source, Msg: fmt.Sprintf("environment %q, product %q: two truststore entries would both be named %q; rename the product or the extra_trusted file", env.Name, p.Name, entries[j].Alias)}
			}
		}
		ts.Entries = entries
	}
	return nil
}

// certAlias is the truststore alias of a planned certificate: <product>-<role>,
// or shared-tls for a tls key every product shares.
func certAlias(env, product string, s Store) string {
	if s.KeyID == path.Join(env, SharedTLSOwner, RoleTLS) {
		return SharedTLSOwner + "-" + RoleTLS
	}
	return product + "-" + s.Role
}

var aliasJunk = regexp.MustCompile(`[^a-z0-9]+`)

// slug makes a lower-case alias part of s.
func slug(s string) string {
	return strings.Trim(aliasJunk.ReplaceAllString(strings.ToLower(s), "-"), "-")
}

// extraAlias names the i-th extra_trusted certificate.
func extraAlias(file string, i int) string {
	base := strings.TrimSuffix(path.Base(file), path.Ext(file))
	return fmt.Sprintf("extra-%s-%d", slug(base), i+1)
}

var (
	rootsOnce sync.Once
	roots     []TrustEntry
)

// publicRoots is the public CA bundle: Mozilla's NSS roots as the Go team
// maintains them in golang.org/x/crypto/x509roots/fallback. Roots that carry
// a distrust-after constraint are left out, because a Java truststore cannot
// express the constraint and would trust them without it.
func publicRoots() []TrustEntry {
	rootsOnce.Do(func() {
		taken := map[string]bool{}
		for r := range bundle.Roots() {
			if r.Constraint != nil {
				continue
			}
			c, err := x509.ParseCertificate(r.Certificate)
			if err != nil {
				continue
			}
			name := c.Subject.CommonName
			if name == "" && len(c.Subject.OrganizationalUnit) > 0 {
				name = c.Subject.OrganizationalUnit[0]
			}
			if name == "" && len(c.Subject.Organization) > 0 {
				name = c.Subject.Organization[0]
			}
			alias := "public-" + slug(name)
			if taken[alias] {
				sum := sha256.Sum256(r.Certificate)
				alias += "-" + hex.EncodeToString(sum[:4])
			}
			taken[alias] = true
			roots = append(roots, TrustEntry{Alias: alias, Source: "public CA bundle", DER: r.Certificate})
		}
	})
	return slices.Clone(roots)
}
