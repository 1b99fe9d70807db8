package emit

import (
	"bytes"
	"slices"
	"strings"

	"github.com/wso2ks/wso2ks/pkg/gen"
)

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
