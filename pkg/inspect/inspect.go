// Package inspect describes what key stores hold: for each entry its alias, kind, certificate
// (subject, issuer, SANs, key, usages, serial, validity, fingerprint) and chain length, as
// `wso2ks inspect` prints it in text, JSON (docs/schemas/inspect.json) or Prometheus's text format.
//
// It takes a store's bytes and what is known of it (where it was found, its roles, its password)
// and never touches the file system: the CLI reads the files, and verify.Stores finds the stores
// of a bundle or a home. It judges nothing; that is verify's work.
package inspect

import (
	"errors"
	"fmt"
	"time"

	"github.com/wso2ks/wso2ks/pkg/keystore"
)

// Source is one store to describe.
type Source struct {
	Target       string // the PATH it was found under
	Env, Product string
	Roles        []string
	Path         string // the store's file
	Type         keystore.Format
	// Data is the store's content; nil when it could not be found or read (Problem says why).
	Data []byte
	// Password opens the store and KeyPassword its JKS keys, when known; Problem says why not.
	Password, KeyPassword string
	Problem               string
}

// Entry kinds, as keytool names them.
const (
	KindKey     = "key"
	KindTrusted = "trusted"
)

// Store is what one store holds.
type Store struct {
	Target  string   `json:"target"`
	Env     string   `json:"env,omitempty"`
	Product string   `json:"product,omitempty"`
	Roles   []string `json:"roles,omitempty"`
	Path    string   `json:"path"`
	Type    string   `json:"type"`
	// Verified: the store opened with its password, so its integrity (JKS digest, PKCS#12 MAC)
	// was checked. Without it, what is shown may have been changed.
	Verified bool `json:"verified"`
	// Note says what could not be done or shown, and why.
	Note    string  `json:"note,omitempty"`
	Entries []Entry `json:"entries"`
	// PublicCAs folds the trusted entries that are public CAs, unless Options.All.
	PublicCAs *Folded `json:"public_cas,omitempty"`
}

// Entry is one entry of a store.
type Entry struct {
	Alias string `json:"alias"`
	Kind  string `json:"kind"`
	// Created is the creation time JKS keeps for each entry (RFC 3339).
	Created string `json:"created,omitempty"`
	// PublicCA marks a trusted certificate of Mozilla's root program.
	PublicCA bool `json:"public_ca,omitempty"`
	// ChainLength counts the certificates of a key entry's chain (1 for a trusted entry); 0
	// when the store does not show them without its password.
	ChainLength int          `json:"chain_length"`
	Certificate *Certificate `json:"certificate,omitempty"`
}

// Folded is the count of a store's public CAs and the one that expires first.
type Folded struct {
	Count            int    `json:"count"`
	EarliestAlias    string `json:"earliest_alias"`
	EarliestNotAfter string `json:"earliest_not_after"`
}

// ErrNotStore matches the error of Describe for bytes that are not a store of the type given,
// with or without a password.
var ErrNotStore = errors.New("not a key store")

// notStore is why the bytes are not a store; it matches ErrNotStore.
type notStore struct{ err error }

func (e *notStore) Error() string        { return e.err.Error() }
func (e *notStore) Unwrap() error        { return e.err }
func (e *notStore) Is(target error) bool { return target == ErrNotStore }

// Describe reads one store: opened with its password when that is known and right, else with
// what the store shows without it (keystore.Peek), and says so in Note. An error matching
// ErrNotStore when the bytes are not a store of src.Type at all.
func Describe(src Source, now time.Time) (Store, error) {
	s := Store{Target: src.Target, Env: src.Env, Product: src.Product, Roles: src.Roles, Path: src.Path,
		Type: string(src.Type), Entries: []Entry{}}
	if src.Data == nil {
		s.Note = src.Problem
		return s, nil
	}
	var why string
	if src.Password != "" {
		store, _, err := keystore.DecodeKeyPassword(src.Type, src.Data, src.Password, src.KeyPassword)
		if err == nil {
			s.Verified = true
			s.Entries = decoded(store, now)
			if store.Unlisted > 0 {
				s.Note = fmt.Sprintf("%d certificates are in no key's chain and not marked trusted: Java does not list them", store.Unlisted)
			}
			return s, nil
		}
		why = fmt.Sprintf("it does not open with the configured password (%v)", err)
	} else {
		why = "its password is unknown"
		if src.Problem != "" {
			why += " (" + src.Problem + ")"
		}
	}
	peeked, err := keystore.Peek(src.Type, src.Data)
	if err != nil {
		return s, &notStore{err}
	}
	s.Entries = unverified(peeked, now)
	s.Note = "integrity not verified: " + why
	if peeked.Encrypted > 0 {
		s.Note += fmt.Sprintf("; PKCS#12 encrypts %d of its parts with the password: their entries and certificates cannot be shown without it", peeked.Encrypted)
	}
	return s, nil
}

func decoded(store *keystore.DecodedStore, now time.Time) []Entry {
	out := []Entry{}
	for _, k := range store.Keys {
		e := Entry{Alias: k.Alias, Kind: KindKey, ChainLength: len(k.Chain), Created: created(k.Created)}
		if len(k.Chain) > 0 {
			e.Certificate = describe(k.Chain[0], now)
		}
		out = append(out, e)
	}
	for _, t := range store.Trusted {
		out = append(out, Entry{Alias: t.Alias, Kind: KindTrusted, ChainLength: 1, Created: created(t.Created),
			Certificate: describe(t.Cert, now), PublicCA: isPublicCA(t.Cert)})
	}
	return out
}

func unverified(u *keystore.Unverified, now time.Time) []Entry {
	out := []Entry{}
	for _, ue := range u.Entries {
		e := Entry{Alias: ue.Alias, Kind: KindTrusted, ChainLength: len(ue.Chain), Created: created(ue.Created)}
		if ue.Key {
			e.Kind = KindKey
		}
		if len(ue.Chain) > 0 {
			e.Certificate = describe(ue.Chain[0], now)
			e.PublicCA = !ue.Key && isPublicCA(ue.Chain[0])
		}
		out = append(out, e)
	}
	return out
}

// created is when a JKS store says an entry was made; "" for PKCS#12, which does not keep it.
func created(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}
