package emit

import (
	"crypto/x509"
	"fmt"
	"io"
	"runtime"
	"sync"

	"github.com/wso2ks/wso2ks/pkg/gen"
	"github.com/wso2ks/wso2ks/pkg/keystore"
)

// storeID names one encoding of a key store.
func storeID(p *gen.Product, s *gen.Store) string { return s.KeyID + "|" + s.Type + "|" + p.PKCS12 }

// encodeStores encodes every store of the plan on all cores: after key
// generation it is most of what is left.
func (b *builder) encodeStores(plan *gen.Plan) error {
	var jobs []func() ([]byte, error)
	var ids []string
	seen := map[string]bool{}
	for _, env := range plan.Environments {
		for pi := range env.Products {
			p := &env.Products[pi]
			for si := range p.Stores {
				s := &p.Stores[si]
				if s.Role == gen.RoleTruststore {
					pw, err := b.password([]*gen.Store{s})
					if err != nil {
						return err
					}
					b.trustPasswords[s.Path] = pw
					ids = append(ids, s.Path)
					jobs = append(jobs, func() ([]byte, error) {
						data, err := b.trustStore(p, s, pw)
						if err != nil {
							return nil, fmt.Errorf("encode truststore of %s in %s: %w", p.Name, env.Name, err)
						}
						return data, nil
					})
					continue
				}
				id := storeID(p, s)
				if seen[id] {
					continue
				}
				seen[id] = true
				ids = append(ids, id)
				m := b.mats[s.KeyID]
				jobs = append(jobs, func() ([]byte, error) {
					chain := []*x509.Certificate{m.cert}
					if m.chain != nil {
						chain = m.chain
					} else if s.IssuerKeyID != "" {
						ca := b.mats[s.IssuerKeyID]
						chain = append(append(chain, ca.cert), ca.up...)
					}
					entry := keystore.KeyEntry{Alias: s.Alias, Key: m.key, Chain: chain}
					data, err := b.enc.EncodeKeyStore(keystore.Format(s.Type), keystore.Profile(p.PKCS12), entry, m.password)
					if err != nil {
						return nil, fmt.Errorf("encode %s keystore of %s in %s: %w", s.Role, p.Name, env.Name, err)
					}
					return data, nil
				})
			}
		}
	}
	out := make([][]byte, len(jobs))
	err := parallel(len(jobs), b.opt.Workers, func(i int) (err error) {
		out[i], err = jobs[i]()
		return err
	})
	for i, id := range ids {
		b.encoded[id] = out[i]
	}
	return err
}

func (b *builder) trustStore(p *gen.Product, s *gen.Store, password string) ([]byte, error) {
	entries := make([]keystore.TrustedCert, 0, len(s.Entries))
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
		entries = append(entries, keystore.TrustedCert{Alias: e.Alias, Cert: c})
	}
	return b.enc.EncodeTrustStore(keystore.Format(s.Type), keystore.Profile(p.PKCS12), entries, password)
}

// parallel runs task(0) … task(n-1) on at most workers goroutines (all
// cores when workers < 1) and returns the first error by index.
func parallel(n, workers int, task func(i int) error) error {
	if workers < 1 {
		workers = runtime.GOMAXPROCS(0)
	}
	errs := make([]error, n)
	jobs := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < min(workers, n); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				errs[i] = task(i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// lockedReader lets the goroutines of a build share one random source
// (crypto/rand is safe for that already; an injected one may not be).
type lockedReader struct {
	mu sync.Mutex
	r  io.Reader
}

func (l *lockedReader) Read(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.r.Read(p)
}
