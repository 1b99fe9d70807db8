package emit

import (
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"io"
	"path"
	"time"

	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/gen"
	"github.com/wso2ks/wso2ks/pkg/keystore"
)

// BuildOptions inject the world into Build.
type BuildOptions struct {
	Rand io.Reader // salts, serial numbers, passwords, vault padding
	Now  time.Time // certificate validity and JKS creation time
	// Workers bounds parallel key generation; all cores when < 1.
	Workers int
	// Progress, when not nil, is told after each key is made.
	Progress func(done, total int)
	// Passwords are supplied passwords by secrets.env variable (wso2ks
	// generate --passwords FILE). A password the topology names wins.
	Passwords map[string]string
	// Reuse is what an existing bundle keeps (lifecycle.Reconcile): its
	// keys, certificates, passwords and unchanged files. Nil makes
	// everything new.
	Reuse *Reuse
}

// material is one planned key, its certificate and its store password.
type material struct {
	key  crypto.Signer
	cert *x509.Certificate
	// up is what a CA's leaves carry above it: an external CA's
	// intermediates and root.
	up       []*x509.Certificate
	password string
	// chain, when set, is the whole chain to store: a kept certificate
	// another CA signed.
	chain []*x509.Certificate
}

// builder holds what every product of a build shares.
type builder struct {
	opt  BuildOptions
	enc  keystore.Encoder
	mats map[string]*material
	// encoded holds every store's bytes: key stores by storeID (a key
	// store shared by products is encoded once per format), truststores
	// by path.
	encoded        map[string][]byte
	trustPasswords map[string]string // by truststore path
	// encKeys are the products' encryption keys, by product directory.
	encKeys map[string]string
	bundle  *bundle.Bundle
}

// Build makes every key, certificate and store of plan and returns the
// bundle's files: stores, snippets, the secure vault's files in vault mode,
// secrets.env per environment and manifest.json.
func Build(plan *gen.Plan, opt BuildOptions) (*bundle.Bundle, error) {
	opt.Rand = &lockedReader{r: opt.Rand}
	encKeys, err := encryptionKeys(plan, opt)
	if err != nil {
		return nil, err
	}
	mats, err := makeKeys(plan, opt)
	if err != nil {
		return nil, err
	}
	b := &builder{opt: opt, enc: keystore.Encoder{Rand: opt.Rand, Created: opt.Now}, mats: mats,
		encoded: map[string][]byte{}, trustPasswords: map[string]string{}, encKeys: encKeys, bundle: &bundle.Bundle{}}
	if err := b.encodeStores(plan); err != nil {
		return nil, err
	}
	for _, env := range plan.Environments {
		if env.CA != nil {
			if err := b.ca(env.Name, env.CA); err != nil {
				return nil, err
			}
		}
		var vars []bundle.SecretVar
		for pi := range env.Products {
			v, err := b.product(env.Name, &env.Products[pi])
			if err != nil {
				return nil, err
			}
			vars = append(vars, v...)
		}
		b.add(path.Join(env.Name, bundle.SecretsName), bundle.SecretsEnv(env.Name, vars))
	}
	data, err := b.bundle.Manifest.Encode()
	if err != nil {
		return nil, fmt.Errorf("encode manifest: %w", err)
	}
	b.add(bundle.ManifestName, data)
	return b.bundle, nil
}

// ca writes an environment's internal CA: its certificate, and its key
// (PKCS#8) read-only for the owner alone. For an external CA it writes the
// chain from the signer up to the root and no key: the user keeps that.
func (b *builder) ca(env string, ca *gen.CA) error {
	m := b.mats[ca.KeyID]
	b.bundle.Manifest.CAs = append(b.bundle.Manifest.CAs, manifestCA(env, ca, m.cert))
	if ca.External() != nil {
		b.add(ca.CertPath, ChainPEM(append([]*x509.Certificate{m.cert}, m.up...)))
		return nil
	}
	if old := b.opt.Reuse.ca(ca.KeyID); old != nil {
		b.add(ca.CertPath, old.CertPEM)
		b.bundle.Files = append(b.bundle.Files, bundle.File{Path: ca.KeyPath, Data: old.KeyPEM, Mode: bundle.KeyFileMode})
		return nil
	}
	der, err := x509.MarshalPKCS8PrivateKey(m.key)
	if err != nil {
		return fmt.Errorf("encode the CA key of %s: %w", env, err)
	}
	b.add(ca.CertPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: m.cert.Raw}))
	b.bundle.Files = append(b.bundle.Files, bundle.File{Path: ca.KeyPath, Data: pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), Mode: bundle.KeyFileMode})
	return nil
}

func (b *builder) add(p string, data []byte) {
	b.bundle.Files = append(b.bundle.Files, bundle.File{Path: p, Data: data})
}

// product encodes one product's stores and writes its snippet and, in vault
// mode, its secure vault files. It returns the product's secrets.env lines.
func (b *builder) product(env string, p *gen.Product) ([]bundle.SecretVar, error) {
	passwords := map[string]string{}
	var vars []bundle.SecretVar
	for si := range p.Stores {
		s := &p.Stores[si]
		var data []byte
		var cert *x509.Certificate
		if s.Role == gen.RoleTruststore {
			passwords[s.Role], data = b.trustPasswords[s.Path], b.encoded[s.Path]
		} else {
			m := b.mats[s.KeyID]
			passwords[s.Role], cert, data = m.password, m.cert, b.encoded[storeID(p, s)]
		}
		b.add(s.Path, b.unchanged(env, p, s, passwords[s.Role], data))
		b.bundle.Manifest.Stores = append(b.bundle.Manifest.Stores, manifestStore(env, p, s, cert))
		vars = append(vars, bundle.SecretVar{Name: s.PasswordVar, Value: passwords[s.Role]})
	}
	password := func(s *gen.Store) string { return passwords[s.Role] }
	key, hasKey := b.encKeys[p.Dir]
	if hasKey {
		vars = append(vars, bundle.SecretVar{Name: p.Encryption.KeyVar, Value: key})
	}
	var secrets []secret
	if p.Vault != nil {
		cipher := b.mats[p.Store(p.Vault.CipherRole).KeyID].cert
		var err error
		if secrets, err = vaultSecrets(b.opt.Rand, p.Vault.Transformation, cipher, vaultValues(p, password, key), b.keptSecret(env, p, cipher)); err != nil {
			return nil, fmt.Errorf("vault secrets of %s in %s: %w", p.Name, env, err)
		}
		b.add(p.Vault.SecretConf, secretConf(env, p))
		b.add(p.Vault.CipherText, cipherText(secrets))
	}
	snippet, err := snippetWithSecrets(env, p, password, key, secrets)
	if err != nil {
		return nil, fmt.Errorf("snippet of %s in %s: %w", p.Name, env, err)
	}
	b.add(path.Join(p.Dir, bundle.SnippetName), snippet)
	return vars, nil
}

func manifestStore(env string, p *gen.Product, s *gen.Store, cert *x509.Certificate) bundle.ManifestStore {
	m := bundle.ManifestStore{Env: env, Product: p.Name, Kind: string(p.Kind), Version: p.Version, Role: s.Role, Path: s.Path, Type: s.Type}
	if cert != nil {
		sum := sha256.Sum256(cert.Raw)
		m.Alias, m.Subject, m.SANs, m.Key = s.Alias, cert.Subject.String(), s.SANs, s.Key
		m.NotBefore = cert.NotBefore.UTC().Format(time.RFC3339)
		m.NotAfter = cert.NotAfter.UTC().Format(time.RFC3339)
		m.SHA256 = hex.EncodeToString(sum[:])
	}
	for _, e := range s.Entries {
		m.Entries = append(m.Entries, e.Alias)
	}
	return m
}

func manifestCA(env string, ca *gen.CA, cert *x509.Certificate) bundle.ManifestStore {
	sum := sha256.Sum256(cert.Raw)
	return bundle.ManifestStore{Env: env, Role: gen.RoleCA, Path: ca.CertPath, Type: "PEM", Alias: ca.Alias,
		Subject: cert.Subject.String(), Key: ca.Key, NotBefore: cert.NotBefore.UTC().Format(time.RFC3339),
		NotAfter: cert.NotAfter.UTC().Format(time.RFC3339), SHA256: hex.EncodeToString(sum[:])}
}
