package keystore

import (
	"crypto/x509"
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
		e := UnverifiedEntry{Alias: rec.alias, Key: rec.key, Created: rec.created}
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
	_, authSafe, err := readPFX(data)
	if err != nil {
		return nil, err
	}
	bags, encrypted, err := safeBags(authSafe, "", true)
	if err != nil {
		return nil, err
	}
	out := &Unverified{Encrypted: encrypted}
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
