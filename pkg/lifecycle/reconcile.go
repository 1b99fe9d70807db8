package lifecycle

import (
	"time"

	"github.com/wso2ks/wso2ks/pkg/emit"
	"github.com/wso2ks/wso2ks/pkg/gen"
)

// What an update does to a store (Change.Action).
const (
	ActionKeep    = "keep"    // the same key and certificate
	ActionNew     = "new"     // a store the bundle did not have: a new key
	ActionNewKey  = "new-key" // the key type changed: a new key
	ActionReissue = "reissue" // the same key, a new certificate
	ActionUpdate  = "update"  // a truststore whose entries change
	ActionRemove  = "remove"  // a store the plan no longer has
)

// Change is what 'generate --update' does to one store (or CA) of a
// bundle, and why. 'plan --against' prints the same list.
type Change struct {
	Env     string `json:"env"`
	Product string `json:"product,omitempty"`
	Role    string `json:"role"`
	Path    string `json:"path"`
	Action  string `json:"action"`
	Reason  string `json:"reason,omitempty"`
	// Added and Removed are a truststore's aliases that come and go;
	// Changed those whose certificate is replaced.
	Added   []string `json:"added,omitempty"`
	Removed []string `json:"removed,omitempty"`
	Changed []string `json:"changed,omitempty"`
}

// Reconciliation is the one decision, per planned key, of what an existing
// bundle keeps: Build follows it and 'plan --against' prints it, so the two
// cannot disagree.
type Reconciliation struct {
	Changes []Change
	prior   *Prior
	keys    map[string]*decision // by KeyID
	// encKeys are the encryption keys kept, by product directory.
	encKeys map[string]string
	reuse   *emit.Reuse
}

// decision is what happens to one planned key.
type decision struct {
	action string
	reason string
	old    *priorStore  // the key kept (keep, reissue)
	ca     *emit.KeptCA // a CA kept
	// imported keeps the old chain whole: a certificate another CA signed.
	imported bool
}

// Reconcile decides, for every key plan needs, whether the bundle prior
// read keeps it (with or without a new certificate) or makes a new one, and
// lists what changes, including the stores and CAs the plan drops. A
// certificate another CA signed whose SANs must change is an error: only
// that CA can sign the new one; while it is kept, plan's truststores trust
// its root as import-cert made them (trustImported), so Build, which
// follows plan, writes them so.
func Reconcile(plan *gen.Plan, prior *Prior, now time.Time) (*Reconciliation, error) {
	r := &Reconciliation{Changes: []Change{}, prior: prior, keys: map[string]*decision{}, encKeys: map[string]string{}}
	planned := map[string]bool{}
	for _, env := range plan.Environments {
		if ca := env.CA; ca != nil {
			planned[env.Name+"/"+gen.RoleCA] = true
			if err := r.decideCA(env.Name, ca, now); err != nil {
				return nil, err
			}
		}
		// Every key first: a truststore holds the other products' too.
		for pi := range env.Products {
			p := &env.Products[pi]
			for si := range p.Stores {
				s := &p.Stores[si]
				if s.KeyID == "" || r.keys[s.KeyID] != nil {
					continue
				}
				d, err := r.decideKey(&env, p, s, now)
				if err != nil {
					return nil, err
				}
				r.keys[s.KeyID] = d
			}
		}
		r.trustImported(&env)
		for pi := range env.Products {
			p := &env.Products[pi]
			for si := range p.Stores {
				s := &p.Stores[si]
				planned[env.Name+"/"+p.Name+"/"+s.Role] = true
				if s.Role == gen.RoleTruststore {
					continue
				}
				d := r.keys[s.KeyID]
				c := Change{Env: env.Name, Product: p.Name, Role: s.Role, Path: s.Path, Action: d.action, Reason: d.reason}
				old := prior.keys[env.Name+"/"+p.Name+"/"+s.Role]
				switch {
				case d.old != nil && old == nil:
					// A store the bundle lacked, with a key another product's store holds.
					c.Action, c.Reason = ActionNew, "shared with "+d.old.m.Product
				case d.old != nil && old != d.old && !sameKey(old, d.old):
					// A store that now shares another product's key ([tls] shared).
					c.Action, c.Reason = ActionNewKey, "shared with "+d.old.m.Product
				}
				if old != nil && old.m.Path != s.Path {
					c.Reason = joinReasons(c.Reason, "file "+old.m.Path+" → "+s.Path)
				}
				r.Changes = append(r.Changes, c)
			}
			r.Changes = append(r.Changes, r.trustChange(env.Name, p, p.Store(gen.RoleTruststore)))
			c, err := r.decideEncryption(env.Name, p)
			if err != nil {
				return nil, err
			}
			if c != nil {
				r.Changes = append(r.Changes, *c)
				planned[env.Name+"/"+p.Name+"/"+RoleEncryptionKey] = true
			}
		}
	}
	for _, ca := range prior.manifest.CAs {
		if !planned[ca.Env+"/"+gen.RoleCA] {
			r.Changes = append(r.Changes, Change{Env: ca.Env, Role: gen.RoleCA, Path: ca.Path, Action: ActionRemove})
		}
	}
	for _, s := range prior.manifest.Stores {
		if !planned[s.Env+"/"+s.Product+"/"+s.Role] {
			r.Changes = append(r.Changes, Change{Env: s.Env, Product: s.Product, Role: s.Role, Path: s.Path, Action: ActionRemove})
		}
	}
	r.Changes = append(r.Changes, r.droppedKeys(planned)...)
	r.reuse = r.kept()
	return r, nil
}

// Reuse is what Build keeps of the old bundle or home, as r decides: nil
// for a nil r, which keeps nothing.
func (r *Reconciliation) Reuse() *emit.Reuse {
	if r == nil {
		return nil
	}
	return r.reuse
}

// kept turns r's decisions, and the old stores they were made on, into
// what Build keeps (emit.Reuse): the keys kept or reissued, the internal
// CAs kept, every old store with its password and bytes, the old
// secrets.env values, the vault's ciphertexts and the encryption keys kept.
func (r *Reconciliation) kept() *emit.Reuse {
	pr := r.prior
	u := &emit.Reuse{Dir: pr.Dir, Keys: map[string]*emit.KeptKey{}, CAs: map[string]*emit.KeptCA{}, Stores: map[string]*emit.OldStore{},
		Secrets: pr.secrets, Vault: pr.vault, EncryptionKeys: r.encKeys}
	for id, d := range r.keys {
		switch {
		case d.ca != nil:
			u.CAs[id] = d.ca
		case d.old != nil:
			u.Keys[id] = &emit.KeptKey{Key: d.old.key, Chain: d.old.chain, Reissue: d.action == ActionReissue, Imported: d.imported}
		}
	}
	for k, s := range pr.keys {
		u.Stores[k] = &emit.OldStore{Path: s.m.Path, Type: s.m.Type, Alias: s.m.Alias, Password: s.password, Profile: s.profile,
			Data: s.data, Key: s.key, Chain: s.chain}
	}
	for k, s := range pr.trust {
		u.Stores[k] = &emit.OldStore{Path: s.m.Path, Type: s.m.Type, Alias: s.m.Alias, Password: s.password, Profile: s.profile,
			Data: s.data, Entries: s.entries}
	}
	return u
}
