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
	Rand io.Reader // salts, serial numbers, passwords
	Now  time.Time // certificate validity and JKS creation time
	// Workers bounds parallel key generation; all cores when < 1.
	Workers int
	// Progress, when not nil, is told after each key is made.
	Progress func(done, total int)
}

// material is one planned key, its certificate and its store password.
type material struct {
	key      crypto.Signer
	cert     *x509.Certificate
	password string
}

// Build makes every key, certificate and store of plan and returns the
// bundle's files: stores, snippets, secrets.env per environment and
// manifest.json.
func Build(plan *gen.Plan, opt BuildOptions) (*Bundle, error) {
	mats, err := makeKeys(plan, opt)
	if err != nil {
		return nil, err
	}
	enc := StoreEncoder{Rand: opt.Rand, Created: opt.Now}
	b := &Bundle{}
	var manifest Manifest
	encoded := map[string][]byte{} // a key store shared by products is encoded once per format
	for _, env := range plan.Environments {
		var vars []secretVar
		for pi := range env.Products {
			p := &env.Products[pi]
			passwords := map[string]string{}
			for si := range p.Stores {
				s := &p.Stores[si]
				var data []byte
				var cert *x509.Certificate
				if s.Role == gen.RoleTruststore {
					pw, err := NewPassword(opt.Rand)
					if err != nil {
						return nil, err
					}
					passwords[s.Role] = pw
					if data, err = trustStore(enc, p, s, mats, pw); err != nil {
						return nil, fmt.Errorf("encode truststore of %s in %s: %w", p.Name, env.Name, err)
					}
				} else {
					m := mats[s.KeyID]
					passwords[s.Role], cert = m.password, m.cert
					id := s.KeyID + "|" + s.Type + "|" + p.PKCS12
					if data = encoded[id]; data == nil {
						entry := KeyEntry{Alias: s.Alias, Key: m.key, Chain: []*x509.Certificate{m.cert}}
						if data, err = enc.EncodeKeyStore(Format(s.Type), Profile(p.PKCS12), entry, m.password); err != nil {
							return nil, fmt.Errorf("encode %s keystore of %s in %s: %w", s.Role, p.Name, env.Name, err)
						}
						encoded[id] = data
					}
				}
				b.Files = append(b.Files, File{Path: s.Path, Data: data})
				manifest.Stores = append(manifest.Stores, manifestStore(env.Name, p.Name, s, cert))
				vars = append(vars, secretVar{s.PasswordVar, passwords[s.Role]})
			}
			snippet, err := Snippet(env.Name, p, func(s *gen.Store) string { return passwords[s.Role] })
			if err != nil {
				return nil, fmt.Errorf("snippet of %s in %s: %w", p.Name, env.Name, err)
			}
			b.Files = append(b.Files, File{Path: path.Join(p.Dir, SnippetName), Data: snippet})
		}
		b.Files = append(b.Files, File{Path: path.Join(env.Name, SecretsName), Data: secretsEnv(env.Name, vars)})
	}
	data, err := manifest.encode()
	if err != nil {
		return nil, fmt.Errorf("encode manifest: %w", err)
	}
	b.Files = append(b.Files, File{Path: ManifestName, Data: data})
	b.Manifest = manifest
	return b, nil
}

// Names of the bundle's own files (SPEC §4).
const (
	ManifestName = "manifest.json"
	SecretsName  = "secrets.env"
	SnippetName  = "deployment.snippet.toml"
)

// makeKeys generates every distinct planned key in parallel, then issues
// its certificate and draws its store password.
func makeKeys(plan *gen.Plan, opt BuildOptions) (map[string]*material, error) {
	var order []*gen.Store
	seen := map[string]bool{}
	for _, env := range plan.Environments {
		for _, p := range env.Products {
			for i, s := range p.Stores {
				if s.KeyID != "" && !seen[s.KeyID] {
					seen[s.KeyID] = true
					order = append(order, &p.Stores[i])
				}
			}
		}
	}
	types := make([]string, len(order))
	for i, s := range order {
		types[i] = s.Key
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
	mats := map[string]*material{}
	for i, s := range order {
		cert, err := issuer.SelfSigned(certs.Request{Subject: s.Name(), SANs: s.SANs, ValidityDays: s.ValidityDays, Usage: usage(s.Role)}, keys[i])
		if err != nil {
			return nil, fmt.Errorf("issue certificate %s: %w", s.KeyID, err)
		}
		pw, err := NewPassword(opt.Rand)
		if err != nil {
			return nil, err
		}
		mats[s.KeyID] = &material{key: keys[i], cert: cert, password: pw}
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

func trustStore(enc StoreEncoder, p *gen.Product, s *gen.Store, mats map[string]*material, password string) ([]byte, error) {
	entries := make([]TrustedCert, 0, len(s.Entries))
	for _, e := range s.Entries {
		var c *x509.Certificate
		if e.KeyID != "" {
			c = mats[e.KeyID].cert
		} else {
			var err error
			if c, err = x509.ParseCertificate(e.DER); err != nil {
				return nil, fmt.Errorf("entry %s: %w", e.Alias, err)
			}
		}
		entries = append(entries, TrustedCert{Alias: e.Alias, Cert: c})
	}
	return enc.EncodeTrustStore(Format(s.Type), Profile(p.PKCS12), entries, password)
}
