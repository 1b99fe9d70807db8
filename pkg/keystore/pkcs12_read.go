package keystore

import (
	"bytes"
	"crypto"
	"crypto/hmac"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"
)

// decodePKCS12 reads a password-integrity PKCS#12 store as JDK 17's PKCS12KeyStore does: a key
// bag is a key entry named by its friendlyName, the certificate with the same localKeyId starts
// its chain, and a certificate bag with Oracle's trusted attribute is a trusted-certificate
// entry. Aliases are lower-cased, as Java does on load; an entry without a name gets Java's
// counter name ("1", "2", ...). Bags Java makes no entry of (plain key bags, secret and CRL bags)
// are skipped.
func decodePKCS12(data []byte, password string) (*DecodedStore, error) {
	pfx, authSafe, err := readPFX(data)
	if err != nil {
		return nil, err
	}
	if len(pfx.MacData.Mac.Digest) == 0 {
		return nil, errors.New("read pkcs12: the store has no password mac")
	}
	mac, err := pkcs12MAC(pfx.MacData, authSafe, password)
	if err != nil {
		return nil, fmt.Errorf("read pkcs12: %w", err)
	}
	if !hmac.Equal(mac, pfx.MacData.Mac.Digest) {
		return nil, ErrIncorrectPassword
	}
	bags, _, err := safeBags(authSafe, password, false)
	if err != nil {
		return nil, err
	}
	return storeFromBags(bags, password)
}

// readPFX parses the PFX layout down to its authenticated safe; checking the MAC is the caller's.
func readPFX(data []byte) (pfxPDU, []byte, error) {
	var pfx pfxPDU
	if err := unmarshalDER(data, &pfx); err != nil {
		return pfx, nil, fmt.Errorf("read pkcs12: not a PKCS#12 file: %w", err)
	}
	if pfx.Version != pfxVersion || !pfx.AuthSafe.ContentType.Equal(oidData) {
		return pfx, nil, errors.New("read pkcs12: not a version 3, password-integrity pfx")
	}
	authSafe, err := octets(pfx.AuthSafe.Content)
	if err != nil {
		return pfx, nil, fmt.Errorf("read pkcs12: %w", err)
	}
	return pfx, authSafe, nil
}

// safeBags returns the bags of every part of the authenticated safe, decrypting the encrypted
// parts with password; with skipEncrypted it leaves them out and counts them instead.
func safeBags(authSafe []byte, password string, skipEncrypted bool) (bags []safeBag, encrypted int, err error) {
	var parts []contentInfo
	if err := unmarshalDER(authSafe, &parts); err != nil {
		return nil, 0, fmt.Errorf("read pkcs12 authenticated safe: %w", err)
	}
	for i, part := range parts {
		if skipEncrypted && !part.ContentType.Equal(oidData) {
			encrypted++
			continue
		}
		raw, err := openContent(part, password)
		if err != nil {
			return nil, 0, fmt.Errorf("read pkcs12 safe contents %d: %w", i, err)
		}
		var more []safeBag
		if err := unmarshalDER(raw, &more); err != nil {
			return nil, 0, fmt.Errorf("read pkcs12 safe contents %d: %w", i, err)
		}
		bags = append(bags, more...)
	}
	return bags, encrypted, nil
}

type p12Cert struct {
	cert    *x509.Certificate
	name    string
	keyID   []byte
	trusted bool
}

type p12Key struct {
	key   crypto.Signer
	alias string
	keyID []byte
}

func storeFromBags(bags []safeBag, password string) (*DecodedStore, error) {
	keys, certs, javaName, err := readBags(bags, func(der []byte) (crypto.Signer, error) { return openKeyBag(der, password) })
	if err != nil {
		return nil, err
	}
	store := &DecodedStore{}
	inChain := map[*x509.Certificate]bool{}
	for _, k := range keys {
		chain, err := keyChain(k, certs)
		if err != nil {
			return nil, err
		}
		for _, c := range chain {
			inChain[c] = true
		}
		store.Keys = append(store.Keys, KeyEntry{Alias: k.alias, Key: k.key, Chain: chain})
	}
	for _, c := range certs {
		switch {
		case c.trusted:
			store.Trusted = append(store.Trusted, TrustedCert{Alias: javaName(c.name), Cert: c.cert})
		case !inChain[c.cert]:
			store.Unlisted++
		}
	}
	return store, nil
}

// readBags sorts the bags into keys, opened with openKey (nil: left shrouded), and certificates,
// and returns how Java names an entry: its friendlyName lower-cased, or its counter name.
func readBags(bags []safeBag, openKey func(der []byte) (crypto.Signer, error)) ([]p12Key, []p12Cert, func(string) string, error) {
	var keys []p12Key
	var certs []p12Cert
	unnamed := 0
	javaName := func(name string) string {
		if name == "" {
			unnamed++
			return strconv.Itoa(unnamed)
		}
		return strings.ToLower(name)
	}
	for i, bag := range bags {
		name, keyID, trusted, err := bagAttributes(bag.Attributes)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("pkcs12 bag %d: %w", i, err)
		}
		switch {
		case bag.ID.Equal(oidShroudedKeyBag):
			var key crypto.Signer
			if openKey != nil {
				if key, err = openKey(bag.Value.Bytes); err != nil {
					return nil, nil, nil, fmt.Errorf("pkcs12 key bag %d: %w", i, err)
				}
			}
			keys = append(keys, p12Key{key: key, alias: javaName(name), keyID: keyID})
		case bag.ID.Equal(oidCertBag):
			var cb certBag
			if err := unmarshalDER(bag.Value.Bytes, &cb); err != nil || !cb.ID.Equal(oidX509Cert) {
				return nil, nil, nil, fmt.Errorf("pkcs12 bag %d: not an x.509 certificate bag", i)
			}
			cert, err := x509.ParseCertificate(cb.Cert)
			if err != nil {
				return nil, nil, nil, fmt.Errorf("pkcs12 bag %d: %w", i, err)
			}
			certs = append(certs, p12Cert{cert: cert, name: name, keyID: keyID, trusted: trusted})
		}
	}
	return keys, certs, javaName, nil
}

// keyChain starts with the certificate whose localKeyId matches the key's and follows issuers
// through the store's certificates, as Java builds the chain of a key entry.
func keyChain(k p12Key, certs []p12Cert) ([]*x509.Certificate, error) {
	var chain []*x509.Certificate
	for _, c := range certs {
		if len(k.keyID) > 0 && bytes.Equal(c.keyID, k.keyID) {
			chain = append(chain, c.cert)
			break
		}
	}
	if chain == nil {
		return nil, fmt.Errorf("pkcs12 key entry %q has no certificate with its localKeyId", k.alias)
	}
	for len(chain) <= len(certs) {
		last := chain[len(chain)-1]
		if bytes.Equal(last.RawIssuer, last.RawSubject) {
			break
		}
		var issuer *x509.Certificate
		for _, c := range certs {
			if bytes.Equal(c.cert.RawSubject, last.RawIssuer) {
				issuer = c.cert
				break
			}
		}
		if issuer == nil {
			break
		}
		chain = append(chain, issuer)
	}
	return chain, nil
}

func bagAttributes(attrs []bagAttribute) (name string, keyID []byte, trusted bool, err error) {
	for _, a := range attrs {
		switch {
		case a.ID.Equal(oidFriendlyName):
			var v asn1.RawValue
			if err := unmarshalDER(a.Values.Bytes, &v); err != nil || v.Tag != tagBMPString || len(v.Bytes)%2 != 0 {
				return "", nil, false, errors.New("friendlyName is not one BMPString")
			}
			units := make([]uint16, len(v.Bytes)/2)
			for i := range units {
				units[i] = uint16(v.Bytes[2*i])<<8 | uint16(v.Bytes[2*i+1])
			}
			name = string(utf16.Decode(units))
		case a.ID.Equal(oidLocalKeyID):
			if err := unmarshalDER(a.Values.Bytes, &keyID); err != nil {
				return "", nil, false, errors.New("localKeyId is not one octet string")
			}
		case a.ID.Equal(oidJavaTrusted):
			trusted = true
		}
	}
	return name, keyID, trusted, nil
}

func openContent(ci contentInfo, password string) ([]byte, error) {
	switch {
	case ci.ContentType.Equal(oidData):
		return octets(ci.Content)
	case ci.ContentType.Equal(oidEncryptedData):
		var ed encryptedData
		if err := unmarshalDER(ci.Content.Bytes, &ed); err != nil {
			return nil, err
		}
		return pbeDecrypt(ed.Info.Algorithm, ed.Info.Content, password)
	}
	return nil, fmt.Errorf("unsupported content type %v", ci.ContentType)
}

func openKeyBag(der []byte, password string) (crypto.Signer, error) {
	var info encryptedPrivateKeyInfo
	if err := unmarshalDER(der, &info); err != nil {
		return nil, err
	}
	plain, err := pbeDecrypt(info.Algorithm, info.Data, password)
	if err != nil {
		return nil, err
	}
	key, err := x509.ParsePKCS8PrivateKey(plain)
	if err != nil {
		return nil, err
	}
	signer, ok := key.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("unsupported key type %T", key)
	}
	return signer, nil
}
