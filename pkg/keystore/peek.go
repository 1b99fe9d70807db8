package keystore

import (
	"crypto/x509"
	"errors"
	"fmt"
	"time"
)

// Unverified is what a store shows without its password. Nothing in it is checked against the
// store's integrity digest (JKS) or MAC (PKCS#12): the bytes may have been changed.
//
// A JKS store keeps every certificate in the clear, those of key entries too: only the private
// keys are encrypted, and the password only checks the digest. A PKCS#12 store encrypts what the
// writer chose; keytool, openssl and go-pkcs12 encrypt the certificates, so without the password
// only the key entries' names in an unencrypted part can be seen.
type Unverified struct {
	Entries []UnverifiedEntry
	// Encrypted counts the PKCS#12 parts that need the password to be read; their entries are
	// not in Entries.
	Encrypted int
}

// UnverifiedEntry is one entry of a store read without its password.
type UnverifiedEntry struct {
	Alias string
	Key   bool // a private-key entry; else a trusted certificate
	// Created is the creation time JKS keeps for each entry; zero for PKCS#12.
	Created time.Time
	// Chain is the key entry's chain (leaf first) or the trusted certificate, as far as the
	// store shows it without the password: empty for a PKCS#12 key whose certificates are
	// encrypted.
	Chain []*x509.Certificate
}

// Peek reads what a store shows without its password. data is untrusted: a malformed store is an
// error, never a panic.
func Peek(f Format, data []byte) (*Unverified, error) {
	switch f {
	case JKS:
		return peekJKS(data)
	case PKCS12:
		return peekPKCS12(data)
	}
	return nil, fmt.Errorf("unknown store format %q: use %q or %q", f, JKS, PKCS12)
}

func peekJKS(data []byte) (*Unverified, error) {
	records, _, err := scanJKS(data)
	if err != nil {
		return nil, err
	}
	out := &Unverified{}
	for _, rec := range records {
		e := UnverifiedEntry{Alias: rec.alias, Key: rec.key, Created: time.UnixMilli(rec.created).UTC()}
		for i, der := range rec.certs {
			cert, err := x509.ParseCertificate(der)
			if err != nil {
				return nil, fmt.Errorf("jks entry %q, certificate %d: %w", rec.alias, i, err)
			}
			e.Chain = append(e.Chain, cert)
		}
		out.Entries = append(out.Entries, e)
	}
	return out, nil
}

// peekPKCS12 reads the unencrypted parts of a PFX as decodePKCS12 reads all of them, without
// checking the MAC: key bags name their entries (their keys stay shrouded), certificate bags give
// the trusted entries and the chains.
func peekPKCS12(data []byte) (*Unverified, error) {
	var pfx pfxPDU
	if err := unmarshalDER(data, &pfx); err != nil {
		return nil, fmt.Errorf("read pkcs12: not a der-encoded pfx: %w", err)
	}
	if pfx.Version != pfxVersion || !pfx.AuthSafe.ContentType.Equal(oidData) {
		return nil, errors.New("read pkcs12: not a version 3, password-integrity pfx")
	}
	authSafe, err := octets(pfx.AuthSafe.Content)
	if err != nil {
		return nil, fmt.Errorf("read pkcs12: %w", err)
	}
	var parts []contentInfo
	if err := unmarshalDER(authSafe, &parts); err != nil {
		return nil, fmt.Errorf("read pkcs12 authenticated safe: %w", err)
	}
	out := &Unverified{}
	var bags []safeBag
	for i, part := range parts {
		if !part.ContentType.Equal(oidData) {
			out.Encrypted++
			continue
		}
		raw, err := octets(part.Content)
		if err != nil {
			return nil, fmt.Errorf("read pkcs12 safe contents %d: %w", i, err)
		}
		var more []safeBag
		if err := unmarshalDER(raw, &more); err != nil {
			return nil, fmt.Errorf("read pkcs12 safe contents %d: %w", i, err)
		}
		bags = append(bags, more...)
	}
	keys, certs, javaName, err := readBags(bags, nil)
	if err != nil {
		return nil, err
	}
	for _, k := range keys {
		chain, _ := keyChain(k, certs) // its certificate may be in an encrypted part
		out.Entries = append(out.Entries, UnverifiedEntry{Alias: k.alias, Key: true, Chain: chain})
	}
	for _, c := range certs {
		if c.trusted {
			out.Entries = append(out.Entries, UnverifiedEntry{Alias: javaName(c.name), Chain: []*x509.Certificate{c.cert}})
		}
	}
	return out, nil
}
