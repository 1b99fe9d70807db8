package gen

import (
	"crypto/x509"
	"fmt"
	"net"
	"regexp"
	"slices"
	"strings"
)

// Format values: exactly the `type` strings deployment.toml uses.
const (
	FormatJKS    = "JKS"
	FormatPKCS12 = "PKCS12"
)

// Password modes: how the snippet gives a password (SPEC §4).
const (
	PasswordPlain = "plain"
	PasswordEnv   = "env"
	PasswordVault = "vault"
)

// Validity limits, in days.
const (
	// maxValidityDays bounds primary, internal and wssec certificates: ten
	// years, beyond which nobody remembers how to rotate a signing key.
	maxValidityDays = 3650
	// maxTLSValidityDays is the 825-day limit Apple platforms enforce on TLS
	// server certificates (and mkcert follows); longer ones are refused by
	// some clients even when their CA is trusted.
	maxTLSValidityDays = 825
	// Built-in defaults (SPEC §3).
	defaultValidityDays    = 825
	defaultTLSValidityDays = 397
)

// Key types a tls or wssec store may use; primary and internal are always RSA
// because WSO2's cipher tool encrypts with them.
var keyTypes = []string{"rsa-2048", "rsa-3072", "rsa-4096", "ecdsa-p256", "ecdsa-p384"}

// PrimaryKey is the key type of primary and internal stores.
const PrimaryKey = "rsa-2048"

// CAKey is the key type of an internal CA. A CA outlives the certificates it
// signs by years (CAValidityDays against 397 days of tls): RSA 3072 gives
// 128-bit security, which NIST SP 800-57 deems sufficient beyond 2030, where
// RSA 2048 (112 bits) is not. RSA rather than ECDSA so that every Java and
// OpenSSL build verifies it; one 3072-bit key per environment costs little.
const CAKey = "rsa-3072"

// CAValidityDays is an internal CA's lifetime: ten years, the 3650-day cap
// wso2ks puts on every validity. A long-lived CA outlives many renewals of
// the leaves it signs, so truststores that hold it rarely have to change;
// its key must be guarded accordingly (it is written 0400).
const CAValidityDays = 3650

// Config is a validated topology: every value checked, every default filled
// in, every file it names read.
type Config struct {
	Source  string
	Subject Subject
	TLS     TLSSettings
	// External is the CA of [tls] issuer = "external-ca", else nil.
	External     *ExternalCA
	Products     []ProductConfig
	Environments []EnvConfig
	defaults     Settings
	extra        map[string][]ExtraCert
	// supplied holds passwords the topology names, by env/product/role.
	supplied map[string]supplied
}

// EnvConfig is one environment, in the order the file gives them.
type EnvConfig struct {
	Name     string
	settings Settings
	path     string
}

// ProductConfig is one validated [[product]].
type ProductConfig struct {
	Name       string
	Kind       Kind
	Version    Version
	Hostnames  []string // may hold ${env}
	Instances  []string
	WSSecurity bool
	InstallDir string
	settings   Settings
	passwords  *PasswordSources
	path       string
}

// Options are the [defaults] keys resolved for one product in one
// environment: built-in defaults, then [defaults], then the product's own
// keys, then the environment's.
type Options struct {
	Format           string
	PKCS12Profile    string
	Key              string
	ValidityDays     int
	TLSValidityDays  int
	PasswordMode     string
	SeparateInternal bool
	PublicCAs        bool
	ExtraTrusted     []ExtraCert
}

// ExtraCert is a certificate from an extra_trusted PEM file.
type ExtraCert struct {
	File string // as the topology names it
	Cert *x509.Certificate
}

var (
	nameRe  = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)
	labelRe = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$`)
)

// maxNameLen keeps directory, alias and variable names readable.
const maxNameLen = 32

// validator collects the context every check needs to report a place.
type validator struct {
	src   Source
	pos   positions
	extra map[string][]ExtraCert // extra_trusted files read so far
}

func (v *validator) errAt(path, format string, args ...any) error {
	p := v.pos.find(path)
	return &InputError{File: v.src.Name, Line: p.line, Column: p.col, Msg: fmt.Sprintf(format, args...)}
}

func checkName(what, s string) string {
	switch {
	case s == "":
		return what + " is empty; give it a name of lower-case letters, digits and '-'"
	case len(s) > maxNameLen:
		return fmt.Sprintf("%s %q is longer than %d characters; shorten it", what, s, maxNameLen)
	case !nameRe.MatchString(s) || strings.HasSuffix(s, "-"):
		return fmt.Sprintf("%s %q must start with a lower-case letter and hold only lower-case letters, digits and '-' (not at the end)", what, s)
	}
	return ""
}

// checkHost reports what is wrong with a hostname, or "".
func checkHost(h string) string {
	if net.ParseIP(h) != nil {
		return ""
	}
	if h == "" {
		return "hostname is empty; remove it or write a DNS name or IP address"
	}
	if strings.Contains(h, "*") {
		return fmt.Sprintf("hostname %q is a wildcard; list each host name (wso2ks does not issue wildcard certificates)", h)
	}
	if len(h) > 253 {
		return fmt.Sprintf("hostname %q is longer than 253 characters; shorten it", h)
	}
	if strings.HasSuffix(h, ".") {
		// RFC 5280 names hosts without the root's dot, and verifiers do not
		// match a SAN that has it.
		return fmt.Sprintf("hostname %q ends with '.'; write it without the trailing dot", h)
	}
	labels := strings.Split(h, ".")
	for _, label := range labels {
		if len(label) > 63 || !labelRe.MatchString(label) {
			return fmt.Sprintf("hostname %q is not a valid DNS name (letters, digits and '-' in dot-separated labels of at most 63 characters) or IP address", h)
		}
	}
	// RFC 1123 section 2.1: a host name never has the dotted-decimal form,
	// its top-level label being alphabetic; "999.1.1.1" is a mistyped
	// address, which as a DNS SAN would match nothing.
	if strings.Trim(labels[len(labels)-1], "0123456789") == "" {
		return fmt.Sprintf("hostname %q is not an IP address (four numbers of 0 to 255, or IPv6), and a DNS name does not end in a number; correct the address or give a DNS name", h)
	}
	return ""
}

// expandEnv replaces ${env} with the environment's name and refuses any
// other ${…}.
func expandEnv(s, env string) (string, error) {
	out := strings.ReplaceAll(s, "${env}", env)
	if i := strings.Index(out, "${"); i >= 0 {
		ph := out[i:]
		if j := strings.IndexByte(ph, '}'); j >= 0 {
			ph = ph[:j+1]
		}
		return "", fmt.Errorf("%q holds an unknown placeholder %q; only ${env} (the environment's name) is expanded", s, ph)
	}
	if strings.Contains(out, "$") {
		return "", fmt.Errorf("%q holds a '$'; only ${env} (the environment's name) is expanded", s)
	}
	return out, nil
}

func oneOf(s string, allowed ...string) bool { return slices.Contains(allowed, s) }
