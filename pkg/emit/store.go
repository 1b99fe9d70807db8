// Package emit encodes what wso2ks generates into the bytes a WSO2 product reads: Java key
// stores and trust stores (JKS and PKCS#12).
//
// Every encoder decodes its own output again and checks it the way Java will see it: the alias,
// the key and the certificate chain. An encoder that writes a store Java reads differently from
// what deployment.toml says fails here, not at the product's start-up.
//
// PKCS#12 key aliases: go-pkcs12's Encoder.Encode writes no friendlyName attribute on the key
// bag, so Java names the key entry "1" (SSLMate/go-pkcs12 issue #34) while deployment.toml names
// the alias it configured. wso2ks keeps go-pkcs12 for all of the encryption and patches its
// output instead of writing a PKCS#12 encoder of its own: the key bag sits in the unencrypted
// SafeContents (the key inside it is shrouded on its own), so adding the attribute needs no
// decryption, only a re-marshal of that SafeContents and a new password MAC over the changed
// authenticated safe. See pkcs12.go.
//
// PKCS#12 reading: go-pkcs12 exposes no bag attributes for trust stores (DecodeTrustStore returns
// bare certificates, and ToPEM accepts only two-part files and rejects Java's trusted-certificate
// attribute), so DecodeStore reads PKCS#12 itself. That also keeps the check after encoding
// independent of the library that did the encoding.
package emit

import (
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// Format is a key store type, spelled as deployment.toml's `type` key spells it.
type Format string

// The store formats WSO2 products read.
const (
	JKS    Format = "JKS"
	PKCS12 Format = "PKCS12"
)

// Profile selects the PKCS#12 encryption algorithms. JKS ignores it and also accepts it empty.
type Profile string

const (
	// Modern is go-pkcs12's Modern2023: PBES2 with PBKDF2-HMAC-SHA-256 and AES-256-CBC, HMAC-SHA-256
	// MAC. Read by JDK 12+ and Oracle 8u301/11.0.12+.
	Modern Profile = "modern"
	// Legacy is go-pkcs12's LegacyDES: PBE-SHA1-3DES, HMAC-SHA-1 MAC, for OpenJDK 8 builds that
	// cannot read Modern.
	Legacy Profile = "legacy"
)

// minPasswordLen is keytool's minimum store password length.
const minPasswordLen = 6

// ErrIncorrectPassword reports that a store's integrity check failed: the password is wrong or the
// bytes were changed. Neither JKS nor PKCS#12 can tell the two apart.
var ErrIncorrectPassword = errors.New("store password is incorrect, or the store was tampered with")

// KeyEntry is a private key with its certificate chain; Chain[0] is the leaf.
type KeyEntry struct {
	Alias string
	Key   crypto.Signer
	Chain []*x509.Certificate
}

// TrustedCert is a trusted-certificate entry.
type TrustedCert struct {
	Alias string
	Cert  *x509.Certificate
}

// DecodedStore is what a store holds, with the aliases Java shows.
type DecodedStore struct {
	Keys    []KeyEntry
	Trusted []TrustedCert
}

// StoreEncoder encodes stores. Rand is the random source for salts and IVs; Created is the
// creation time written into JKS entries (an injected clock: the encoders never read time.Now).
type StoreEncoder struct {
	Rand    io.Reader
	Created time.Time
}

// EncodeKeyStore returns a store holding exactly one private-key entry under entry.Alias, the
// key and the store protected with the same password (Tomcat and the passthrough transports
// open the key with the store password). It decodes the result again and fails unless Java
// will see exactly that one entry, alias, key and chain.
func (e StoreEncoder) EncodeKeyStore(f Format, p Profile, entry KeyEntry, password string) ([]byte, error) {
	if err := e.check(f, p, password); err != nil {
		return nil, err
	}
	if err := checkKeyEntry(entry); err != nil {
		return nil, err
	}
	var data []byte
	var err error
	switch f {
	case JKS:
		data, err = e.encodeJKSKeyStore(entry, password)
	case PKCS12:
		data, err = e.encodePKCS12KeyStore(p, entry, password)
	}
	if err != nil {
		return nil, err
	}
	got, err := DecodeStore(f, data, password)
	if err != nil {
		return nil, fmt.Errorf("decode the new key store: %w", err)
	}
	if err := verifyKeyStore(got, entry); err != nil {
		return nil, fmt.Errorf("new key store reads back wrong: %w", err)
	}
	return data, nil
}

// EncodeTrustStore returns a store of trusted-certificate entries. PKCS#12 keeps the given
// order; keystore-go writes JKS in alphabetical alias order (keytool -list sorts either way). It
// decodes the result again and fails unless every alias holds its certificate.
func (e StoreEncoder) EncodeTrustStore(f Format, p Profile, entries []TrustedCert, password string) ([]byte, error) {
	if err := e.check(f, p, password); err != nil {
		return nil, err
	}
	if len(entries) == 0 {
		return nil, errors.New("trust store has no certificates")
	}
	aliases := make(map[string]bool, len(entries))
	for _, t := range entries {
		if err := checkAlias(t.Alias); err != nil {
			return nil, err
		}
		if aliases[t.Alias] {
			return nil, fmt.Errorf("duplicate alias %q: every trust store entry needs its own alias", t.Alias)
		}
		aliases[t.Alias] = true
		if t.Cert == nil {
			return nil, fmt.Errorf("trusted entry %q has no certificate", t.Alias)
		}
	}
	var data []byte
	var err error
	switch f {
	case JKS:
		data, err = e.encodeJKSTrustStore(entries, password)
	case PKCS12:
		data, err = e.encodePKCS12TrustStore(p, entries, password)
	}
	if err != nil {
		return nil, err
	}
	got, err := DecodeStore(f, data, password)
	if err != nil {
		return nil, fmt.Errorf("decode the new trust store: %w", err)
	}
	if err := verifyTrustStore(got, entries); err != nil {
		return nil, fmt.Errorf("new trust store reads back wrong: %w", err)
	}
	return data, nil
}

// DecodeStore reads a store produced by anything. data is untrusted: a malformed store is an
// error, never a panic. Key entries must open with the store password.
func DecodeStore(f Format, data []byte, password string) (*DecodedStore, error) {
	if err := checkPassword(password); err != nil {
		return nil, err
	}
	switch f {
	case JKS:
		return decodeJKS(data, password)
	case PKCS12:
		return decodePKCS12(data, password)
	}
	return nil, fmt.Errorf("unknown store format %q: use %q or %q", f, JKS, PKCS12)
}

// check validates what every encoding needs, before any work is done.
func (e StoreEncoder) check(f Format, p Profile, password string) error {
	if e.Rand == nil {
		return errors.New("store encoder has no random source")
	}
	switch f {
	case JKS:
		if e.Created.IsZero() {
			return errors.New("jks needs a creation time: the store encoder's Created is zero (keytool would show year 1)")
		}
		if p == "" {
			break // the profile only matters to PKCS#12
		}
		fallthrough
	case PKCS12:
		if p != Modern && p != Legacy {
			return fmt.Errorf("unknown pkcs12 profile %q: use %q or %q", p, Modern, Legacy)
		}
	default:
		return fmt.Errorf("unknown store format %q: use %q or %q", f, JKS, PKCS12)
	}
	return checkPassword(password)
}

// checkPassword accepts printable ASCII of minPasswordLen or more characters: keytool and JDK 17
// reject non-ASCII PKCS#12 passwords, and keystore-go turns a JKS password into bytes one byte
// at a time. The message never quotes the password.
func checkPassword(password string) error {
	for _, c := range []byte(password) {
		if c < ' ' || c > '~' {
			return errors.New("password has a character outside printable ascii: use only ascii letters, digits, punctuation and spaces")
		}
	}
	if len(password) < minPasswordLen {
		return fmt.Errorf("password is shorter than %d characters, the minimum keytool accepts", minPasswordLen)
	}
	return nil
}

// checkAlias accepts non-empty, lower-case, printable ASCII aliases without spaces. Java
// lower-cases the alias it looks up, so it cannot find an upper-case alias in a JKS file.
func checkAlias(alias string) error {
	if alias == "" {
		return errors.New("alias is empty")
	}
	if lower := strings.ToLower(alias); lower != alias {
		return fmt.Errorf("alias %q is not lower-case: Java cannot look it up; use %q", alias, lower)
	}
	for _, c := range []byte(alias) {
		if c <= ' ' || c > '~' {
			return fmt.Errorf("alias %q has a character outside printable ascii or a space", alias)
		}
	}
	return nil
}

func checkKeyEntry(entry KeyEntry) error {
	if err := checkAlias(entry.Alias); err != nil {
		return err
	}
	if entry.Key == nil {
		return fmt.Errorf("key entry %q has no private key", entry.Alias)
	}
	if len(entry.Chain) == 0 {
		return fmt.Errorf("key entry %q has no certificate chain", entry.Alias)
	}
	for i, c := range entry.Chain {
		if c == nil {
			return fmt.Errorf("key entry %q: certificate %d of the chain is missing", entry.Alias, i)
		}
	}
	if !samePublicKey(entry.Key.Public(), entry.Chain[0].PublicKey) {
		return fmt.Errorf("key entry %q: the leaf certificate is not for this private key", entry.Alias)
	}
	return nil
}

func samePublicKey(a, b crypto.PublicKey) bool {
	k, ok := a.(interface{ Equal(crypto.PublicKey) bool })
	return ok && k.Equal(b)
}

func verifyKeyStore(got *DecodedStore, want KeyEntry) error {
	if len(got.Keys) != 1 || len(got.Trusted) != 0 {
		return fmt.Errorf("%d key and %d trusted entries, want exactly one key entry", len(got.Keys), len(got.Trusted))
	}
	k := got.Keys[0]
	if k.Alias != want.Alias {
		return fmt.Errorf("key entry alias is %q, want %q", k.Alias, want.Alias)
	}
	if k.Key == nil || !samePublicKey(k.Key.Public(), want.Key.Public()) {
		return fmt.Errorf("key entry %q holds a different key", k.Alias)
	}
	return sameChain(k.Alias, k.Chain, want.Chain)
}

func sameChain(alias string, got, want []*x509.Certificate) error {
	if len(got) != len(want) {
		return fmt.Errorf("key entry %q has a chain of %d certificates, want %d", alias, len(got), len(want))
	}
	for i := range want {
		if !got[i].Equal(want[i]) {
			return fmt.Errorf("key entry %q: certificate %d of the chain differs", alias, i)
		}
	}
	return nil
}

func verifyTrustStore(got *DecodedStore, want []TrustedCert) error {
	if len(got.Keys) != 0 || len(got.Trusted) != len(want) {
		return fmt.Errorf("%d key and %d trusted entries, want %d trusted entries", len(got.Keys), len(got.Trusted), len(want))
	}
	byAlias := make(map[string]*x509.Certificate, len(got.Trusted))
	for _, t := range got.Trusted {
		byAlias[t.Alias] = t.Cert
	}
	for _, w := range want {
		c, ok := byAlias[w.Alias]
		if !ok {
			return fmt.Errorf("trusted entry %q is missing", w.Alias)
		}
		if !c.Equal(w.Cert) {
			return fmt.Errorf("trusted entry %q holds a different certificate", w.Alias)
		}
	}
	return nil
}
