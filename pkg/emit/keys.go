package emit

import (
	"crypto"
	"crypto/x509"
	"fmt"
	"sync"

	"github.com/wso2ks/wso2ks/pkg/certs"
	"github.com/wso2ks/wso2ks/pkg/gen"
)

// Build's first step: a password for every planned key's store, then the
// keys and their certificates, made in parallel (or kept, for an update).

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
	if pw, ok := b.opt.Reuse.password(stores[0].Path, stores[0].PasswordVar); ok {
		return pw, nil
	}
	return newPassword(b.opt.Rand)
}

// makeKeys picks every distinct planned key's store password, then
// generates the keys and issues their certificates in parallel. Internal
// CAs come first in the queue, so that every CA is being made before a
// certificate it signs waits for it.
func makeKeys(plan *gen.Plan, opt BuildOptions) (map[string]*material, error) {
	var order []string
	byKey := map[string][]*gen.Store{}
	cas := map[string]*gen.CA{}
	ready := map[string]chan struct{}{} // closed once a CA is made, or failed
	for _, env := range plan.Environments {
		if env.CA != nil {
			order = append(order, env.CA.KeyID)
			cas[env.CA.KeyID] = env.CA
			ready[env.CA.KeyID] = make(chan struct{})
		}
	}
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
	// Passwords first, in order, so a seeded source gives the same ones.
	// A CA is in no store and has none.
	b := &builder{opt: opt}
	mats := make([]*material, len(order))
	byID := map[string]*material{}
	for i, id := range order {
		mats[i] = &material{}
		byID[id] = mats[i]
		if cas[id] != nil {
			continue
		}
		pw, err := b.password(byKey[id])
		if err != nil {
			return nil, err
		}
		mats[i].password = pw
	}
	// Each worker makes a key and at once its certificate, so issuing
	// overlaps with the other workers' prime searches.
	issuer := certs.Issuer{Rand: opt.Rand, Now: opt.Now}
	var mu sync.Mutex
	done := 0
	err := parallel(len(order), opt.Workers, func(i int) error {
		var err error
		if ca := cas[order[i]]; ca != nil {
			if kept := opt.Reuse.ca(order[i]); kept != nil {
				mats[i].key, mats[i].cert = kept.Key, kept.Cert
			} else {
				err = makeCA(issuer, ca, mats[i])
			}
			close(ready[ca.KeyID])
		} else {
			err = makeLeaf(issuer, byKey[order[i]][0], mats[i], byID, ready, opt.Reuse.key(order[i]))
		}
		if err != nil {
			return err
		}
		if opt.Progress != nil {
			mu.Lock()
			done++
			opt.Progress(done, len(order))
			mu.Unlock()
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return byID, nil
}

func makeCA(issuer certs.Issuer, ca *gen.CA, m *material) error {
	if ext := ca.External(); ext != nil {
		m.key, m.cert, m.up = ext.Key, ext.Signer, ext.Chain[1:]
		return nil
	}
	key, err := certs.GenerateKey(ca.Key)
	if err != nil {
		return fmt.Errorf("generate %s key: %w", ca.Key, err)
	}
	cert, err := issuer.CA(certs.Request{Subject: ca.Name(), ValidityDays: ca.ValidityDays}, key)
	if err != nil {
		return fmt.Errorf("issue CA certificate %s: %w", ca.KeyID, err)
	}
	m.key, m.cert = key, cert
	return nil
}

// makeLeaf makes a store's key and certificate: self-signed, or signed by
// its CA once that is ready. An old key kept is used again, with its
// certificate too unless it is to be reissued.
func makeLeaf(issuer certs.Issuer, s *gen.Store, m *material, byID map[string]*material, ready map[string]chan struct{}, kept *KeptKey) error {
	if kept != nil && !kept.Reissue {
		m.key, m.cert = kept.Key, kept.Chain[0]
		if kept.Imported {
			m.chain = kept.Chain
		}
		return nil
	}
	var key crypto.Signer
	var err error
	if kept != nil {
		key = kept.Key // the same key, a new certificate
	} else if key, err = certs.GenerateKey(s.Key); err != nil {
		return fmt.Errorf("generate %s key: %w", s.Key, err)
	}
	req := certs.Request{Subject: s.Name(), SANs: s.SANs, ValidityDays: s.ValidityDays, Usage: Usage(s.Role)}
	var cert *x509.Certificate
	if s.IssuerKeyID == "" {
		cert, err = issuer.SelfSigned(req, key)
	} else {
		<-ready[s.IssuerKeyID]
		ca := byID[s.IssuerKeyID]
		if ca.cert == nil {
			return fmt.Errorf("issue certificate %s: its CA %s was not made", s.KeyID, s.IssuerKeyID)
		}
		cert, err = issuer.Signed(req, key, ca.cert, ca.key)
	}
	if err != nil {
		return fmt.Errorf("issue certificate %s: %w", s.KeyID, err)
	}
	m.key, m.cert = key, cert
	return nil
}

// Usage is what the certificate of a store of role is for: a server (tls),
// message signing (wssec), or signing and encryption (primary, internal).
func Usage(role string) certs.Usage {
	switch role {
	case gen.RoleTLS:
		return certs.Server
	case gen.RoleWSSec:
		return certs.Message
	default:
		return certs.Encipherment
	}
}
