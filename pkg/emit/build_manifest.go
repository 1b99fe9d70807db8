package emit

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"time"

	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/gen"
)

func manifestStore(env string, p *gen.Product, s *gen.Store, cert *x509.Certificate) bundle.ManifestStore {
	m := bundle.ManifestStore{Env: env, Product: p.Name, Kind: string(p.Kind), Version: p.Version, Role: s.Role, Path: s.Path, Type: s.Type}
	if cert != nil {
		sum := sha256.Sum256(cert.Raw)
		m.Alias, m.Subject, m.SANs, m.Key = s.Alias, cert.Subject.String(), s.SANs, s.Key
		m.NotBefore = cert.NotBefore.UTC().Format(time.RFC3339)
		m.NotAfter = cert.NotAfter.UTC().Format(time.RFC3339)
		m.SHA256 = hex.EncodeToString(sum[:])
	}
	for _, e := range s.Entries {
		m.Entries = append(m.Entries, e.Alias)
	}
	return m
}

func manifestCA(env string, ca *gen.CA, cert *x509.Certificate) bundle.ManifestStore {
	sum := sha256.Sum256(cert.Raw)
	return bundle.ManifestStore{Env: env, Role: gen.RoleCA, Path: ca.CertPath, Type: "PEM", Alias: ca.Alias,
		Subject: cert.Subject.String(), Key: ca.Key, NotBefore: cert.NotBefore.UTC().Format(time.RFC3339),
		NotAfter: cert.NotAfter.UTC().Format(time.RFC3339), SHA256: hex.EncodeToString(sum[:])}
}
