package emit

import (
	"bytes"
	"crypto/x509"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/wso2ks/wso2ks/pkg/bundle"
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
}

// decision is what happens to one planned key.
type decision struct {
	action string
	reason string
	old    *priorStore // the key kept (keep, reissue)
	ca     *priorCA    // a CA kept
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
	r := &Reconciliation{prior: prior, keys: map[string]*decision{}, encKeys: map[string]string{}}
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
	return r, nil
}

// decideCA keeps an environment's internal CA when the old bundle has one;
// an external CA is the topology's, written again from it.
func (r *Reconciliation) decideCA(env string, ca *gen.CA, now time.Time) error {
	c := Change{Env: env, Role: gen.RoleCA, Path: ca.CertPath, Action: ActionNew}
	if ext := ca.External(); ext != nil {
		if old, ok := r.prior.file(ca.CertPath); ok {
			c.Action = ActionKeep
			if !bytes.Equal(old, chainPEM(append([]*x509.Certificate{ext.Signer}, ext.Chain[1:]...))) {
				c.Action, c.Reason = ActionUpdate, "the topology's ca_cert changed"
			}
		}
		if r.prior.cas[env] != nil {
			// The bundle's internal CA goes with its key: list it, so
			// that the update says so ('generate --update' needs --prune).
			r.Changes = append(r.Changes, c)
			_, key := caFiles(env)
			c = Change{Env: env, Role: gen.RoleCA, Path: key, Action: ActionRemove, Reason: "the external CA replaces the internal one"}
		}
	} else if old := r.prior.cas[env]; old != nil {
		if err := r.prior.checkCAUsable(env, now); err != nil {
			return err
		}
		r.keys[ca.KeyID] = &decision{action: ActionKeep, ca: old}
		c.Action = ActionKeep
		if old.cert.Subject.String() != ca.Subject {
			// Trust continuity wins: clients trust this certificate.
			c.Reason = "kept although [subject] changed; remove " + filepath.Join(r.prior.Dir, env, gen.CADir) + " for a CA with the new subject"
		}
	}
	r.Changes = append(r.Changes, c)
	return nil
}

// decideKey compares the old store of p's role with what s plans.
func (r *Reconciliation) decideKey(env *gen.Environment, p *gen.Product, s *gen.Store, now time.Time) (*decision, error) {
	old := r.prior.keys[env.Name+"/"+p.Name+"/"+s.Role]
	if old == nil {
		return &decision{action: ActionNew}, nil
	}
	if old.m.Key != s.Key {
		return &decision{action: ActionNewKey, reason: "key " + old.m.Key + " → " + s.Key}, nil
	}
	leaf := old.chain[0]
	added, removed := sanDiff(leaf, s.SANs)
	var sans string
	if len(added)+len(removed) > 0 {
		sans = "SANs"
		for _, a := range added {
			sans += " +" + a
		}
		for _, a := range removed {
			sans += " -" + a
		}
	}
	planned := r.signer(env, s) // nil: self-signed
	switch {
	case selfSigned(leaf), r.signedBy(leaf, r.prior.signers[env.Name]), planned != nil && r.signedBy(leaf, planned):
	default:
		// Installed by 'wso2ks import-cert' (or, in a home, by whoever
		// made the store): only its CA can sign anew.
		switch {
		case sans != "" && !r.prior.home:
			return nil, bundle.Errorf("%s: its certificate was signed by %s, not by wso2ks, and its %s; run 'wso2ks csr' and 'wso2ks import-cert' again for the new names",
				r.prior.where(old), leaf.Issuer, strings.Replace(sans, "SANs", "SANs must change:", 1))
		case sans != "" && s.Role == gen.RoleTLS:
			// A home's primary or internal certificate names no host: only
			// tls must cover the planned names.
			return nil, &gen.InputError{File: r.prior.where(old), Msg: fmt.Sprintf("the home's %s certificate was signed by %s, not by wso2ks, and its %s; generate a bundle, have the CA sign a request for the new names ('wso2ks csr', 'wso2ks import-cert') and install it with --bundle, or pass --replace-keys for a new self-signed key",
				s.Role, leaf.Issuer, strings.Replace(sans, "SANs", "SANs must change:", 1))}
		}
		return &decision{action: ActionKeep, reason: "imported certificate", old: old, imported: true}, nil
	}
	var reasons []string
	if leaf.Subject.String() != s.Name().String() {
		reasons = append(reasons, "subject changed")
	}
	if sans != "" {
		reasons = append(reasons, sans)
	}
	if (planned == nil) != selfSigned(leaf) || (planned != nil && !r.signedBy(leaf, planned)) {
		reasons = append(reasons, "issuer changed")
	}
	if !usage(s.Role).Fits(leaf) {
		reasons = append(reasons, "usage changed")
	}
	if days := int(leaf.NotAfter.Sub(leaf.NotBefore).Round(24*time.Hour) / (24 * time.Hour)); days != s.ValidityDays {
		reasons = append(reasons, fmt.Sprintf("validity %d → %d days", days, s.ValidityDays))
	}
	if !now.Before(leaf.NotAfter) {
		reasons = append(reasons, "expired")
	}
	if len(reasons) == 0 {
		return &decision{action: ActionKeep, old: old}, nil
	}
	return &decision{action: ActionReissue, reason: strings.Join(reasons, "; "), old: old}, nil
}

// signer is the certificate that signs s under the plan: an external CA's
// signer, the kept internal CA, or nil for self-signed (and for a new
// internal CA, which signed nothing yet).
func (r *Reconciliation) signer(env *gen.Environment, s *gen.Store) *x509.Certificate {
	if s.IssuerKeyID == "" || env.CA == nil {
		return nil
	}
	if ext := env.CA.External(); ext != nil {
		return ext.Signer
	}
	if d := r.keys[s.IssuerKeyID]; d != nil && d.ca != nil {
		return d.ca.cert
	}
	return &x509.Certificate{} // a new CA: signed nothing
}

func (r *Reconciliation) signedBy(leaf, ca *x509.Certificate) bool {
	return ca != nil && ca.Raw != nil && leaf.CheckSignatureFrom(ca) == nil
}
