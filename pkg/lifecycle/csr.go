package lifecycle

import (
	"fmt"
	"io"
	"path"
	"path/filepath"
	"slices"

	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/certs"
	"github.com/wso2ks/wso2ks/pkg/gen"
)

// csrName is the file 'wso2ks csr' writes in a product's directory of the
// bundle, beside deployment.snippet.toml: <env>/<product>/tls.csr.
const csrName = "tls.csr"

// csrFileMode is for the requests: a CSR holds only public data (subject,
// names, public key) and is meant to be sent to a CA, so others may read it;
// the bundle's directories (0700) still keep it from other users.
const csrFileMode = 0o644

// CSROptions are the inputs of CSR: the random source (ECDSA signatures)
// and the environments and products to make requests for (all when empty).
type CSROptions struct {
	Rand     io.Reader
	Envs     []string
	Products []string
}

// Request is one certificate signing request CSR wrote.
type Request struct {
	Path     string   // relative to the bundle directory
	Store    string   // the tls store whose key signed it
	SharedBy []string // the products sharing that tls store, when several
	SANs     []string
}

// CSR reads the bundle at dir and makes a PKCS#10 request for each tls
// store of the selected environments and products: the subject and SANs of
// its certificate, signed with its key, which stays in the store. A tls
// store shared by several products gets one request, in the directory of
// the first of them. It returns the bundle with the requests added (an
// earlier request replaced) for Write, and the requests.
func CSR(dir string, opt CSROptions) (*bundle.Bundle, []Request, error) {
	st, err := openEditor(dir)
	if err != nil {
		return nil, nil, err
	}
	if err := st.Bundle.Manifest.CheckSelection(filepath.Join(dir, bundle.ManifestName), opt.Envs, opt.Products); err != nil {
		return nil, nil, err
	}
	var out []Request
	byCert := map[string]int{} // env|sha256 → index into out
	for _, s := range st.Bundle.Manifest.Stores {
		if s.Role != gen.RoleTLS || (len(opt.Envs) > 0 && !slices.Contains(opt.Envs, s.Env)) {
			continue
		}
		id := s.Env + "|" + s.SHA256
		if i, ok := byCert[id]; ok {
			out[i].SharedBy = append(out[i].SharedBy, s.Product)
			continue
		}
		byCert[id] = len(out)
		out = append(out, Request{Path: path.Join(s.Env, s.Product, csrName), Store: s.Path, SharedBy: []string{s.Product}, SANs: s.SANs})
	}
	var picked []Request
	for _, r := range out {
		if len(opt.Products) > 0 && !slices.ContainsFunc(r.SharedBy, func(p string) bool { return slices.Contains(opt.Products, p) }) {
			continue
		}
		data, err := st.request(r.Store, opt.Rand)
		if err != nil {
			return nil, nil, err
		}
		st.Put(bundle.File{Path: r.Path, Data: data, Mode: csrFileMode})
		if len(r.SharedBy) == 1 {
			r.SharedBy = nil
		}
		picked = append(picked, r)
	}
	return st.Bundle, picked, nil
}

// request makes the request of the tls store at storePath.
func (st *editor) request(storePath string, rand io.Reader) ([]byte, error) {
	s := st.store(storePath)
	key, err := st.keyEntry(s)
	if err != nil {
		return nil, err
	}
	data, err := certs.CSR(rand, key.Chain[0].RawSubject, s.SANs, key.Key)
	if err != nil {
		return nil, fmt.Errorf("make the request for %s: %w", s.Path, err)
	}
	return data, nil
}

// store returns the manifest entry of the store at p.
func (st *editor) store(p string) bundle.ManifestStore {
	i := slices.IndexFunc(st.Bundle.Manifest.Stores, func(s bundle.ManifestStore) bool { return s.Path == p })
	return st.Bundle.Manifest.Stores[i]
}
