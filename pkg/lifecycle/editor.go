package lifecycle

import (
	"bytes"
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"path"
	"time"

	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/certs"
	"github.com/wso2ks/wso2ks/pkg/emit"
	"github.com/wso2ks/wso2ks/pkg/keystore"
)

// Changing the stores of a bundle read back (renew, rotate, import-cert):
// a key store's one entry out, a certificate issued again the way the old
// one was, key stores and truststores written back with the manifest.

// editor changes the stores of a bundle read back: renew, rotate, csr and
// import-cert.
type editor struct{ *bundle.State }

// openEditor reads the bundle at dir, every file of it, to be changed.
func openEditor(dir string) (*editor, error) {
	st, err := bundle.Open(dir)
	if err != nil {
		return nil, err
	}
	return &editor{st}, nil
}

// errForeignIssuer marks a certificate that is neither self-signed nor
// signed by the bundle's internal CA: wso2ks holds no key to issue it again.
var errForeignIssuer = errors.New("issued by a CA whose key is not in the bundle")

// keyEntry opens key store s and returns its one key entry, checking that
// its certificate is the one the manifest names.
func (st *editor) keyEntry(s bundle.ManifestStore) (keystore.KeyEntry, error) {
	got, _, err := st.Decode(s)
	if err != nil {
		return keystore.KeyEntry{}, err
	}
	if len(got.Keys) != 1 {
		return keystore.KeyEntry{}, bundle.Errorf("%s holds %d key entries, want 1", s.Path, len(got.Keys))
	}
	if sum := sha256.Sum256(got.Keys[0].Chain[0].Raw); hex.EncodeToString(sum[:]) != s.SHA256 {
		return keystore.KeyEntry{}, bundle.Errorf("%s: its certificate is not the one %s names (sha256 %s)", s.Path, bundle.ManifestName, s.SHA256)
	}
	return got.Keys[0], nil
}

// issueLike issues the certificate of key store s for key, with the subject
// of oldChain's leaf, the manifest's SANs, the role's usages and the old
// validity length (not_after − not_before), the way the old one was issued:
// self-signed again, or signed again by the environment's internal CA (the
// chain keeps the CA). Any other issuer is an errForeignIssuer.
func (st *editor) issueLike(s bundle.ManifestStore, oldChain []*x509.Certificate, key crypto.Signer, issuer certs.Issuer) ([]*x509.Certificate, error) {
	notBefore, err1 := time.Parse(time.RFC3339, s.NotBefore)
	notAfter, err2 := time.Parse(time.RFC3339, s.NotAfter)
	if err := errors.Join(err1, err2); err != nil {
		return nil, bundle.Errorf("%s: store %s: %v", bundle.ManifestName, s.Path, err)
	}
	leaf := oldChain[0]
	req := certs.Request{Subject: leaf.Subject, SANs: s.SANs,
		ValidityDays: int(notAfter.Sub(notBefore).Round(24*time.Hour) / (24 * time.Hour)), Usage: emit.Usage(s.Role)}
	caCert, caKey, err := st.internalCA(s.Env)
	if err != nil {
		return nil, err
	}
	switch {
	case bytes.Equal(leaf.RawIssuer, leaf.RawSubject) && leaf.CheckSignature(leaf.SignatureAlgorithm, leaf.RawTBSCertificate, leaf.Signature) == nil:
		cert, err := issuer.SelfSigned(req, key)
		if err != nil {
			return nil, err
		}
		return []*x509.Certificate{cert}, nil
	case caKey != nil && leaf.CheckSignatureFrom(caCert) == nil:
		cert, err := issuer.Signed(req, key, caCert, caKey)
		if err != nil {
			return nil, err
		}
		return append([]*x509.Certificate{cert}, oldChain[1:]...), nil
	}
	return nil, errForeignIssuer
}

// putKey writes the key entry (key, chain) into the key stores at indexes
// idx of the manifest, each under its alias, password and format (the same
// bytes wherever those and the PKCS#12 profile agree), and updates their
// subject, not_before, not_after and sha256. It returns their paths.
func (st *editor) putKey(idx []int, key crypto.Signer, chain []*x509.Certificate, enc keystore.Encoder) ([]string, error) {
	cert := chain[0]
	sum := sha256.Sum256(cert.Raw)
	encoded := map[string][]byte{}
	var paths []string
	for _, i := range idx {
		s := &st.Bundle.Manifest.Stores[i]
		pw, err := st.Password(*s)
		if err != nil {
			return nil, err
		}
		profile := st.Profile(*s)
		id := s.Type + "|" + string(profile) + "|" + s.Alias + "|" + pw
		if encoded[id] == nil {
			data, err := enc.EncodeKeyStore(keystore.Format(s.Type), profile, keystore.KeyEntry{Alias: s.Alias, Key: key, Chain: chain}, pw)
			if err != nil {
				return nil, fmt.Errorf("encode %s: %w", s.Path, err)
			}
			encoded[id] = data
		}
		st.File(s.Path).Data = encoded[id]
		s.Subject = cert.Subject.String()
		s.NotBefore = cert.NotBefore.UTC().Format(time.RFC3339)
		s.NotAfter = cert.NotAfter.UTC().Format(time.RFC3339)
		s.SHA256 = hex.EncodeToString(sum[:])
		paths = append(paths, s.Path)
	}
	return paths, nil
}

// retrust rewrites truststore i with edit applied to its entries.
func (st *editor) retrust(i int, enc keystore.Encoder, edit func([]keystore.TrustedCert) []keystore.TrustedCert) error {
	got, pw, err := st.Decode(st.Bundle.Manifest.Stores[i])
	if err != nil {
		return err
	}
	return st.putTrust(i, enc, edit(got.Trusted), pw)
}

// putTrust writes entries into truststore i with its password, format and
// PKCS#12 profile, and the manifest lists them in the store's order.
func (st *editor) putTrust(i int, enc keystore.Encoder, entries []keystore.TrustedCert, password string) error {
	s := &st.Bundle.Manifest.Stores[i]
	data, err := enc.EncodeTrustStore(keystore.Format(s.Type), st.Profile(*s), entries, password)
	if err != nil {
		return fmt.Errorf("encode %s: %w", s.Path, err)
	}
	st.File(s.Path).Data = data
	s.Entries = s.Entries[:0]
	for _, e := range entries {
		s.Entries = append(s.Entries, e.Alias)
	}
	return nil
}

// internalCA returns env's internal CA, or nils when it has none (no CA,
// or an external CA whose key is not in the bundle).
func (st *editor) internalCA(env string) (*x509.Certificate, crypto.Signer, error) {
	for _, ca := range st.Bundle.Manifest.CAs {
		if ca.Env != env {
			continue
		}
		keyFile, certFile := st.File(path.Join(path.Dir(ca.Path), "ca.key")), st.File(ca.Path)
		if keyFile == nil || certFile == nil {
			return nil, nil, nil
		}
		block, _ := pem.Decode(certFile.Data)
		if block == nil {
			return nil, nil, bundle.Errorf("%s holds no PEM certificate", ca.Path)
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", ca.Path, err)
		}
		key, err := certs.ParseKeyPEM(keyFile.Data, nil)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", keyFile.Path, err)
		}
		return cert, key, nil
	}
	return nil, nil, nil
}
