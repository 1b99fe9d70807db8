package lifecycle

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"fmt"
	"path"

	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/emit"
	"github.com/wso2ks/wso2ks/pkg/gen"
	"github.com/wso2ks/wso2ks/pkg/keystore"
)

// HomeKey is a key store a WSO2 home runs with, opened: what 'wso2ks
// install -f' builds the bundle around instead of making a new key.
type HomeKey struct {
	Role string // gen.RolePrimary, gen.RoleInternal, gen.RoleTLS, gen.RoleWSSec
	// Path is the store's file relative to the home, slash-separated.
	Path  string
	Type  keystore.Format
	Alias string
	Key   crypto.Signer
	Chain []*x509.Certificate
	// Password opens the store; KeyPassword the key (another tool may
	// have made them differ: the file is then written anew, with one
	// password for both, as the products' TLS connectors need).
	Password, KeyPassword string
	Data                  []byte
}

// HomeState is what a home holds that a build for it keeps.
type HomeState struct {
	// Dir is the home, for messages.
	Dir  string
	Keys []HomeKey
	// TrustPassword is the password of the home's truststore when it is
	// its own (not WSO2's default); empty otherwise.
	TrustPassword string
	// Secrets are deployment.toml's [secrets] ciphertexts by alias.
	Secrets map[string]string
	// EncryptionKey is the [encryption] key the home runs with, resolved;
	// empty when it has none of its own.
	EncryptionKey string
}

// HomePrior is the Prior of product p of environment env built into the
// home h describes: Reconcile against it keeps each key of the home whose
// role p plans (with its certificate, when the plan would issue the same
// one), the stores' passwords, the [encryption] key and the vault's
// ciphertexts, and Build writes a kept store's bytes again when nothing in
// it changes.
func HomePrior(env string, p *gen.Product, h HomeState) *Prior {
	pr := &Prior{Dir: h.Dir, home: true, cas: map[string]*emit.KeptCA{}, signers: map[string]*x509.Certificate{},
		keys: map[string]*priorStore{}, trust: map[string]*priorTrust{},
		secrets: map[string]map[string]string{env: {}}, vault: map[string]map[string]string{},
		owned: map[string]bool{}}
	for _, k := range h.Keys {
		s := p.Store(k.Role)
		if s == nil || len(k.Chain) == 0 {
			continue
		}
		m := bundle.ManifestStore{Env: env, Product: p.Name, Kind: string(p.Kind), Version: p.Version, Role: k.Role,
			Path: path.Join(p.Dir, k.Path), Type: string(k.Type), Alias: k.Alias, Key: keyType(k.Key.Public())}
		if (k.Role == gen.RolePrimary || k.Role == gen.RoleInternal) && m.Key != "" && isRSA(m.Key) && isRSA(s.Key) {
			// The plan asks only for RSA here (gen.PrimaryKey is wso2ks's
			// size, not the user's): the home's RSA key of any allowed size
			// is kept rather than replaced.
			m.Key = s.Key
		}
		data := k.Data
		if k.KeyPassword != k.Password {
			data = nil
		}
		var profile keystore.Profile
		if k.Type == keystore.PKCS12 {
			profile = keystore.ProfileOf(k.Data)
		}
		pr.keys[env+"/"+p.Name+"/"+k.Role] = &priorStore{m: m, key: k.Key, chain: k.Chain, password: k.Password,
			profile: profile, data: data, file: path.Join(h.Dir, k.Path)}
		pr.secrets[env][s.PasswordVar] = k.Password
	}
	if ts := p.Store(gen.RoleTruststore); ts != nil && h.TrustPassword != "" {
		pr.secrets[env][ts.PasswordVar] = h.TrustPassword
	}
	if e := p.Encryption; e != nil && e.Provider == gen.ProviderSymmetric && h.EncryptionKey != "" {
		// Reconcile keeps it as it keeps a bundle's, whatever its form: the
		// home's data is encrypted with it.
		pr.secrets[env][e.KeyVar] = h.EncryptionKey
	}
	if len(h.Secrets) > 0 {
		pr.vault[p.Dir] = h.Secrets
	}
	return pr
}

// keyType names a public key as a topology does ("rsa-2048",
// "ecdsa-p256"), or "" for a key wso2ks does not make.
func keyType(pub crypto.PublicKey) string {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		return fmt.Sprintf("rsa-%d", k.N.BitLen())
	case *ecdsa.PublicKey:
		switch k.Curve.Params().BitSize {
		case 256:
			return "ecdsa-p256"
		case 384:
			return "ecdsa-p384"
		}
	}
	return ""
}

func isRSA(keyType string) bool {
	var bits int
	_, err := fmt.Sscanf(keyType, "rsa-%d", &bits)
	return err == nil && bits >= 2048
}
