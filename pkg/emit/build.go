package emit

import (
	"crypto"
	"crypto/x509"
	"fmt"
	"io"
	"path"
	"time"

	"github.com/wso2ks/wso2ks/pkg/certs"
	"github.com/wso2ks/wso2ks/pkg/gen"
)

// File is one file of a bundle, by path relative to the bundle directory.
type File struct {
	Path string
	Data []byte
}

// Bundle is every file generate writes, in memory.
type Bundle struct {
	Files []File
	// Manifest is what manifest.json holds.
	Manifest Manifest
}

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
}

// Names of the bundle's own files (SPEC §4).
const (
	ManifestName = "manifest.json"
	SecretsName  = "secrets.env"
	SnippetName  = "deployment.snippet.toml"
)

// material is one planned key, its certificate and its store password.
type material struct {
	key      crypto.Signer
	cert     *x509.Certificate
	password string
}

// builder holds what every product of a build shares.
type builder struct {
	opt     BuildOptions
	enc     StoreEncoder
	mats    map[string]*material
	encoded map[string][]byte // a key store shared by products is encoded once per format
	bundle  *Bundle
}

// Build makes every key, certificate and store of plan and returns the
// bundle's files: stores, snippets, the secure vault's files in vault mode,
// secrets.env per environment and manifest.json.
func Build(plan *gen.Plan, opt BuildOptions) (*Bundle, error) {
	mats, err := makeKeys(plan, opt)
	if err != nil {
		return nil, err
	}
	b := &builder{opt: opt, enc: StoreEncoder{Rand: opt.Rand, Created: opt.Now}, mats: mats,
		encoded: map[string][]byte{}, bundle: &Bundle{}}
	for _, env := range plan.Environments {
		var vars []secretVar
		for pi := range env.Products {
			v, err := b.product(env.Name, &env.Products[pi])
			if err != nil {
				return nil, err
			}
			vars = append(vars, v...)
		}
		b.add(path.Join(env.Name, SecretsName), secretsEnv(env.Name, vars))
	}
	data, err := b.bundle.Manifest.encode()
	if err != nil {
		return nil, fmt.Errorf("encode manifest: %w", err)
	}
	b.add(ManifestName, data)
	return b.bundle, nil
}

func (b *builder) add(p string, data []byte) {
	b.bundle.Files = append(b.bundle.Files, File{Path: p, Data: data})
}

// product encodes one product's stores and writes its snippet and, in vault
// mode, its secure vault files. It returns the product's secrets.env lines.
func (b *builder) product(env string, p *gen.Product) ([]secretVar, error) {
	passwords := map[string]string{}
	var vars []secretVar
	for si := range p.Stores {
		s := &p.Stores[si]
		var data []byte
		var cert *x509.Certificate
		var err error
		if s.Role == gen.RoleTruststore {
			pw, err := b.password([]*gen.Store{s})
			if err != nil {
				return nil, err
			}
			passwords[s.Role] = pw
			if data, err = b.trustStore(p, s, pw); err != nil {
				return nil, fmt.Errorf("encode truststore of %s in %s: %w", p.Name, env, err)
			}
		} else {
			m := b.mats[s.KeyID]
			passwords[s.Role], cert = m.password, m.cert
			id := s.KeyID + "|" + s.Type + "|" + p.PKCS12
			if data = b.encoded[id]; data == nil {
				entry := KeyEntry{Alias: s.Alias, Key: m.key, Chain: []*x509.Certificate{m.cert}}
				if data, err = b.enc.EncodeKeyStore(Format(s.Type), Profile(p.PKCS12), entry, m.password); err != nil {
					return nil, fmt.Errorf("encode %s keystore of %s in %s: %w", s.Role, p.Name, env, err)
				}
				b.encoded[id] = data
			}
		}
		b.add(s.Path, data)
		b.bundle.Manifest.Stores = append(b.bundle.Manifest.Stores, manifestStore(env, p, s, cert))
		vars = append(vars, secretVar{s.PasswordVar, passwords[s.Role]})
	}
	password := func(s *gen.Store) string { return passwords[s.Role] }
	var secrets []Secret
	if p.Vault != nil {
		cipher := b.mats[p.Store(p.Vault.CipherRole).KeyID].cert
		var err error
		if secrets, err = vaultSecrets(b.opt.Rand, p, cipher, password); err != nil {
			return nil, fmt.Errorf("vault secrets of %s in %s: %w", p.Name, env, err)
		}
		b.add(p.Vault.SecretConf, secretConf(env, p))
		b.add(p.Vault.CipherText, cipherText(secrets))
	}
	snippet, err := SnippetWithSecrets(env, p, password, secrets)
	if err != nil {
		return nil, fmt.Errorf("snippet of %s in %s: %w", p.Name, env, err)
	}
	b.add(path.Join(p.Dir, SnippetName), snippet)
	return vars, nil
}

// password picks the password of the stores that share one file: the one
// the topology or --passwords supplies (they must agree), or a new one.
func (b *builder) password(stores []*gen.Store) (string, error) {
	var pw, from string
	for _, s := range stores {
		got, ok := s.SuppliedPassword()
		src := s.PasswordSource
		if !ok {
			got, ok = b.opt.Passwords[s.PasswordVar]
			src = "--passwords " + s.PasswordVar
		}
		if !ok {
			continue
		}
		if pw != "" && got != pw {
			return "", &gen.InputError{Msg: fmt.Sprintf("the %s store is shared, but %s and %s give it different passwords; give one", s.Role, from, src)}
		}
		pw, from = got, src
	}
	if pw != "" {
		return pw, nil
	}
	return NewPassword(b.opt.Rand)
}

// makeKeys generates every distinct planned key in parallel, then issues
// its certificate and picks its store password.
func makeKeys(plan *gen.Plan, opt BuildOptions) (map[string]*material, error) {
	var order []string
	byKey := map[string][]*gen.Store{}
	for _, env := range plan.Environments {
		for _, p := range env.Products {
			for i, s := range p.Stores {
				if s.KeyID == "" {
					continue
				}
				if byKey[s.KeyID] == nil {
					order = append(order, s.KeyID)
				}
				byKey[s.KeyID] = append(byKey[s.KeyID], &p.Stores[i])
			}
		}
	}
	types := make([]string, len(order))
	for i, id := range order {
		types[i] = byKey[id][0].Key
	}
	done := 0
	keys, err := certs.GenerateKeys(types, opt.Workers, func() {
		done++
		if opt.Progress != nil {
			opt.Progress(done, len(types))
		}
	})
	if err != nil {
		return nil, err
	}
	issuer := certs.Issuer{Rand: opt.Rand, Now: opt.Now}
	b := &builder{opt: opt}
	mats := map[string]*material{}
	for i, id := range order {
		s := byKey[id][0]
		cert, err := issuer.SelfSigned(certs.Request{Subject: s.Name(), SANs: s.SANs, ValidityDays: s.ValidityDays, Usage: usage(s.Role)}, keys[i])
		if err != nil {
			return nil, fmt.Errorf("issue certificate %s: %w", id, err)
		}
		pw, err := b.password(byKey[id])
		if err != nil {
			return nil, err
		}
		mats[id] = &material{key: keys[i], cert: cert, password: pw}
	}
	return mats, nil
}

func usage(role string) certs.Usage {
	switch role {
	case gen.RoleTLS:
		return certs.Server
	case gen.RoleWSSec:
		return certs.Message
	default:
		return certs.Encipherment
	}
}

func (b *builder) trustStore(p *gen.Product, s *gen.Store, password string) ([]byte, error) {
	entries := make([]TrustedCert, 0, len(s.Entries))
	for _, e := range s.Entries {
		var c *x509.Certificate
		if e.KeyID != "" {
			c = b.mats[e.KeyID].cert
		} else {
			var err error
			if c, err = x509.ParseCertificate(e.DER); err != nil {
				return nil, fmt.Errorf("entry %s: %w", e.Alias, err)
			}
		}
		entries = append(entries, TrustedCert{Alias: e.Alias, Cert: c})
	}
	return b.enc.EncodeTrustStore(Format(s.Type), Profile(p.PKCS12), entries, password)
}
