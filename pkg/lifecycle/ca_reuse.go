package lifecycle

import (
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"io/fs"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/certs"
	"github.com/wso2ks/wso2ks/pkg/emit"
	"github.com/wso2ks/wso2ks/pkg/gen"
)

// An environment's internal CA is made once and kept: trust distributed
// from it (truststores, clients that imported ca.crt) stays valid when the
// bundle is written again, by 'generate --force' or 'generate --update'.
// A CA that cannot be reused is an error, never a silent new CA.

// caFiles are the paths of an environment's CA files in a bundle.
func caFiles(env string) (cert, key string) {
	dir := path.Join(env, gen.CADir)
	return path.Join(dir, "ca.crt"), path.Join(dir, "ca.key")
}

// caFix is what to do about a CA that cannot be reused.
func caFix(dir, env string) string {
	return "; remove " + filepath.Join(dir, env, gen.CADir) + " to make a new CA (trust in the old one then ends)"
}

// readCA reads env's CA files through get (bundle-relative paths): the
// first certificate of ca.crt becomes a known signer of old leaves, and
// with ca.key beside it the environment has an internal CA to reuse.
func (pr *Prior) readCA(env string, get func(string) ([]byte, bool, error)) error {
	certRel, keyRel := caFiles(env)
	certPEM, hasCert, err := get(certRel)
	if err != nil {
		return err
	}
	keyPEM, hasKey, err := get(keyRel)
	if err != nil {
		return err
	}
	certFile, keyFile := filepath.Join(pr.Dir, certRel), filepath.Join(pr.Dir, keyRel)
	switch {
	case !hasCert && !hasKey:
		return nil
	case !hasCert:
		return bundle.Errorf("%s is missing beside %s%s", certFile, keyFile, caFix(pr.Dir, env))
	}
	block, _ := pem.Decode(certPEM)
	if block == nil || block.Type != "CERTIFICATE" {
		return bundle.Errorf("%s holds no PEM certificate%s", certFile, caFix(pr.Dir, env))
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return bundle.Errorf("%s: the certificate does not parse (%s)%s", certFile, certs.PlainReason(err), caFix(pr.Dir, env))
	}
	pr.signers[env] = cert
	if !hasKey {
		return nil // an external CA's chain: its key stays with its owner
	}
	key, err := certs.ParseKeyPEM(keyPEM, nil)
	if err != nil {
		return bundle.Errorf("%s: %v%s", keyFile, err, caFix(pr.Dir, env))
	}
	if pub, ok := key.Public().(interface{ Equal(crypto.PublicKey) bool }); !ok || !pub.Equal(cert.PublicKey) {
		return bundle.Errorf("%s does not match %s%s", keyFile, certFile, caFix(pr.Dir, env))
	}
	if !cert.IsCA {
		return bundle.Errorf("%s is not a CA certificate%s", certFile, caFix(pr.Dir, env))
	}
	pr.cas[env] = &emit.KeptCA{Cert: cert, Key: key, CertPEM: certPEM, KeyPEM: keyPEM}
	return nil
}

// ReadPriorCAs reads, for 'generate --force', the internal CA of each
// environment of plan that dir already holds, so that the new bundle keeps
// it. Everything else in dir is replaced.
func ReadPriorCAs(dir string, plan *gen.Plan) (*Prior, error) {
	pr := &Prior{Dir: dir, cas: map[string]*emit.KeptCA{}, signers: map[string]*x509.Certificate{}}
	for _, env := range plan.Environments {
		if env.CA == nil || env.CA.External() != nil {
			continue
		}
		if err := pr.readCA(env.Name, pr.readCAFile); err != nil {
			return nil, err
		}
	}
	return pr, nil
}

// readCAFile reads a CA file of the directory, if there is one: a file
// that is there but cannot be read, or is no regular file, is an error
// that names it and the fix.
func (pr *Prior) readCAFile(rel string) ([]byte, bool, error) {
	data, ok, err := bundle.ReadCAFile(pr.Dir, rel)
	switch {
	case errors.Is(err, bundle.ErrBundle):
		return nil, false, bundle.Errorf("%s%s", err, caFix(pr.Dir, envOf(rel)))
	case errors.Is(err, fs.ErrPermission):
		full := filepath.Join(pr.Dir, filepath.FromSlash(rel))
		return nil, false, bundle.Errorf("%s cannot be read (permission denied); give its owner read access (chmod 400)%s", full, strings.Replace(caFix(pr.Dir, envOf(rel)), "; remove", ", or remove", 1))
	}
	return data, ok, err
}

// checkCAUsable refuses to sign with a reused CA that has expired.
func (pr *Prior) checkCAUsable(env string, now time.Time) error {
	ca := pr.cas[env]
	if ca == nil || now.Before(ca.Cert.NotAfter) {
		return nil
	}
	certRel, _ := caFiles(env)
	return bundle.Errorf("%s expired on %s%s", filepath.Join(pr.Dir, certRel), ca.Cert.NotAfter.UTC().Format(time.RFC3339), caFix(pr.Dir, env))
}
