package keystore

import (
	"crypto/x509"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/wso2ks/wso2ks/pkg/certs"
)

// check validates what every encoding needs, before any work is done.
func (e Encoder) check(f Format, p Profile, password string) error {
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

// MinPasswordLength is keytool's minimum, and so the product's: keytool
// refuses shorter store passwords.
const MinPasswordLength = 6

// checkPassword accepts printable ASCII of MinPasswordLength or more characters: keytool and JDK 17
// reject non-ASCII PKCS#12 passwords, and keystore-go turns a JKS password into bytes one byte
// at a time. The message never quotes the password.
func checkPassword(password string) error {
	for _, c := range []byte(password) {
		if c < ' ' || c > '~' {
			return errors.New("password has a character outside printable ascii: use only ascii letters, digits, punctuation and spaces")
		}
	}
	if len(password) < MinPasswordLength {
		return fmt.Errorf("password is shorter than %d characters, the minimum keytool accepts", MinPasswordLength)
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

// checkKeptAlias accepts the alias of an entry read back from a store: Java lower-cases
// aliases on load, and keytool takes any printable name, spaces included.
func checkKeptAlias(alias string) error {
	if alias == "" || strings.TrimSpace(alias) != alias {
		return fmt.Errorf("alias %q is empty or starts or ends with a space", alias)
	}
	if lower := strings.ToLower(alias); lower != alias {
		return fmt.Errorf("alias %q is not lower-case: Java cannot look it up; rename it with keytool -changealias to %q", alias, lower)
	}
	for _, r := range alias {
		if !unicode.IsPrint(r) {
			return fmt.Errorf("alias %q has a character that is not printable", alias)
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
	if !certs.SamePublicKey(entry.Key.Public(), entry.Chain[0].PublicKey) {
		return fmt.Errorf("key entry %q: the leaf certificate is not for this private key", entry.Alias)
	}
	return nil
}

func checkTrustEntries(entries []TrustedCert) error {
	if len(entries) == 0 {
		return errors.New("trust store has no certificates")
	}
	aliases := make(map[string]bool, len(entries))
	for _, t := range entries {
		check := checkAlias
		if t.Kept {
			check = checkKeptAlias
		}
		if err := check(t.Alias); err != nil {
			return err
		}
		if aliases[t.Alias] {
			return fmt.Errorf("duplicate alias %q: every trust store entry needs its own alias", t.Alias)
		}
		aliases[t.Alias] = true
		if t.Cert == nil {
			return fmt.Errorf("trusted entry %q has no certificate", t.Alias)
		}
	}
	return nil
}

// readBack decodes a store just encoded and returns it only if verify accepts what Java will
// see; kind ("key store", "trust store") names the store in the error.
func readBack(f Format, data []byte, password, kind string, verify func(*DecodedStore) error) ([]byte, error) {
	got, err := Decode(f, data, password)
	if err != nil {
		return nil, fmt.Errorf("decode the new %s: %w", kind, err)
	}
	if err := verify(got); err != nil {
		return nil, fmt.Errorf("new %s reads back wrong: %w", kind, err)
	}
	return data, nil
}

func verifyKeyStore(got *DecodedStore, want KeyEntry) error {
	if len(got.Keys) != 1 || len(got.Trusted) != 0 {
		return fmt.Errorf("%d key and %d trusted entries, want exactly one key entry", len(got.Keys), len(got.Trusted))
	}
	k := got.Keys[0]
	if k.Alias != want.Alias {
		return fmt.Errorf("key entry alias is %q, want %q", k.Alias, want.Alias)
	}
	if k.Key == nil || !certs.SamePublicKey(k.Key.Public(), want.Key.Public()) {
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
