package keystore

import (
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"unicode/utf16"
)

// Object identifiers of the PFX layout: RFC 7292 (PKCS#12), RFC 2985 (PKCS#9), and Oracle's
// attribute that makes a certificate bag a Java trusted-certificate entry.
var (
	oidData           = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	oidEncryptedData  = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 6}
	oidShroudedKeyBag = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 10, 1, 2}
	oidCertBag        = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 10, 1, 3}
	oidX509Cert       = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 22, 1}
	oidFriendlyName   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 20}
	oidLocalKeyID     = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 21}
	oidJavaTrusted    = asn1.ObjectIdentifier{2, 16, 840, 1, 113894, 746875, 1, 1}
)

const (
	pfxVersion   = 3 // RFC 7292 section 4: the only PFX version
	tagBMPString = 30
)

// PFX structures (RFC 7292 section 4). RawValue fields that are not changed keep their exact
// bytes when marshalled again.
type pfxPDU struct {
	Version  int
	AuthSafe contentInfo
	MacData  macData `asn1:"optional"`
}

type contentInfo struct {
	ContentType asn1.ObjectIdentifier
	Content     asn1.RawValue `asn1:"tag:0,explicit,optional"`
}

type macData struct {
	Mac        digestInfo
	Salt       []byte
	Iterations int `asn1:"optional,default:1"`
}

type digestInfo struct {
	Algorithm pkix.AlgorithmIdentifier
	Digest    []byte
}

type safeBag struct {
	ID         asn1.ObjectIdentifier
	Value      asn1.RawValue  `asn1:"tag:0,explicit"`
	Attributes []bagAttribute `asn1:"set,optional"`
}

type bagAttribute struct {
	ID     asn1.ObjectIdentifier
	Values asn1.RawValue `asn1:"set"`
}

type certBag struct {
	ID   asn1.ObjectIdentifier
	Cert []byte `asn1:"tag:0,explicit"`
}

type encryptedData struct {
	Version int
	Info    struct {
		ContentType asn1.ObjectIdentifier
		Algorithm   pkix.AlgorithmIdentifier
		Content     []byte `asn1:"tag:0,optional"`
	}
}

type encryptedPrivateKeyInfo struct {
	Algorithm pkix.AlgorithmIdentifier
	Data      []byte
}

// bmpString encodes s as big-endian UTF-16, with the terminating zero PKCS#12 passwords carry.
func bmpString(s string, zeroTerminated bool) []byte {
	var out []byte
	for _, u := range utf16.Encode([]rune(s)) {
		out = append(out, byte(u>>8), byte(u))
	}
	if zeroTerminated {
		out = append(out, 0, 0)
	}
	return out
}

// octets returns the OCTET STRING inside an explicitly tagged content field.
func octets(content asn1.RawValue) ([]byte, error) {
	var b []byte
	err := unmarshalDER(content.Bytes, &b)
	return b, err
}

// marshalOctets wraps the DER of v in an OCTET STRING inside an explicit [0] tag.
func marshalOctets(v any) (asn1.RawValue, error) {
	inner, err := asn1.Marshal(v)
	if err != nil {
		return asn1.RawValue{}, err
	}
	wrapped, err := asn1.Marshal(inner)
	return asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: wrapped}, err
}

// errMalformedDER is every DER parse failure: encoding/asn1's own text
// ("asn1: structure error: tags don't match (16 vs {class:1 ...") is for
// Go programmers, and reaches users through the errors that wrap this one.
var errMalformedDER = errors.New("malformed DER (the file is truncated or not of this format)")

func unmarshalDER(der []byte, v any) error {
	rest, err := asn1.Unmarshal(der, v)
	if err != nil {
		return errMalformedDER
	}
	if len(rest) != 0 {
		return errors.New("trailing data after the DER value")
	}
	return nil
}
