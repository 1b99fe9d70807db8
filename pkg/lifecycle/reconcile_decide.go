package lifecycle

import (
	"bytes"
	"crypto/x509"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/certs"
	"github.com/wso2ks/wso2ks/pkg/emit"
	"github.com/wso2ks/wso2ks/pkg/gen"
)

// How Reconcile decides for one CA and one key.

// decideCA keeps an environment's internal CA when the old bundle has one;
// an external CA is the topology's, written again from it.
func (r *Reconciliation) decideCA(env string, ca *gen.CA, now time.Time) error {
	c := Change{Env: env, Role: gen.RoleCA, Path: ca.CertPath, Action: ActionNew}
	if ext := ca.External(); ext != nil {
		if old, ok := r.prior.file(ca.CertPath); ok {
			c.Action = ActionKeep
			if !bytes.Equal(old, emit.ChainPEM(append([]*x509.Certificate{ext.Signer}, ext.Chain[1:]...))) {
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
		if old.Cert.Subject.String() != ca.Subject {
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
	case certs.IsSelfSigned(leaf), r.signedBy(leaf, r.prior.signers[env.Name]), planned != nil && r.signedBy(leaf, planned):
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
	if (planned == nil) != certs.IsSelfSigned(leaf) || (planned != nil && !r.signedBy(leaf, planned)) {
		reasons = append(reasons, "issuer changed")
	}
	if !emit.Usage(s.Role).Fits(leaf) {
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
		return d.ca.Cert
	}
	return &x509.Certificate{} // a new CA: signed nothing
}

func (r *Reconciliation) signedBy(leaf, ca *x509.Certificate) bool {
	return ca != nil && ca.Raw != nil && leaf.CheckSignatureFrom(ca) == nil
}
