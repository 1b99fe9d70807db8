package gen

import (
	"crypto/x509/pkix"
	"strings"
)

// Store roles (SPEC §1).
const (
	RolePrimary    = "primary"
	RoleInternal   = "internal"
	RoleTLS        = "tls"
	RoleWSSec      = "wssec"
	RoleTruststore = "truststore"
)

// How a product version configures a WS-Security store (SPEC §1).
const (
	WSSecCustom    = "keystore.custom"    // IS ≥ 7.1: [[keystore.custom]] + [keystore.mapping.ws_trust]
	WSSecSecondary = "keystore.secondary" // MI ≥ 4.4: [[keystore.secondary]]
	WSSecRegistry  = "registry"           // older: uploaded to the registry, named in the policy
)

// SharedTLSOwner names the key of a tls store shared by every product of an
// environment ([tls] shared = true).
const SharedTLSOwner = "shared"

// Issuers of tls and wssec certificates ([tls] issuer).
const (
	IssuerSelfSigned = "self-signed"
	// IssuerInternalCA: one CA per environment signs every tls and wssec
	// certificate; primary and internal stay self-signed, since they sign
	// and encrypt and are never presented to a TLS peer (SPEC §1).
	IssuerInternalCA = "internal-ca"
)

// RoleCA is the role of an environment's internal CA.
const RoleCA = "ca"

// CADir is the directory of an environment's internal CA, relative to the
// environment's directory.
const CADir = "ca"

// SecurityDir is where WSO2 products keep their stores, relative to the home.
const SecurityDir = "repository/resources/security"

// TruststoreBase is the file name WSO2 gives its client truststore.
const TruststoreBase = "client-truststore"

// GatewayCertificateAlias is the truststore alias under which APIM looks up
// the certificate that verifies the JWTs its own primary key signs.
const GatewayCertificateAlias = "gateway_certificate_alias"

// Plan is everything generate will write, without keys or passwords.
type Plan struct {
	Topology     string        `json:"topology"`
	Environments []Environment `json:"environments"`
}

// Environment is one environment's products.
type Environment struct {
	Name string `json:"name"`
	// CA is the environment's internal CA ([tls] issuer = "internal-ca").
	CA       *CA       `json:"ca,omitempty"`
	Products []Product `json:"products"`
}

// CA is an environment's internal certificate authority: its key and
// self-signed certificate are written beside the products' directories.
type CA struct {
	KeyID        string `json:"key_id"`
	Subject      string `json:"subject"`
	Key          string `json:"key"`
	ValidityDays int    `json:"validity_days,omitempty"`
	// Alias is the CA's truststore alias.
	Alias string `json:"alias"`
	// CertPath and KeyPath are relative to the bundle directory.
	CertPath string `json:"cert_path"`
	// KeyPath is empty for an external CA: its key stays with its owner.
	KeyPath string `json:"key_path,omitempty"`

	subject  pkix.Name
	external *ExternalCA
}

// External returns the external CA ([tls] issuer = "external-ca"), or nil
// for an internal one.
func (c *CA) External() *ExternalCA { return c.external }

// Name returns the CA certificate's subject.
func (c *CA) Name() pkix.Name { return c.subject }

// Product is one product's stores in one environment.
type Product struct {
	Name         string   `json:"name"`
	Kind         Kind     `json:"kind"`
	Version      string   `json:"version"`
	Hostnames    []string `json:"hostnames"`
	Instances    []string `json:"instances"`
	Dir          string   `json:"dir"`
	Format       string   `json:"format"`
	PKCS12       string   `json:"pkcs12_profile,omitempty"`
	PasswordMode string   `json:"password_mode"`
	InstallDir   string   `json:"install_dir,omitempty"`
	WSSecTable   string   `json:"wssec_table,omitempty"`
	Vault        *Vault   `json:"vault,omitempty"`
	Stores       []Store  `json:"stores"`
	// Encryption is what protects the product's internal data; nil for MI,
	// which reads no [encryption] key.
	Encryption *Encryption `json:"encryption,omitempty"`
	// Snippet is the rendered deployment.toml tables, filled in by the
	// caller that renders them (pkg/emit); the planner leaves it empty.
	Snippet string `json:"snippet,omitempty"`

	version Version
}

// At reports whether the product's version is major.minor or later.
func (p *Product) At(major, minor int) bool { return p.version.AtLeast(major, minor) }

// Store returns the product's store of role, or nil.
func (p *Product) Store(role string) *Store {
	for i := range p.Stores {
		if p.Stores[i].Role == role {
			return &p.Stores[i]
		}
	}
	return nil
}

// Store is one keystore or truststore file.
type Store struct {
	Role string `json:"role"`
	// Path is relative to the bundle directory.
	Path     string `json:"path"`
	FileName string `json:"file_name"`
	Type     string `json:"type"`
	// Key stores only.
	Alias        string   `json:"alias,omitempty"`
	Subject      string   `json:"subject,omitempty"`
	SANs         []string `json:"sans,omitempty"`
	Key          string   `json:"key,omitempty"`
	ValidityDays int      `json:"validity_days,omitempty"`
	// KeyID names the key and certificate; stores with the same KeyID hold
	// the same ones ("dev/iam/tls", or "dev/shared/tls" when shared).
	KeyID string `json:"key_id,omitempty"`
	// IssuerKeyID is the KeyID of the CA that signs the certificate; empty
	// when it is self-signed.
	IssuerKeyID string `json:"issuer_key_id,omitempty"`
	// SharedBy lists who uses the key: the product's instances, or the
	// products of a shared tls store.
	SharedBy []string `json:"shared_by,omitempty"`
	// PasswordVar is the secrets.env variable that holds the password.
	PasswordVar string `json:"password_var"`
	// PasswordSource is "generated", or where a supplied password comes
	// from ("env:NAME", "file:PATH").
	PasswordSource string `json:"password_source"`
	// SecretAlias names the password in [secrets] (vault mode).
	SecretAlias string `json:"secret_alias,omitempty"`
	// Truststores only.
	Entries []TrustEntry `json:"entries,omitempty"`

	subject  pkix.Name
	supplied string
}

// SuppliedPassword returns the password the topology names for this
// store, if it names one.
func (s *Store) SuppliedPassword() (string, bool) { return s.supplied, s.supplied != "" }

// Name returns the certificate subject to issue.
func (s *Store) Name() pkix.Name { return s.subject }

// TrustEntry is one trusted certificate of a truststore: either a planned
// key's certificate (KeyID) or a certificate given as bytes (public CAs and
// extra_trusted files).
type TrustEntry struct {
	Alias  string `json:"alias"`
	KeyID  string `json:"key_id,omitempty"`
	Source string `json:"source,omitempty"`
	DER    []byte `json:"-"`
}

// SecretAlias is the [secrets] alias of a product's store password:
// letters, digits and '_' only, since a dot in an alias breaks MI.
func SecretAlias(product, role string) string {
	return strings.ReplaceAll(product, "-", "_") + "_" + role + "_password"
}

// PasswordVar is the secrets.env variable for a product's store of role.
func PasswordVar(product, role string) string {
	return "WSO2KS_" + strings.ToUpper(strings.ReplaceAll(product, "-", "_")) + "_" + strings.ToUpper(role) + "_PASSWORD"
}
