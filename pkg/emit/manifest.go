package emit

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"time"

	"github.com/wso2ks/wso2ks/pkg/gen"
)

// Manifest is manifest.json (SPEC §4): what a bundle holds, without
// passwords.
type Manifest struct {
	Stores []ManifestStore `json:"stores"`
	// CAs are the environments' internal CAs ([tls] issuer =
	// "internal-ca"), described like stores with the role "ca"; apart from
	// stores so that readers of stores see only store files.
	CAs []ManifestStore `json:"cas,omitempty"`
}

// ManifestStore describes one store file of a bundle.
type ManifestStore struct {
	Env       string   `json:"env"`
	Product   string   `json:"product,omitempty"`
	Kind      string   `json:"kind,omitempty"`
	Version   string   `json:"version,omitempty"`
	Role      string   `json:"role"`
	Path      string   `json:"path"`
	Type      string   `json:"type"`
	Alias     string   `json:"alias,omitempty"`
	Subject   string   `json:"subject,omitempty"`
	SANs      []string `json:"sans,omitempty"`
	Key       string   `json:"key,omitempty"`
	NotBefore string   `json:"not_before,omitempty"`
	NotAfter  string   `json:"not_after,omitempty"`
	SHA256    string   `json:"sha256,omitempty"`
	Entries   []string `json:"entries,omitempty"`
}

func manifestStore(env string, p *gen.Product, s *gen.Store, cert *x509.Certificate) ManifestStore {
	m := ManifestStore{Env: env, Product: p.Name, Kind: string(p.Kind), Version: p.Version, Role: s.Role, Path: s.Path, Type: s.Type}
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

func manifestCA(env string, ca *gen.CA, cert *x509.Certificate) ManifestStore {
	sum := sha256.Sum256(cert.Raw)
	return ManifestStore{Env: env, Role: gen.RoleCA, Path: ca.CertPath, Type: "PEM", Alias: ca.Alias,
		Subject: cert.Subject.String(), Key: ca.Key, NotBefore: cert.NotBefore.UTC().Format(time.RFC3339),
		NotAfter: cert.NotAfter.UTC().Format(time.RFC3339), SHA256: hex.EncodeToString(sum[:])}
}

func (m *Manifest) encode() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
