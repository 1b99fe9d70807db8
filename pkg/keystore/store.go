package keystore

import (
	"crypto"
	"crypto/x509"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
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

// ErrKeyPassword reports a JKS key entry that does not open with the store
// password; IS and APIM open key entries with key_password instead.
var ErrKeyPassword = errors.New("key entry does not open with the store password")

// ErrIncorrectPassword reports that a store's integrity check failed: the password is wrong or the
// bytes were changed. Neither JKS nor PKCS#12 can tell the two apart.
var ErrIncorrectPassword = errors.New("store password is incorrect, or the store was tampered with")

// KeyEntry is a private key with its certificate chain; Chain[0] is the leaf.
type KeyEntry struct {
	Alias string
	Key   crypto.Signer
	Chain []*x509.Certificate
	// Created is the creation time a JKS store keeps for the entry, set by Decode; zero for
	// PKCS#12. The encoders ignore it and write Encoder.Created.
	Created time.Time
}

// TrustedCert is a trusted-certificate entry.
type TrustedCert struct {
	Alias string
	Cert  *x509.Certificate
	// Kept marks an entry read from an existing store and written again
	// as it was: its alias need only be what Java reads back (lower-case,
	// printable; keytool allows spaces), not one wso2ks would choose.
	Kept bool
	// Created is as KeyEntry's.
	Created time.Time
}

// DecodedStore is what a store holds, with the aliases Java shows.
type DecodedStore struct {
	Keys    []KeyEntry
	Trusted []TrustedCert
	// Unlisted counts PKCS#12 certificate bags that are in no key's chain
	// and lack Oracle's trusted attribute: Java does not list them (a
	// truststore openssl wrote without -jdktrust looks empty to it).
	Unlisted int
}

// Encoder encodes stores. Rand is the random source for salts and IVs; Created is the
// creation time written into JKS entries (an injected clock: the encoders never read time.Now).
type Encoder struct {
	Rand    io.Reader
	Created time.Time
}

// EncodeKeyStore returns a store holding exactly one private-key entry under entry.Alias, the
// key and the store protected with the same password (Tomcat and the passthrough transports
// open the key with the store password). It decodes the result again and fails unless Java
// will see exactly that one entry, alias, key and chain.
func (e Encoder) EncodeKeyStore(f Format, p Profile, entry KeyEntry, password string) ([]byte, error) {
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
	return readBack(f, data, password, "key store", func(got *DecodedStore) error {
		return verifyKeyStore(got, entry)
	})
}

// EncodeTrustStore returns a store of trusted-certificate entries. PKCS#12 keeps the given
// order; keystore-go writes JKS in alphabetical alias order (keytool -list sorts either way). It
// decodes the result again and fails unless every alias holds its certificate.
func (e Encoder) EncodeTrustStore(f Format, p Profile, entries []TrustedCert, password string) ([]byte, error) {
	if err := e.check(f, p, password); err != nil {
		return nil, err
	}
	if err := checkTrustEntries(entries); err != nil {
		return nil, err
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
	return readBack(f, data, password, "trust store", func(got *DecodedStore) error {
		return verifyTrustStore(got, entries)
	})
}

// Decode reads a store produced by anything. data is untrusted: a malformed store is an
// error, never a panic. Key entries must open with the store password.
func Decode(f Format, data []byte, password string) (*DecodedStore, error) {
	if err := checkPassword(password); err != nil {
		return nil, err
	}
	switch f {
	case JKS:
		return decodeJKS(data, password, password)
	case PKCS12:
		return decodePKCS12(data, password)
	}
	return nil, fmt.Errorf("unknown store format %q: use %q or %q", f, JKS, PKCS12)
}

// Sniff tells a store's format from its first bytes, whatever the file is
// called (keytool has written PKCS#12 to files named .jks since JDK 9): a
// JKS store starts with its magic number, a PKCS#12 store is a DER
// SEQUENCE.
func Sniff(data []byte) (Format, bool) {
	switch {
	case len(data) >= 4 && binary.BigEndian.Uint32(data) == jksMagic:
		return JKS, true
	case len(data) > 0 && data[0] == 0x30:
		return PKCS12, true
	}
	return "", false
}
