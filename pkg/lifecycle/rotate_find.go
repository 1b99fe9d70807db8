package lifecycle

import (
	"crypto/sha256"
	"crypto/x509"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/gen"
	"github.com/wso2ks/wso2ks/pkg/keystore"
)

// rotation is one environment's tls certificate: every key store that holds
// it, its key entry, and the truststores that trust it under which alias.
type rotation struct {
	env    string
	stores []int             // indexes into Manifest.Stores
	old    keystore.KeyEntry // rotate only
	trust  map[int]string    // truststore index → alias of the certificate
}

// openRotation reads the bundle and finds opt.Product's tls certificate in
// each environment asked for, with every key store and truststore holding
// it. An unknown product or environment is a gen.ErrInput.
func openRotation(dir string, opt RotateOptions) (*editor, []*rotation, error) {
	st, err := openEditor(dir)
	if err != nil {
		return nil, nil, err
	}
	m := st.Bundle.Manifest
	manifest := filepath.Join(dir, bundle.ManifestName)
	if err := m.CheckSelection(manifest, opt.Envs, []string{opt.Product}); err != nil {
		return nil, nil, err
	}
	_, _, pairs := m.Names()
	var with []string
	for _, s := range m.Stores {
		if s.Product == opt.Product && s.Role == gen.RoleTLS {
			with = gen.AppendNew(with, s.Env)
		}
	}
	if len(with) == 0 {
		return nil, nil, rotateInput("%s: product %q has no tls store; regenerate the bundle with 'wso2ks generate'", manifest, opt.Product)
	}
	for _, e := range opt.Envs {
		switch {
		case !slices.Contains(pairs, e+"/"+opt.Product):
			return nil, nil, gen.NoPair(manifest, e, opt.Product, pairs)
		case !slices.Contains(with, e):
			return nil, nil, rotateInput("%s: product %q has no tls store in environment %q; give --env one of: %s", manifest, opt.Product, e, strings.Join(with, ", "))
		}
	}
	var rots []*rotation
	for _, env := range with {
		if len(opt.Envs) > 0 && !slices.Contains(opt.Envs, env) {
			continue
		}
		rt := &rotation{env: env, trust: map[int]string{}}
		i := slices.IndexFunc(m.Stores, func(s bundle.ManifestStore) bool {
			return s.Env == env && s.Product == opt.Product && s.Role == gen.RoleTLS
		})
		sum := m.Stores[i].SHA256
		for j, s := range m.Stores {
			if s.Env == env && s.Role != gen.RoleTruststore && s.SHA256 == sum {
				rt.stores = append(rt.stores, j)
			}
		}
		for j, s := range m.Stores {
			if s.Env != env || s.Role != gen.RoleTruststore {
				continue
			}
			got, _, err := st.Decode(s)
			if err != nil {
				return nil, nil, err
			}
			for _, e := range got.Trusted {
				if fingerprint(e.Cert) == sum {
					rt.trust[j] = e.Alias
				}
			}
		}
		rots = append(rots, rt)
	}
	return st, rots, nil
}

// caAlias is the truststore alias of env's CA, or "" when it has none.
func (st *editor) caAlias(env string) string {
	for _, ca := range st.Bundle.Manifest.CAs {
		if ca.Env == env {
			return ca.Alias
		}
	}
	return ""
}

// Command is the command line that rotates opt's stores of the bundle at
// dir (add --finish to finish).
func (opt RotateOptions) Command(dir string) string {
	cmd := "wso2ks rotate " + dir + " --product " + opt.Product
	for _, e := range opt.Envs {
		cmd += " --env " + e
	}
	return cmd
}

func rotateInput(format string, args ...any) error {
	return &gen.InputError{Msg: fmt.Sprintf(format, args...)}
}

func fingerprint(c *x509.Certificate) string {
	sum := sha256.Sum256(c.Raw)
	return fmt.Sprintf("%x", sum)
}

// previousSuffix marks the truststore alias of a certificate being rotated
// out ('wso2ks rotate'): "<product>-tls-previous" stays trusted beside the
// new "<product>-tls" until 'wso2ks rotate --finish' removes it. A bundle
// with such an entry has a rotation in progress.
const previousSuffix = "-previous"

// checkNoRotation refuses a bundle whose truststores in env (in every
// environment when env is "") still trust a tls certificate being rotated
// out: rebuilding or re-trusting them now would end the overlap a rolling
// restart relies on. It names the command that finishes the rotation.
func checkNoRotation(dir string, m bundle.Manifest, env string) error {
	for _, s := range m.Stores {
		if s.Role != gen.RoleTruststore || (env != "" && s.Env != env) {
			continue
		}
		for _, e := range s.Entries {
			if !strings.HasSuffix(e, previousSuffix) {
				continue
			}
			product := strings.TrimSuffix(strings.TrimSuffix(e, previousSuffix), "-"+gen.RoleTLS)
			if i := slices.IndexFunc(m.Stores, func(t bundle.ManifestStore) bool { return t.Env == s.Env && t.Role == gen.RoleTLS }); product == gen.SharedTLSOwner && i >= 0 {
				product = m.Stores[i].Product // a shared tls store: any of its products names it
			}
			return bundle.Errorf("%s holds %s: a tls rotation is in progress; finish it first with 'wso2ks rotate %s --product %s --env %s --finish'",
				filepath.Join(dir, s.Path), e, dir, product, s.Env)
		}
	}
	return nil
}
