package lifecycle

import (
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/certs"
	"github.com/wso2ks/wso2ks/pkg/gen"
	"github.com/wso2ks/wso2ks/pkg/keystore"
)

// ErrCannotRenew marks a certificate wso2ks cannot renew itself: one an
// external CA signed.
var ErrCannotRenew = errors.New("cannot renew here: sign a new certificate with your CA")

// RenewOptions are the inputs of Renew: the injected clock and random
// source, how close to expiry a certificate must be to be renewed, and the
// environments and products whose key stores to renew (all when empty).
type RenewOptions struct {
	Now      time.Time
	Rand     io.Reader
	Within   time.Duration
	Envs     []string
	Products []string
}

// Selection is the command-line options that select opt's environments and
// products ("--env prod --product iam"), or "" when every one is renewed.
func (opt RenewOptions) Selection() string {
	return selection{opt.Envs, opt.Products}.Flags()
}

// Renewed is one renewed certificate and every store file that holds it.
type Renewed struct {
	Role     string
	Paths    []string // key stores, in manifest order
	Trust    []string // truststores whose entry was replaced
	NotAfter time.Time
	// Foreign marks a certificate that is due but was not renewed: an
	// external or corporate CA signed it (ErrCannotRenew). NotAfter is
	// then its old expiry.
	Foreign bool
}

// renewal is one key store certificate being renewed: every manifest entry
// that holds it (same sha256), its key, old and new chain.
type renewal struct {
	stores   []int // indexes into Manifest.Stores
	key      crypto.Signer
	oldChain []*x509.Certificate
	newChain []*x509.Certificate
}

// Renew reads the bundle at dir and re-issues every key store certificate
// that expires within opt.Within, for the same key, subject, SANs, usages
// and validity length; truststores holding an old certificate get the new
// one under the same alias, and the manifest follows. It returns the whole
// new bundle for Write, or nil when nothing is due. Certificates an external
// CA signed cannot be renewed here: they are returned as Foreign beside the
// renewed ones, and when nothing else is due the result is an
// ErrCannotRenew and nothing is returned. With opt.Envs or opt.Products only
// the key stores of those are renewed (see selection); a name the bundle
// does not have is a gen.ErrInput.
func Renew(dir string, opt RenewOptions) (*bundle.Bundle, []Renewed, error) {
	st, err := openEditor(dir)
	if err != nil {
		return nil, nil, err
	}
	b := st.Bundle
	r := &renewer{editor: st, opt: opt, sel: selection{opt.Envs, opt.Products}, dir: dir}
	if err := r.sel.check(dir, b.Manifest); err != nil {
		return nil, nil, err
	}
	due, err := r.due()
	if err != nil || len(due) == 0 {
		return nil, nil, err
	}
	var external []string
	var out, foreign []Renewed
	renewable := due[:0:0]
	for _, rn := range due {
		s := b.Manifest.Stores[rn.stores[0]]
		if err := r.reissue(rn); errors.Is(err, ErrCannotRenew) {
			external = append(external, s.Path)
			notAfter, _ := time.Parse(time.RFC3339, s.NotAfter) // due() parsed it
			foreign = append(foreign, Renewed{Role: s.Role, Paths: []string{s.Path}, NotAfter: notAfter, Foreign: true})
		} else if err != nil {
			return nil, nil, err
		} else {
			renewable = append(renewable, rn)
		}
	}
	if len(renewable) == 0 {
		return nil, nil, fmt.Errorf("%s: %w", strings.Join(external, ", "), ErrCannotRenew)
	}
	for _, rn := range renewable {
		done, err := r.write(rn)
		if err != nil {
			return nil, nil, err
		}
		out = append(out, done)
	}
	out = append(out, foreign...)
	if err := r.Seal(); err != nil {
		return nil, nil, err
	}
	return b, out, nil
}

type renewer struct {
	*editor
	opt RenewOptions
	sel selection
	dir string
}

// due groups the key stores by certificate and keeps those expiring within
// the window that a selected store holds, in manifest order. One that
// stores outside the selection hold too is refused (selection.checkWhole).
func (r *renewer) due() ([]*renewal, error) {
	var all, out []*renewal
	bySum := map[string]*renewal{}
	limit := r.opt.Now.Add(r.opt.Within)
	for i, s := range r.Bundle.Manifest.Stores {
		if s.Role == gen.RoleTruststore || s.SHA256 == "" {
			continue
		}
		if rn := bySum[s.SHA256]; rn != nil {
			rn.stores = append(rn.stores, i)
			continue
		}
		notAfter, err := time.Parse(time.RFC3339, s.NotAfter)
		if err != nil {
			return nil, bundle.Errorf("%s: store %s: not_after %q is not an RFC 3339 time", bundle.ManifestName, s.Path, s.NotAfter)
		}
		rn := &renewal{stores: []int{i}}
		bySum[s.SHA256] = rn
		if !notAfter.After(limit) {
			all = append(all, rn)
		}
	}
	m := r.Bundle.Manifest
	for _, rn := range all {
		if !slices.ContainsFunc(rn.stores, func(i int) bool { return r.sel.has(m.Stores[i]) }) {
			continue
		}
		if err := r.sel.checkWhole(r.dir, m, rn.stores); err != nil {
			return nil, err
		}
		out = append(out, rn)
	}
	return out, nil
}

// reissue issues the new certificate of rn for its old key: self-signed
// again, or signed again by the environment's internal CA.
func (r *renewer) reissue(rn *renewal) error {
	s := r.Bundle.Manifest.Stores[rn.stores[0]]
	old, err := r.keyEntry(s)
	if err != nil {
		return err
	}
	chain, err := r.issueLike(s, old.Chain, old.Key, certs.Issuer{Rand: r.opt.Rand, Now: r.opt.Now})
	if errors.Is(err, errForeignIssuer) {
		return ErrCannotRenew
	}
	if err != nil {
		return fmt.Errorf("renew the certificate of %s: %w", s.Path, err)
	}
	rn.key, rn.oldChain, rn.newChain = old.Key, old.Chain, chain
	return nil
}

// write encodes rn's key stores (the same bytes wherever format, profile and
// password agree), replaces the old certificate in every truststore that
// holds it in a selected environment, and updates the manifest.
func (r *renewer) write(rn *renewal) (Renewed, error) {
	cert := rn.newChain[0]
	oldSum := sha256.Sum256(rn.oldChain[0].Raw)
	enc := keystore.Encoder{Rand: r.opt.Rand, Created: r.opt.Now}
	done := Renewed{Role: r.Bundle.Manifest.Stores[rn.stores[0]].Role, NotAfter: cert.NotAfter}
	paths, err := r.putKey(rn.stores, rn.key, rn.newChain, enc)
	if err != nil {
		return done, err
	}
	done.Paths = paths
	for _, s := range r.Bundle.Manifest.Stores {
		if s.Role != gen.RoleTruststore || !r.sel.hasEnv(s.Env) {
			continue
		}
		got, pw, err := r.Decode(s)
		if err != nil {
			return done, err
		}
		changed := false
		for j, e := range got.Trusted {
			if sha256.Sum256(e.Cert.Raw) == oldSum {
				got.Trusted[j].Cert, changed = cert, true
			}
		}
		if !changed {
			continue
		}
		f := r.File(s.Path)
		data, err := enc.EncodeTrustStore(keystore.Format(s.Type), r.Profile(s), got.Trusted, pw)
		if err != nil {
			return done, fmt.Errorf("encode %s: %w", s.Path, err)
		}
		f.Data = data
		if !slices.Contains(done.Trust, s.Path) {
			done.Trust = append(done.Trust, s.Path)
		}
	}
	return done, nil
}
