package deploytoml

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"path"
	"strings"

	"github.com/wso2ks/wso2ks/pkg/gen"
)

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
