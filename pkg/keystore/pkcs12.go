package keystore

import (
	"bytes"
	"encoding/asn1"
	"errors"
	"fmt"
	"io"

	"github.com/wso2ks/wso2ks/pkg/certs"
	pkcs12 "software.sslmate.com/src/go-pkcs12"
)

func (e Encoder) pkcs12Encoder(p Profile) *pkcs12.Encoder {
	if p == Legacy {
		return pkcs12.LegacyDES.WithRand(e.Rand)
	}
	return pkcs12.Modern2023.WithRand(e.Rand)
}

func (e Encoder) encodePKCS12KeyStore(p Profile, entry KeyEntry, password string) ([]byte, error) {
	der, err := e.pkcs12Encoder(p).Encode(entry.Key, entry.Chain[0], entry.Chain[1:], password)
	if err != nil {
		return nil, fmt.Errorf("encode pkcs12 key entry %q: %w", entry.Alias, err)
	}
	der, err = e.nameKeyBag(der, entry.Alias, password)
	if err != nil {
		return nil, fmt.Errorf("name pkcs12 key entry %q: %w", entry.Alias, err)
	}
	return der, nil
}

func (e Encoder) encodePKCS12TrustStore(p Profile, entries []TrustedCert, password string) ([]byte, error) {
	list := make([]pkcs12.TrustStoreEntry, len(entries))
	for i, t := range entries {
		list[i] = pkcs12.TrustStoreEntry{Cert: t.Cert, FriendlyName: t.Alias}
	}
	der, err := e.pkcs12Encoder(p).EncodeTrustStoreEntries(list, password)
	if err != nil {
		return nil, fmt.Errorf("encode pkcs12 trust store: %w", err)
	}
	return der, nil
}

// nameKeyBag gives the key bag of a go-pkcs12 key store the friendlyName attribute Java takes
// the alias from. The key bag is in an unencrypted SafeContents, so only that SafeContents is
// marshalled again; the encrypted certificates keep their bytes (Java links the leaf to the key
// by localKeyId, not by name). The MAC is then computed again over the changed authenticated
// safe with the same algorithm and iteration count and a fresh salt.
func (e Encoder) nameKeyBag(der []byte, alias, password string) ([]byte, error) {
	var pfx pfxPDU
	if err := unmarshalDER(der, &pfx); err != nil {
		return nil, err
	}
	authSafe, err := octets(pfx.AuthSafe.Content)
	if err != nil {
		return nil, err
	}
	var parts []contentInfo
	if err := unmarshalDER(authSafe, &parts); err != nil {
		return nil, err
	}
	named := 0
	for i := range parts {
		if !parts[i].ContentType.Equal(oidData) {
			continue // encrypted parts hold the certificates
		}
		raw, err := octets(parts[i].Content)
		if err != nil {
			return nil, err
		}
		var bags []safeBag
		if err := unmarshalDER(raw, &bags); err != nil {
			return nil, err
		}
		for j := range bags {
			if bags[j].ID.Equal(oidShroudedKeyBag) {
				bags[j].Attributes = withFriendlyName(bags[j].Attributes, alias)
				named++
			}
		}
		if parts[i].Content, err = marshalOctets(bags); err != nil {
			return nil, err
		}
	}
	if named != 1 {
		return nil, fmt.Errorf("go-pkcs12 wrote %d unencrypted key bags, want 1", named)
	}
	if authSafe, err = asn1.Marshal(parts); err != nil {
		return nil, err
	}
	if pfx.AuthSafe.Content, err = marshalOctets(asn1.RawValue{FullBytes: authSafe}); err != nil {
		return nil, err
	}
	if len(pfx.MacData.Salt) == 0 {
		return nil, errors.New("go-pkcs12 wrote no password mac")
	}
	pfx.MacData.Salt = make([]byte, len(pfx.MacData.Salt))
	if _, err := io.ReadFull(e.Rand, pfx.MacData.Salt); err != nil {
		return nil, fmt.Errorf("read mac salt: %w", err)
	}
	if pfx.MacData.Mac.Digest, err = pkcs12MAC(pfx.MacData, authSafe, password); err != nil {
		return nil, err
	}
	return asn1.Marshal(pfx)
}

// withFriendlyName replaces any friendlyName attribute with one holding name as a BMPString.
func withFriendlyName(attrs []bagAttribute, name string) []bagAttribute {
	out := []bagAttribute{}
	for _, a := range attrs {
		if !a.ID.Equal(oidFriendlyName) {
			out = append(out, a)
		}
	}
	value, _ := asn1.Marshal(asn1.RawValue{Tag: tagBMPString, Bytes: bmpString(name, false)})
	set := asn1.RawValue{Tag: asn1.TagSet, IsCompound: true, Bytes: value}
	return append(out, bagAttribute{ID: oidFriendlyName, Values: set})
}

// ProfileOf tells which profile encoded a PKCS#12 store: PBES2 is
// Modern, anything else Legacy.
func ProfileOf(data []byte) Profile {
	oid, _ := asn1.Marshal(certs.OIDPBES2)
	if bytes.Contains(data, oid) {
		return Modern
	}
	return Legacy
}
