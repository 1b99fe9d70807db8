package emit

import (
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"syscall"
	"time"

	"github.com/wso2ks/wso2ks/pkg/certs"
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
func (pr *Prior) readCA(env string, get func(string) ([]byte, bool)) error {
	certRel, keyRel := caFiles(env)
	certPEM, hasCert := get(certRel)
	keyPEM, hasKey := get(keyRel)
	certFile, keyFile := filepath.Join(pr.Dir, certRel), filepath.Join(pr.Dir, keyRel)
	switch {
	case !hasCert && !hasKey:
		return nil
	case !hasCert:
		return badBundle("%s is missing beside %s%s", certFile, keyFile, caFix(pr.Dir, env))
	}
	block, _ := pem.Decode(certPEM)
	if block == nil || block.Type != "CERTIFICATE" {
		return badBundle("%s holds no PEM certificate%s", certFile, caFix(pr.Dir, env))
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return badBundle("%s: %v%s", certFile, err, caFix(pr.Dir, env))
	}
	pr.signers[env] = cert
	if !hasKey {
		return nil // an external CA's chain: its key stays with its owner
	}
	key, err := certs.ParseKeyPEM(keyPEM, nil)
	if err != nil {
		return badBundle("%s: %v%s", keyFile, err, caFix(pr.Dir, env))
	}
	if pub, ok := key.Public().(interface{ Equal(crypto.PublicKey) bool }); !ok || !pub.Equal(cert.PublicKey) {
		return badBundle("%s does not match %s%s", keyFile, certFile, caFix(pr.Dir, env))
	}
	if !cert.IsCA {
		return badBundle("%s is not a CA certificate%s", certFile, caFix(pr.Dir, env))
	}
	pr.cas[env] = &priorCA{cert: cert, key: key, certPEM: certPEM, keyPEM: keyPEM}
	return nil
}

// ReadPriorCAs reads, for 'generate --force', the internal CA of each
// environment of plan that dir already holds, so that the new bundle keeps
// it. Everything else in dir is replaced.
func ReadPriorCAs(dir string, plan *gen.Plan) (*Prior, error) {
	pr := &Prior{Dir: dir, cas: map[string]*priorCA{}, signers: map[string]*x509.Certificate{}}
	var ioErr error
	get := func(rel string) ([]byte, bool) {
		full := filepath.Join(dir, filepath.FromSlash(rel))
		st, err := os.Lstat(full)
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
			return nil, false // no CA here; Write judges the directory
		}
		if err == nil && !st.Mode().IsRegular() {
			err = badBundle("%s is not a regular file%s", full, caFix(dir, envOf(rel)))
		}
		var data []byte
		if err == nil {
			data, err = os.ReadFile(full)
		}
		if err != nil && ioErr == nil {
			ioErr = err
		}
		return data, err == nil
	}
	for _, env := range plan.Environments {
		if env.CA == nil || env.CA.External() != nil {
			continue
		}
		if err := pr.readCA(env.Name, get); err != nil {
			return nil, err
		}
		if ioErr != nil {
			return nil, ioErr
		}
	}
	return pr, nil
}

// checkCAUsable refuses to sign with a reused CA that has expired.
func (pr *Prior) checkCAUsable(env string, now time.Time) error {
	ca := pr.cas[env]
	if ca == nil || now.Before(ca.cert.NotAfter) {
		return nil
	}
	certRel, _ := caFiles(env)
	return badBundle("%s expired on %s%s", filepath.Join(pr.Dir, certRel), ca.cert.NotAfter.UTC().Format(time.RFC3339), caFix(pr.Dir, env))
}
