package lifecycle

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/certs"
	"github.com/wso2ks/wso2ks/pkg/gen"
	"github.com/wso2ks/wso2ks/pkg/keystore"
)

// ImportOptions are the inputs of ImportCert: the injected clock and random
// source, the tls store (product, and env when the product is in several
// environments) and the chain a CA returned, with its file name for errors.
type ImportOptions struct {
	Now       time.Time
	Rand      io.Reader
	Env       string
	Product   string
	ChainFile string
	Chain     []byte
}

// Imported is what ImportCert installed and where.
type Imported struct {
	Env       string
	Subject   string
	NotAfter  time.Time
	Paths     []string // tls stores that got the chain
	Trust     []string // truststores changed
	RootAlias string   // the alias the root was added under; empty when every truststore held it
}

// ImportCert reads the bundle at dir and installs the chain a CA signed for
// the key of product's tls store, after checking that the leaf is for that
// key, that the chain is complete and valid at opt.Now (ending in a
// self-signed root, or at a certificate the product's truststore trusts),
// that the leaf is for TLS servers and covers the store's planned names
// (except localhost), and that every key is strong enough. Every tls store
// holding the old certificate gets [leaf, intermediates…, root] under the
// same alias and password; every truststore of the environment drops the old
// certificate and trusts the root; the manifest follows. It returns the whole
// new bundle for Write, or a nil bundle when the chain is already installed.
func ImportCert(dir string, opt ImportOptions) (*bundle.Bundle, *Imported, error) {
	st, err := openEditor(dir)
	if err != nil {
		return nil, nil, err
	}
	s, err := st.tlsStoreOf(dir, opt.Env, opt.Product)
	if err != nil {
		return nil, nil, err
	}
	if err := checkNoRotation(dir, st.Bundle.Manifest, s.Env); err != nil {
		return nil, nil, err
	}
	chain, err := parseChain(opt.ChainFile, opt.Chain)
	if err != nil {
		return nil, nil, err
	}
	old, err := st.keyEntry(s)
	if err != nil {
		return nil, nil, err
	}
	storeFile := filepath.Join(dir, s.Path)
	if !certs.SamePublicKey(chain[0].PublicKey, old.Key.Public()) {
		return nil, nil, inputError(opt.ChainFile, "the certificate is not for the key of %s; have the CA sign the request 'wso2ks csr' wrote", storeFile)
	}
	var anchors []*x509.Certificate
	if ts, ok := st.truststoreOf(s.Env, s.Product); ok {
		if anchors, err = st.trustedCerts(ts); err != nil {
			return nil, nil, err
		}
	}
	full, err := certs.CheckChain(chain, anchors, opt.Now)
	if err != nil {
		return nil, nil, inputError(opt.ChainFile, "%v", err)
	}
	if missing := uncovered(s, full[0]); len(missing) > 0 {
		return nil, nil, inputError(opt.ChainFile, "the certificate does not cover %s, planned for %s; have the CA sign the request 'wso2ks csr' wrote, which names them all",
			strings.Join(missing, ", "), storeFile)
	}
	done := &Imported{Env: s.Env, Subject: full[0].Subject.String(), NotAfter: full[0].NotAfter}
	if slices.EqualFunc(old.Chain, full, (*x509.Certificate).Equal) {
		return nil, done, nil
	}
	im := &importer{editor: st, opt: opt, key: old, chain: full}
	if err := im.keyStores(s, done); err != nil {
		return nil, nil, err
	}
	if err := im.truststores(s, done); err != nil {
		return nil, nil, err
	}
	if err := st.Seal(); err != nil {
		return nil, nil, err
	}
	return st.Bundle, done, nil
}

type importer struct {
	*editor
	opt   ImportOptions
	key   keystore.KeyEntry   // the tls key with its old chain
	chain []*x509.Certificate // leaf to root
}

// keyStores writes the new chain into every tls store of s's environment
// that holds the old certificate (a shared tls store) and updates their
// manifest entries.
func (im *importer) keyStores(s bundle.ManifestStore, done *Imported) error {
	var idx []int
	for i, m := range im.Bundle.Manifest.Stores {
		if m.Env == s.Env && m.Role == gen.RoleTLS && m.SHA256 == s.SHA256 {
			idx = append(idx, i)
		}
	}
	paths, err := im.putKey(idx, im.key.Key, im.chain, keystore.Encoder{Rand: im.opt.Rand, Created: im.opt.Now})
	done.Paths = append(done.Paths, paths...)
	return err
}

// truststores makes every truststore of s's environment trust the root
// instead of the old certificate: the entry holding the old certificate
// goes, and the root is added unless the store already holds it (a public
// CA, a corporate root in extra_trusted, an earlier import). The root's
// alias is the old entry's alias with "-ca" ("iam-tls-ca", "shared-tls-ca"),
// or "<product>-tls-ca" when no truststore held the old certificate (an
// internal CA's, trusted through <env>-ca, which stays).
func (im *importer) truststores(s bundle.ManifestStore, done *Imported) error {
	oldSum := sha256.Sum256(im.key.Chain[0].Raw)
	root := im.chain[len(im.chain)-1]
	type decoded struct {
		i   int
		got *keystore.DecodedStore
		pw  string
	}
	var stores []decoded
	alias := im.opt.Product + "-" + gen.RoleTLS + "-ca"
	for i := range im.Bundle.Manifest.Stores {
		m := &im.Bundle.Manifest.Stores[i]
		if m.Env != s.Env || m.Role != gen.RoleTruststore {
			continue
		}
		got, pw, err := im.Decode(*m)
		if err != nil {
			return err
		}
		for _, e := range got.Trusted {
			if sha256.Sum256(e.Cert.Raw) == oldSum {
				alias = e.Alias + "-ca"
			}
		}
		stores = append(stores, decoded{i, got, pw})
	}
	enc := keystore.Encoder{Rand: im.opt.Rand, Created: im.opt.Now}
	for _, d := range stores {
		var kept []keystore.TrustedCert
		changed, hasRoot := false, false
		for _, e := range d.got.Trusted {
			switch {
			case sha256.Sum256(e.Cert.Raw) == oldSum:
				changed = true
			case bytes.Equal(e.Cert.Raw, root.Raw):
				hasRoot = true
				kept = append(kept, e)
			default:
				kept = append(kept, e)
			}
		}
		if !hasRoot {
			// An alias of ours holding another root (an earlier import from
			// another CA) is replaced.
			kept = slices.DeleteFunc(kept, func(e keystore.TrustedCert) bool { return e.Alias == alias })
			kept = append(kept, keystore.TrustedCert{Alias: alias, Cert: root})
			slices.SortStableFunc(kept, func(a, b keystore.TrustedCert) int { return strings.Compare(a.Alias, b.Alias) })
			changed, done.RootAlias = true, alias
		}
		if !changed {
			continue
		}
		if err := im.putTrust(d.i, enc, kept, d.pw); err != nil {
			return err
		}
		done.Trust = append(done.Trust, im.Bundle.Manifest.Stores[d.i].Path)
	}
	return nil
}
