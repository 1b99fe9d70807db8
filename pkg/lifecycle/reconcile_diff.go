package lifecycle

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"net"
	"slices"
	"strings"

	"github.com/wso2ks/wso2ks/pkg/gen"
)

// How Reconcile compares an old certificate or truststore with the plan.

// sanDiff lists the planned SANs a certificate lacks and those it has
// that the plan drops, IP addresses compared as addresses.
func sanDiff(c *x509.Certificate, planned []string) (added, removed []string) {
	var have []string
	have = append(have, c.DNSNames...)
	for _, ip := range c.IPAddresses {
		have = append(have, ip.String())
	}
	norm := func(s string) string {
		if ip := net.ParseIP(s); ip != nil {
			return ip.String()
		}
		return strings.ToLower(s)
	}
	want := map[string]bool{}
	for _, s := range planned {
		want[norm(s)] = true
	}
	got := map[string]bool{}
	for _, s := range have {
		got[norm(s)] = true
		if !want[norm(s)] {
			removed = append(removed, s)
		}
	}
	for _, s := range planned {
		if !got[norm(s)] {
			added = append(added, s)
		}
	}
	return added, removed
}

func joinReasons(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// trustChange compares a planned truststore with the old one: aliases
// added and removed, and those whose certificate changes.
func (r *Reconciliation) trustChange(env string, p *gen.Product, s *gen.Store) Change {
	c := Change{Env: env, Product: p.Name, Role: s.Role, Path: s.Path, Action: ActionNew}
	old := r.prior.trust[env+"/"+p.Name+"/"+s.Role]
	if old == nil {
		return c
	}
	was := map[string][]byte{}
	for _, e := range old.entries {
		was[e.Alias] = e.Cert.Raw
	}
	now := map[string]bool{}
	for _, e := range s.Entries {
		now[e.Alias] = true
		raw, ok := was[e.Alias]
		switch {
		case !ok:
			c.Added = append(c.Added, e.Alias)
		case e.KeyID == "" && !bytes.Equal(raw, e.DER):
			c.Changed = append(c.Changed, e.Alias)
		case e.KeyID != "" && !r.keeps(e.KeyID, raw):
			c.Changed = append(c.Changed, e.Alias)
		}
	}
	for _, e := range old.entries {
		if !now[e.Alias] {
			c.Removed = append(c.Removed, e.Alias)
		}
	}
	slices.Sort(c.Removed)
	c.Action = ActionKeep
	if len(c.Added)+len(c.Removed)+len(c.Changed) > 0 {
		c.Action = ActionUpdate
	}
	if old.m.Path != s.Path {
		c.Action, c.Reason = ActionUpdate, "file "+old.m.Path+" → "+s.Path
	}
	return c
}

// keeps reports whether the certificate of key id stays raw.
func (r *Reconciliation) keeps(id string, raw []byte) bool {
	d := r.keys[id]
	switch {
	case d == nil || d.action != ActionKeep:
		return false
	case d.ca != nil:
		return bytes.Equal(d.ca.Cert.Raw, raw)
	}
	return bytes.Equal(d.old.chain[0].Raw, raw)
}

// sameKey reports whether two old stores hold the same key.
func sameKey(a, b *priorStore) bool {
	return a.key.Public().(interface{ Equal(crypto.PublicKey) bool }).Equal(b.key.Public())
}

// trustImported points env's planned truststores at the root of each kept
// imported chain, as 'wso2ks import-cert' left them: the entry that would
// hold the imported leaf ("iam-tls") holds the root as "iam-tls-ca"; a
// truststore without such an entry (under an internal CA, trusted through
// "<env>-ca") gains "<product>-tls-ca"; a truststore that already holds
// the root (a public CA, an extra_trusted root) gains nothing. Without
// this an update would trust the leaf itself and undo the import.
func (r *Reconciliation) trustImported(env *gen.Environment) {
	for pi := range env.Products {
		p := &env.Products[pi]
		ts := p.Store(gen.RoleTruststore)
		if ts == nil {
			continue
		}
		changed := false
		for _, id := range r.importedIn(env) {
			d := r.keys[id]
			root := d.old.chain[len(d.old.chain)-1]
			alias := d.old.m.Product + "-" + gen.RoleTLS + "-ca"
			i := slices.IndexFunc(ts.Entries, func(e gen.TrustEntry) bool { return e.KeyID == id })
			if i >= 0 {
				alias = ts.Entries[i].Alias + "-ca"
				ts.Entries = slices.Delete(ts.Entries, i, i+1)
			}
			if !slices.ContainsFunc(ts.Entries, func(e gen.TrustEntry) bool { return e.KeyID == "" && bytes.Equal(e.DER, root.Raw) }) {
				ts.Entries = append(ts.Entries, gen.TrustEntry{Alias: alias, Source: "import-cert", DER: root.Raw})
			}
			changed = true
		}
		if changed {
			slices.SortStableFunc(ts.Entries, func(a, b gen.TrustEntry) int { return strings.Compare(a.Alias, b.Alias) })
		}
	}
}

// importedIn lists the key ids of env's kept imported certificates, in
// plan order.
func (r *Reconciliation) importedIn(env *gen.Environment) []string {
	var ids []string
	for _, p := range env.Products {
		for _, s := range p.Stores {
			if d := r.keys[s.KeyID]; d != nil && d.imported && !slices.Contains(ids, s.KeyID) {
				ids = append(ids, s.KeyID)
			}
		}
	}
	return ids
}
