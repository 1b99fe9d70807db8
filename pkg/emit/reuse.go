package emit

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"slices"
	"strings"

	"github.com/wso2ks/wso2ks/pkg/certs"
	"github.com/wso2ks/wso2ks/pkg/gen"
	"github.com/wso2ks/wso2ks/pkg/keystore"
)

// Reuse is what a build keeps of an existing bundle, or of the home it is
// built for (BuildOptions.Reuse): keys and certificates, passwords, the
// encryption keys, the vault's ciphertexts, and the bytes of every store
// whose content would not change, so that an update rewrites only what
// the topology changed. The lifecycle decides it (lifecycle.Reconcile); a
// nil Reuse keeps nothing, and so does every method on it.
type Reuse struct {
	// Dir is the old bundle's directory or the home, for messages.
	Dir string
	// Keys are the planned keys kept, by gen key id.
	Keys map[string]*KeptKey
	// CAs are the internal CAs kept, by gen key id.
	CAs map[string]*KeptCA
	// Stores are the old stores by env/product/role.
	Stores map[string]*OldStore
	// Secrets are the old secrets.env values by environment, then variable.
	Secrets map[string]map[string]string
	// Vault are the old [secrets] ciphertexts by product directory, then
	// alias.
	Vault map[string]map[string]string
	// EncryptionKeys are the products' encryption keys kept, by product
	// directory.
	EncryptionKeys map[string]string
}

// KeptKey is an old key a build uses again: with its certificate, or with
// a new one (Reissue).
type KeptKey struct {
	Key   crypto.Signer
	Chain []*x509.Certificate
	// Reissue: the same key, a new certificate.
	Reissue bool
	// Imported keeps the old chain whole: a certificate another CA signed.
	Imported bool
}

// KeptCA is an environment's internal CA read back: its files' bytes are
// written again unchanged.
type KeptCA struct {
	Cert            *x509.Certificate
	Key             crypto.Signer
	CertPEM, KeyPEM []byte
}

// OldStore is one store of the old bundle or home: a key store's entry
// (Key, Chain) or a truststore's Entries, with its file, password and
// PKCS#12 profile.
type OldStore struct {
	Path, Type, Alias string
	Password          string
	Profile           keystore.Profile
	// Data is the file's bytes; nil when they cannot be written again as
	// they are.
	Data    []byte
	Key     crypto.Signer
	Chain   []*x509.Certificate
	Entries []keystore.TrustedCert
}

// key is the kept key of key id, or nil.
func (r *Reuse) key(id string) *KeptKey {
	if r == nil {
		return nil
	}
	return r.Keys[id]
}

// ca is the kept internal CA of key id, or nil.
func (r *Reuse) ca(id string) *KeptCA {
	if r == nil {
		return nil
	}
	return r.CAs[id]
}

// store is the old store of env/product/role, or nil.
func (r *Reuse) store(env, product, role string) *OldStore {
	if r == nil {
		return nil
	}
	return r.Stores[env+"/"+product+"/"+role]
}

// secret is an old value of env's secrets.env.
func (r *Reuse) secret(env, name string) (string, bool) {
	if r == nil {
		return "", false
	}
	v, ok := r.Secrets[env][name]
	return v, ok
}

// password is the old password of a store at path p (bundle-relative: its
// environment first) whose secrets.env variable is name.
func (r *Reuse) password(p, name string) (string, bool) {
	env, _, _ := strings.Cut(p, "/")
	return r.secret(env, name)
}

// encryptionKey is the key kept for the product directory dir.
func (r *Reuse) encryptionKey(dir string) (string, bool) {
	if r == nil {
		return "", false
	}
	key, ok := r.EncryptionKeys[dir]
	return key, ok
}

// vault is the old ciphertext of alias in the product directory dir.
func (r *Reuse) vault(dir, alias string) (string, bool) {
	if r == nil {
		return "", false
	}
	v, ok := r.Vault[dir][alias]
	return v, ok
}

// What Build takes from an existing bundle (BuildOptions.Reuse): a file
// whose content would not change keeps its exact old bytes, so that an
// update rewrites only what the topology changed.

// unchanged returns the old bytes of store s when they hold what data
// holds: for a key store the same alias, key and chain, for a truststore
// the same entries, and the same format, profile and password. Otherwise
// it returns data.
func (b *builder) unchanged(env string, p *gen.Product, s *gen.Store, password string, data []byte) []byte {
	old := b.opt.Reuse.store(env, p.Name, s.Role)
	profile := keystore.Profile(p.PKCS12)
	if s.Role == gen.RoleTruststore {
		if old == nil || old.Path != s.Path || old.Type != s.Type || old.Password != password ||
			(keystore.Format(s.Type) == keystore.PKCS12 && old.Profile != profile) || len(old.Entries) != len(s.Entries) {
			return data
		}
		was := map[string][]byte{}
		for _, e := range old.Entries {
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
		return old.Data
	}
	if old == nil || old.Data == nil || old.Path != s.Path || old.Type != s.Type || old.Alias != s.Alias || old.Password != password ||
		(keystore.Format(s.Type) == keystore.PKCS12 && old.Profile != profile) {
		return data
	}
	m := b.mats[s.KeyID]
	if !certs.SamePublicKey(m.key.Public(), old.Key.Public()) {
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
	if !slices.EqualFunc(chain, old.Chain, func(a, b *x509.Certificate) bool { return bytes.Equal(a.Raw, b.Raw) }) {
		return data
	}
	return old.Data
}

// keptSecret returns, for product p's [secrets], the old ciphertext of a
// value (a store password, the encryption key) when neither the value nor
// the certificate that encrypts it changed, so that the snippet does not
// churn.
func (b *builder) keptSecret(env string, p *gen.Product, cipher *x509.Certificate) func(plainSecret) (string, bool) {
	return func(s plainSecret) (string, bool) {
		r := b.opt.Reuse
		old := r.store(env, p.Name, p.Vault.CipherRole)
		if old == nil || !bytes.Equal(old.Chain[0].Raw, cipher.Raw) {
			return "", false
		}
		if v, ok := r.secret(env, s.name); !ok || v != s.value {
			return "", false
		}
		v, ok := r.vault(env+"/"+p.Name, s.alias)
		return v, ok && v != ""
	}
}

// ChainPEM is certificates as concatenated PEM blocks: an external CA's
// ca.crt, from its signer up to the root.
func ChainPEM(chain []*x509.Certificate) []byte {
	var out []byte
	for _, c := range chain {
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	return out
}
