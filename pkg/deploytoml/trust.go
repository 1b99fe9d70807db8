package deploytoml

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/wso2ks/wso2ks/pkg/gen"
	"github.com/wso2ks/wso2ks/pkg/keystore"
)

// What install keeps of a home's truststore: every entry it did not
// write itself, beside the bundle's.

// Why MergeTrust leaves out an entry of the home's truststore.
const (
	dropDefault  = "WSO2's published default certificate, whose private key is in every pack"
	dropReplaced = "the bundle writes another certificate under the alias"
	dropRemoved  = "an earlier wso2ks install wrote it, and the bundle no longer has it"
	dropSame     = "the bundle holds the same certificate under its own alias"
	dropTaken    = "another truststore of the home has the alias for another certificate"
)

// TrustMerge is the truststore install writes into a home.
type TrustMerge struct {
	// Entries are the bundle's entries, then the home's kept ones.
	Entries []keystore.TrustedCert
	// Kept are the aliases of the home's entries kept; Updated those an
	// earlier install wrote whose certificate the bundle replaces.
	Kept, Updated []string
	// Dropped are the home's entries left out, with why (drop…).
	Dropped []DroppedTrust
}

// DroppedTrust is one entry of the home's truststore install leaves out.
type DroppedTrust struct {
	Alias, Reason string
}

// MergeTrust returns the bundle's entries and, after them, every entry of
// home (the entries of the truststores the home's configuration names)
// but WSO2's published default certificate (isDefault), entries whose alias
// the bundle writes, certificates the bundle holds under another alias,
// and entries an earlier install wrote (wrote: alias → SHA-256 of the
// certificate, from the home's InstallRecord) that the bundle no longer
// has. Aliases compare as Java compares them, without case.
func MergeTrust(bundle, home []keystore.TrustedCert, wrote map[string]string, isDefault func(*x509.Certificate) bool) TrustMerge {
	m := TrustMerge{Entries: slices.Clone(bundle)}
	byAlias := map[string]*x509.Certificate{}
	for _, e := range bundle {
		byAlias[strings.ToLower(e.Alias)] = e.Cert
	}
	kept := map[string]*x509.Certificate{}
	for _, e := range home {
		alias := strings.ToLower(e.Alias)
		drop := ""
		switch ours, ok := byAlias[alias]; {
		case ok && ours.Equal(e.Cert):
			continue // the bundle's own entry, written again
		case ok && wrote[alias] == CertSHA256(e.Cert):
			m.Updated = append(m.Updated, e.Alias) // an earlier install's entry, renewed
			continue
		case ok:
			drop = dropReplaced
		case isDefault(e.Cert):
			drop = dropDefault
		case wrote[alias] == CertSHA256(e.Cert):
			drop = dropRemoved
		case slices.ContainsFunc(bundle, func(b keystore.TrustedCert) bool { return b.Cert.Equal(e.Cert) }):
			drop = dropSame
		case kept[alias] != nil && kept[alias].Equal(e.Cert):
			continue // the same entry in the home's other truststore
		case kept[alias] != nil:
			drop = dropTaken
		}
		if drop != "" {
			m.Dropped = append(m.Dropped, DroppedTrust{e.Alias, drop})
			continue
		}
		kept[alias] = e.Cert
		m.Kept = append(m.Kept, e.Alias)
		m.Entries = append(m.Entries, keystore.TrustedCert{Alias: e.Alias, Cert: e.Cert, Kept: true})
	}
	return m
}

// SameTrust reports whether two truststores hold the same entries: the
// same certificate under each alias, in any order.
func SameTrust(a, b []keystore.TrustedCert) bool {
	if len(a) != len(b) {
		return false
	}
	byAlias := map[string][]byte{}
	for _, e := range a {
		byAlias[strings.ToLower(e.Alias)] = e.Cert.Raw
	}
	for _, e := range b {
		raw, ok := byAlias[strings.ToLower(e.Alias)]
		if !ok || !bytes.Equal(raw, e.Cert.Raw) {
			return false
		}
	}
	return len(byAlias) == len(b)
}

// CertSHA256 is the hex SHA-256 fingerprint of a certificate, as
// manifest.json gives it.
func CertSHA256(c *x509.Certificate) string {
	sum := sha256.Sum256(c.Raw)
	return hex.EncodeToString(sum[:])
}

// InstallRecordPath is where install records what it wrote into a home,
// relative to the home (IS, APIM and MI alike keep their stores there).
var InstallRecordPath = path.Join(gen.SecurityDir, "wso2ks-install.json")

// InstallRecord is what install wrote into a home, without secrets: a
// later install drops the truststore entries it wrote and the bundle no
// longer has (a removed peer) and keeps every other entry.
type InstallRecord struct {
	Env     string `json:"env"`
	Product string `json:"product"`
	Kind    string `json:"kind"`
	Version string `json:"version"`
	// Stores are the key stores, with their certificates' fingerprints.
	Stores []RecordEntry `json:"stores"`
	// Truststore is the truststore's path; Trusted its entries install
	// wrote (the bundle's, not those it kept).
	Truststore string        `json:"truststore"`
	Trusted    []RecordEntry `json:"trusted"`
	// EncryptionKey is the SHA-256 of the [encryption] key the home runs
	// with, when install knows it: a later install of a bundle whose
	// secrets.env gives the same $env{…} tells whether it is the same key
	// without the environment. The hash of a random 128-bit or longer key
	// does not reveal it.
	EncryptionKey string `json:"encryption_key_sha256,omitempty"`
}

// KeySHA256 is the hex SHA-256 of an [encryption] key, as the record
// holds it.
func KeySHA256(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// RecordEntry is one store (by role) or one trusted entry (by alias),
// with the SHA-256 fingerprint of its certificate.
type RecordEntry struct {
	Role   string `json:"role,omitempty"`
	Alias  string `json:"alias,omitempty"`
	Path   string `json:"path,omitempty"`
	SHA256 string `json:"sha256"`
}

// Encode is the record as install writes it: indented JSON, in the order
// the record holds, so the same install writes the same bytes.
func (r *InstallRecord) Encode() ([]byte, error) {
	data, err := json.MarshalIndent(r, "", "  ")
	return append(data, '\n'), err
}

// ParseInstallRecord reads a home's install record.
func ParseInstallRecord(data []byte) (*InstallRecord, error) {
	var r InstallRecord
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("not an install record: %w", err)
	}
	return &r, nil
}

// Wrote is the record's trusted entries: alias (lower-case) → fingerprint.
func (r *InstallRecord) Wrote() map[string]string {
	out := map[string]string{}
	if r == nil {
		return out
	}
	for _, e := range r.Trusted {
		out[strings.ToLower(e.Alias)] = e.SHA256
	}
	return out
}
