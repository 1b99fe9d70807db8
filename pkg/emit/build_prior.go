package emit

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"slices"

	"github.com/wso2ks/wso2ks/pkg/gen"
	"github.com/wso2ks/wso2ks/pkg/keystore"
)

// What Build takes from an existing bundle (BuildOptions.Reuse): a file
// whose content would not change keeps its exact old bytes, so that an
// update rewrites only what the topology changed. Every method is safe on
// a nil Reconciliation: nothing is kept.

// decision is the reconciliation's decision for key id, or nil.
func (r *Reconciliation) decision(id string) *decision {
	if r == nil {
		return nil
	}
	return r.keys[id]
}

// password is the old password of s, from its environment's secrets.env.
func (r *Reconciliation) password(s *gen.Store) (string, bool) {
	if r == nil {
		return "", false
	}
	return r.prior.password(envOf(s.Path), s.PasswordVar)
}

// keptCA is the old internal CA Build writes again, or nil.
func (b *builder) keptCA(ca *gen.CA) *priorCA {
	if d := b.opt.Reuse.decision(ca.KeyID); d != nil {
		return d.ca
	}
	return nil
}

// unchanged returns the old bytes of store s when they hold what data
// holds: for a key store the same alias, key and chain, for a truststore
// the same entries, and the same format, profile and password. Otherwise
// it returns data.
func (b *builder) unchanged(env string, p *gen.Product, s *gen.Store, password string, data []byte) []byte {
	r := b.opt.Reuse
	if r == nil {
		return data
	}
	key := env + "/" + p.Name + "/" + s.Role
	profile := keystore.Profile(p.PKCS12)
	if s.Role == gen.RoleTruststore {
		old := r.prior.trust[key]
		if old == nil || old.m.Path != s.Path || old.m.Type != s.Type || old.password != password ||
			(keystore.Format(s.Type) == keystore.PKCS12 && old.profile != profile) || len(old.entries) != len(s.Entries) {
			return data
		}
		was := map[string][]byte{}
		for _, e := range old.entries {
			was[e.Alias] = e.Cert.Raw
		}
		for _, e := range s.Entries {
			raw := e.DER
			if e.KeyID != "" {
				raw = b.mats[e.KeyID].cert.Raw
			}
			if !bytes.Equal(was[e.Alias], raw) {
				return data
			}
		}
		return old.data
	}
	old := r.prior.keys[key]
	if old == nil || old.data == nil || old.m.Path != s.Path || old.m.Type != s.Type || old.m.Alias != s.Alias || old.password != password ||
		(keystore.Format(s.Type) == keystore.PKCS12 && old.profile != profile) {
		return data
	}
	m := b.mats[s.KeyID]
	if !m.key.Public().(interface{ Equal(crypto.PublicKey) bool }).Equal(old.key.Public()) {
		return data
	}
	chain := m.chain
	if chain == nil {
		chain = []*x509.Certificate{m.cert}
		if s.IssuerKeyID != "" {
			ca := b.mats[s.IssuerKeyID]
			chain = append(append(chain, ca.cert), ca.up...)
		}
	}
	if !slices.EqualFunc(chain, old.chain, func(a, b *x509.Certificate) bool { return bytes.Equal(a.Raw, b.Raw) }) {
		return data
	}
	return old.data
}

// keptSecret returns, for product p's [secrets], the old ciphertext of a
// value (a store password, the encryption key) when neither the value nor
// the certificate that encrypts it changed, so that the snippet does not
// churn.
func (b *builder) keptSecret(env string, p *gen.Product, cipher *x509.Certificate) func(plainSecret) (string, bool) {
	return func(s plainSecret) (string, bool) {
		r := b.opt.Reuse
		if r == nil {
			return "", false
		}
		old := r.prior.keys[env+"/"+p.Name+"/"+p.Vault.CipherRole]
		if old == nil || !bytes.Equal(old.chain[0].Raw, cipher.Raw) {
			return "", false
		}
		if v, ok := r.prior.password(env, s.name); !ok || v != s.value {
			return "", false
		}
		v, ok := r.prior.vault[env+"/"+p.Name][s.alias]
		return v, ok && v != ""
	}
}

// chainPEM is certificates as concatenated PEM blocks.
func chainPEM(chain []*x509.Certificate) []byte {
	var out []byte
	for _, c := range chain {
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	return out
}
