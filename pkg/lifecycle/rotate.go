package lifecycle

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"path/filepath"
	"slices"
	"time"

	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/certs"
	"github.com/wso2ks/wso2ks/pkg/keystore"
)

// RotateOptions are the inputs of Rotate and FinishRotation: the injected
// clock and random source (the new key itself always comes from the
// system's secure source, see certs.GenerateKey), the product whose tls key
// rotates, and the environments (none: every one that has the product).
type RotateOptions struct {
	Now     time.Time
	Rand    io.Reader
	Product string
	Envs    []string
}

// Rotated is what a rotation, or its finish, changed in one environment.
type Rotated struct {
	Env      string
	Key      string    // the new key's type (rotate only)
	NotAfter time.Time // the new certificate's (rotate only)
	Stores   []string  // tls stores that got the new key, in manifest order
	Trust    []string  // truststores that gained (rotate) or lost (finish) Previous
	Alias    string    // the truststore alias of the tls certificate
	Previous string    // Alias + "-previous"
	// CA is the alias under which the truststores trust the CA that signed
	// the old and the new certificate: with it there is nothing to overlap.
	CA string
}

// Rotate reads the bundle at dir and gives opt.Product's tls store a new key
// in each environment: a key of the manifest's type, its certificate issued
// as the old one was (self-signed, or by the environment's internal CA) with
// the same subject, SANs, usages and validity length. Every key store
// holding the old certificate (a shared tls store) gets the same new entry;
// every truststore that trusted the old certificate under an alias keeps it
// under alias+"-previous" and trusts the new one under the alias. The
// manifest follows; passwords do not change. It returns the new bundle for
// Write. A pending rotation, or a certificate wso2ks did not issue, is a
// gen.ErrInput and nothing is returned.
func Rotate(dir string, opt RotateOptions) (*bundle.Bundle, []Rotated, error) {
	st, rots, err := openRotation(dir, opt)
	if err != nil {
		return nil, nil, err
	}
	for _, rt := range rots {
		s := st.Bundle.Manifest.Stores[rt.stores[0]]
		if rt.old, err = st.keyEntry(s); err != nil {
			return nil, nil, err
		}
		for _, i := range slices.Sorted(maps.Keys(rt.trust)) {
			ts, alias := st.Bundle.Manifest.Stores[i], rt.trust[i]
			if got, _, err := st.Decode(ts); err != nil {
				return nil, nil, err
			} else if slices.ContainsFunc(got.Trusted, func(e keystore.TrustedCert) bool { return e.Alias == alias+previousSuffix }) {
				return nil, nil, rotateInput("a tls rotation is pending in environment %q: %s still trusts the old certificate as %s; finish it first with '%s --finish'",
					rt.env, filepath.Join(dir, ts.Path), alias+previousSuffix, opt.Command(dir))
			}
		}
	}
	enc := keystore.Encoder{Rand: opt.Rand, Created: opt.Now}
	var out []Rotated
	for _, rt := range rots {
		s := st.Bundle.Manifest.Stores[rt.stores[0]]
		key, err := certs.GenerateKey(s.Key)
		if err != nil {
			return nil, nil, bundle.Errorf("%s: store %s: %v", bundle.ManifestName, s.Path, err)
		}
		chain, err := st.issueLike(s, rt.old.Chain, key, certs.Issuer{Rand: opt.Rand, Now: opt.Now})
		if errors.Is(err, errForeignIssuer) {
			return nil, nil, rotateInput("%s: the tls certificate is signed by a CA whose key is not in the bundle, so wso2ks cannot sign one for a new key; "+
				"make a request with 'wso2ks csr' and install the signed certificate with 'wso2ks import-cert'", filepath.Join(dir, s.Path))
		}
		if err != nil {
			return nil, nil, fmt.Errorf("issue the new tls certificate of %s: %w", s.Path, err)
		}
		done := Rotated{Env: rt.env, Key: s.Key, NotAfter: chain[0].NotAfter}
		if done.Stores, err = st.putKey(rt.stores, key, chain, enc); err != nil {
			return nil, nil, err
		}
		for _, i := range slices.Sorted(maps.Keys(rt.trust)) {
			done.Alias, done.Previous = rt.trust[i], rt.trust[i]+previousSuffix
			if err := st.retrust(i, enc, func(e []keystore.TrustedCert) []keystore.TrustedCert {
				j := slices.IndexFunc(e, func(e keystore.TrustedCert) bool { return e.Alias == done.Alias })
				e[j].Cert = chain[0]
				return slices.Insert(e, j+1, keystore.TrustedCert{Alias: done.Previous, Cert: rt.old.Chain[0]})
			}); err != nil {
				return nil, nil, err
			}
			done.Trust = append(done.Trust, st.Bundle.Manifest.Stores[i].Path)
		}
		if len(rt.trust) == 0 {
			done.CA = st.caAlias(rt.env)
		}
		out = append(out, done)
	}
	if err := st.Seal(); err != nil {
		return nil, nil, err
	}
	return st.Bundle, out, nil
}

// FinishRotation removes the alias+"-previous" entries that Rotate left
// in opt.Product's environments. It returns nil when there are none, so a
// second finish writes nothing.
func FinishRotation(dir string, opt RotateOptions) (*bundle.Bundle, []Rotated, error) {
	st, rots, err := openRotation(dir, opt)
	if err != nil {
		return nil, nil, err
	}
	enc := keystore.Encoder{Rand: opt.Rand, Created: opt.Now}
	var out []Rotated
	for _, rt := range rots {
		done := Rotated{Env: rt.env}
		for _, i := range slices.Sorted(maps.Keys(rt.trust)) {
			done.Alias, done.Previous = rt.trust[i], rt.trust[i]+previousSuffix
			got, _, err := st.Decode(st.Bundle.Manifest.Stores[i])
			if err != nil {
				return nil, nil, err
			}
			if !slices.ContainsFunc(got.Trusted, func(e keystore.TrustedCert) bool { return e.Alias == done.Previous }) {
				continue
			}
			if err := st.retrust(i, enc, func(e []keystore.TrustedCert) []keystore.TrustedCert {
				return slices.DeleteFunc(e, func(e keystore.TrustedCert) bool { return e.Alias == done.Previous })
			}); err != nil {
				return nil, nil, err
			}
			done.Trust = append(done.Trust, st.Bundle.Manifest.Stores[i].Path)
		}
		if len(done.Trust) > 0 {
			out = append(out, done)
		}
	}
	if len(out) == 0 {
		return nil, nil, nil
	}
	if err := st.Seal(); err != nil {
		return nil, nil, err
	}
	return st.Bundle, out, nil
}
