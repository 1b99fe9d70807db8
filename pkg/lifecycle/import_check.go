package lifecycle

import (
	"crypto/x509"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/certs"
	"github.com/wso2ks/wso2ks/pkg/gen"
)

// inputError is a mistake in file (the chain, or the manifest it is for): exit 2, printed as the
// compiler would, the file first.
func inputError(file, format string, args ...any) error {
	return &gen.InputError{File: file, Msg: fmt.Sprintf(format, args...)}
}

// tlsStoreOf finds the tls store of product in env; env may be empty when
// the product is in one environment only.
func (st *editor) tlsStoreOf(dir, env, product string) (bundle.ManifestStore, error) {
	manifest := filepath.Join(dir, bundle.ManifestName)
	var envs, products []string
	if env != "" {
		envs = []string{env}
	}
	if err := st.Bundle.Manifest.CheckSelection(manifest, envs, []string{product}); err != nil {
		return bundle.ManifestStore{}, err
	}
	var found []bundle.ManifestStore
	for _, s := range st.Bundle.Manifest.Stores {
		if s.Role != gen.RoleTLS || (env != "" && s.Env != env) {
			continue
		}
		if !slices.Contains(products, s.Product) {
			products = append(products, s.Product)
		}
		if s.Product == product {
			found = append(found, s)
		}
	}
	switch {
	case len(found) == 0 && env != "":
		return bundle.ManifestStore{}, inputError(manifest, "product %q has no tls store of its own in environment %q; give --product one of the products with one: %s", product, env, strings.Join(products, ", "))
	case len(found) == 0:
		return bundle.ManifestStore{}, inputError(manifest, "product %q has no tls store of its own; give --product one of the products with one: %s", product, strings.Join(products, ", "))
	case len(found) > 1:
		var in []string
		for _, s := range found {
			in = append(in, s.Env)
		}
		return bundle.ManifestStore{}, gen.Several(manifest, fmt.Sprintf("product %q is in several environments", product), "--env", in)
	}
	return found[0], nil
}

// parseChain reads the PEM certificates of file, in order. Anything else
// in PEM (a key, a request) is refused, so that no secret is taken in by
// mistake; text around the blocks (openssl's subject and issuer lines) is
// ignored.
func parseChain(file string, data []byte) ([]*x509.Certificate, error) {
	chain, err := certs.ParsePEMCertificates(data, certs.MaxChainLength, true)
	var pe *certs.PEMError
	switch {
	case errors.As(err, &pe) && pe.Type != "":
		return nil, inputError(file, "holds a PEM %q block; give only the certificates the CA returned (BEGIN CERTIFICATE), leaf first", pe.Type)
	case errors.As(err, &pe) && pe.TooMany:
		return nil, inputError(file, "holds more than the %d certificates a chain may have (Java refuses longer ones); give the leaf, its intermediates and the root", certs.MaxChainLength)
	case errors.As(err, &pe):
		return nil, inputError(file, "certificate %d does not parse (%s); give the PEM chain the CA returned", pe.N, pe.Reason())
	case err != nil:
		return nil, err
	}
	if len(chain) == 0 {
		return nil, inputError(file, "holds no PEM certificate; give the chain the CA returned in PEM (BEGIN CERTIFICATE), leaf first (DER: convert it with 'openssl x509 -inform der')")
	}
	return chain, nil
}

// uncovered returns the planned names of tls store s the certificate does
// not cover. localhost is not asked for: a public CA never signs it.
func uncovered(s bundle.ManifestStore, leaf *x509.Certificate) []string {
	var missing []string
	for _, n := range s.SANs {
		if n != "localhost" && leaf.VerifyHostname(n) != nil {
			missing = append(missing, n)
		}
	}
	return missing
}

// trustedCerts returns the certificates truststore s holds.
func (st *editor) trustedCerts(s bundle.ManifestStore) ([]*x509.Certificate, error) {
	got, _, err := st.Decode(s)
	if err != nil {
		return nil, err
	}
	var out []*x509.Certificate
	for _, e := range got.Trusted {
		out = append(out, e.Cert)
	}
	return out, nil
}

// truststoreOf returns the truststore of product in env.
func (st *editor) truststoreOf(env, product string) (bundle.ManifestStore, bool) {
	i := slices.IndexFunc(st.Bundle.Manifest.Stores, func(s bundle.ManifestStore) bool {
		return s.Env == env && s.Product == product && s.Role == gen.RoleTruststore
	})
	if i < 0 {
		return bundle.ManifestStore{}, false
	}
	return st.Bundle.Manifest.Stores[i], true
}
