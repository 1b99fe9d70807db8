package emit

import (
	"bytes"
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"hash"
	"io"
	"strconv"
	"strings"
	"unicode/utf16"

	pkcs12 "software.sslmate.com/src/go-pkcs12"
)

// Object identifiers: RFC 7292 (PKCS#12), RFC 8018 (PKCS#5), RFC 2985 (PKCS#9), and Oracle's
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
	oidSHA1           = asn1.ObjectIdentifier{1, 3, 14, 3, 2, 26}
	oidSHA256         = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	oidSHA512         = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 3}
	oidPBEWith3DES    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 1, 3}
	oidPBES2          = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 13}
	oidPBKDF2         = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 12}
	oidHMACSHA1       = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 7}
	oidHMACSHA256     = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 9}
	oidHMACSHA512     = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 11}
	oidAES128CBC      = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 2}
	oidAES192CBC      = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 22}
	oidAES256CBC      = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 42}
)

const (
	pfxVersion = 3 // RFC 7292 section 4: the only PFX version
	// ID bytes of the RFC 7292 appendix B.3 key derivation: cipher key, IV, MAC key.
	kdfKeyID = 1
	kdfIVID  = 2
	kdfMACID = 3
	// maxIterations is the most KDF iterations accepted from a file: JDK's PKCS12KeyStore refuses
	// more, and it bounds the work a hostile file can demand.
	maxIterations = 5_000_000
	tagBMPString  = 30
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

type pbeParams struct {
	Salt       []byte
	Iterations int
}

type pbes2Params struct {
	KDF    pkix.AlgorithmIdentifier
	Scheme pkix.AlgorithmIdentifier
}

type pbkdf2Params struct {
	Salt       []byte
	Iterations int
	KeyLength  int                      `asn1:"optional"`
	PRF        pkix.AlgorithmIdentifier `asn1:"optional"`
}

func (e StoreEncoder) pkcs12Encoder(p Profile) *pkcs12.Encoder {
	if p == Legacy {
		return pkcs12.LegacyDES.WithRand(e.Rand)
	}
	return pkcs12.Modern2023.WithRand(e.Rand)
}

func (e StoreEncoder) encodePKCS12KeyStore(p Profile, entry KeyEntry, password string) ([]byte, error) {
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

func (e StoreEncoder) encodePKCS12TrustStore(p Profile, entries []TrustedCert, password string) ([]byte, error) {
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
func (e StoreEncoder) nameKeyBag(der []byte, alias, password string) ([]byte, error) {
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

// decodePKCS12 reads a password-integrity PKCS#12 store as JDK 17's PKCS12KeyStore does: a key
// bag is a key entry named by its friendlyName, the certificate with the same localKeyId starts
// its chain, and a certificate bag with Oracle's trusted attribute is a trusted-certificate
// entry. Aliases are lower-cased, as Java does on load; an entry without a name gets Java's
// counter name ("1", "2", ...). Bags Java makes no entry of (plain key bags, secret and CRL bags)
// are skipped.
func decodePKCS12(data []byte, password string) (*DecodedStore, error) {
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
	var parts []contentInfo
	if err := unmarshalDER(authSafe, &parts); err != nil {
		return nil, fmt.Errorf("read pkcs12 authenticated safe: %w", err)
	}
	var bags []safeBag
	for i, part := range parts {
		raw, err := openContent(part, password)
		if err != nil {
			return nil, fmt.Errorf("read pkcs12 safe contents %d: %w", i, err)
		}
		var more []safeBag
		if err := unmarshalDER(raw, &more); err != nil {
			return nil, fmt.Errorf("read pkcs12 safe contents %d: %w", i, err)
		}
		bags = append(bags, more...)
	}
	return storeFromBags(bags, password)
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
			return nil, fmt.Errorf("pkcs12 bag %d: %w", i, err)
		}
		switch {
		case bag.ID.Equal(oidShroudedKeyBag):
			key, err := openKeyBag(bag.Value.Bytes, password)
			if err != nil {
				return nil, fmt.Errorf("pkcs12 key bag %d: %w", i, err)
			}
			keys = append(keys, p12Key{key: key, alias: javaName(name), keyID: keyID})
		case bag.ID.Equal(oidCertBag):
			var cb certBag
			if err := unmarshalDER(bag.Value.Bytes, &cb); err != nil || !cb.ID.Equal(oidX509Cert) {
				return nil, fmt.Errorf("pkcs12 bag %d: not an x.509 certificate bag", i)
			}
			cert, err := x509.ParseCertificate(cb.Cert)
			if err != nil {
				return nil, fmt.Errorf("pkcs12 bag %d: %w", i, err)
			}
			certs = append(certs, p12Cert{cert: cert, name: name, keyID: keyID, trusted: trusted})
		}
	}
	store := &DecodedStore{}
	for _, k := range keys {
		chain, err := keyChain(k, certs)
		if err != nil {
			return nil, err
		}
		store.Keys = append(store.Keys, KeyEntry{Alias: k.alias, Key: k.key, Chain: chain})
	}
	for _, c := range certs {
		if c.trusted {
			store.Trusted = append(store.Trusted, TrustedCert{Alias: javaName(c.name), Cert: c.cert})
		}
	}
	return store, nil
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

// pbeDecrypt supports what go-pkcs12's Modern2023 and LegacyDES and JDK 8u301+ keytool write:
// PBES2 with PBKDF2 and AES-CBC, and PBE-SHA1-3DES. RC2 (keytool before 8u301) is refused.
func pbeDecrypt(alg pkix.AlgorithmIdentifier, data []byte, password string) ([]byte, error) {
	var block cipher.Block
	var iv []byte
	switch {
	case alg.Algorithm.Equal(oidPBEWith3DES):
		var p pbeParams
		if err := unmarshalDER(alg.Parameters.FullBytes, &p); err != nil {
			return nil, err
		}
		if err := checkIterations(p.Iterations); err != nil {
			return nil, err
		}
		pw := bmpString(password, true)
		key := pkcs12KDF(sha1.New, kdfKeyID, pw, p.Salt, p.Iterations, 24)
		iv = pkcs12KDF(sha1.New, kdfIVID, pw, p.Salt, p.Iterations, des.BlockSize)
		block, _ = des.NewTripleDESCipher(key)
	case alg.Algorithm.Equal(oidPBES2):
		var err error
		if block, iv, err = pbes2Cipher(alg.Parameters.FullBytes, password); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("unsupported encryption algorithm %v", alg.Algorithm)
	}
	size := block.BlockSize()
	if len(data) == 0 || len(data)%size != 0 || len(iv) != size {
		return nil, errors.New("encrypted data is not whole cipher blocks")
	}
	plain := make([]byte, len(data))
	cipher.NewCBCDecrypter(block, iv).CryptBlocks(plain, data)
	pad := int(plain[len(plain)-1])
	if pad == 0 || pad > size {
		return nil, errors.New("decrypted data has bad padding")
	}
	for _, b := range plain[len(plain)-pad:] {
		if int(b) != pad {
			return nil, errors.New("decrypted data has bad padding")
		}
	}
	return plain[:len(plain)-pad], nil
}

// pbes2Cipher derives the AES key of PBES2 (RFC 8018 section 6.2) from the password as UTF-8,
// as go-pkcs12 and Java do.
func pbes2Cipher(params []byte, password string) (cipher.Block, []byte, error) {
	var p pbes2Params
	if err := unmarshalDER(params, &p); err != nil {
		return nil, nil, err
	}
	var kp pbkdf2Params
	if !p.KDF.Algorithm.Equal(oidPBKDF2) {
		return nil, nil, fmt.Errorf("unsupported pbes2 key derivation %v", p.KDF.Algorithm)
	}
	if err := unmarshalDER(p.KDF.Parameters.FullBytes, &kp); err != nil {
		return nil, nil, err
	}
	if err := checkIterations(kp.Iterations); err != nil {
		return nil, nil, err
	}
	prf := sha1.New // RFC 8018: an absent PRF means HMAC-SHA-1
	if len(kp.PRF.Algorithm) != 0 {
		var err error
		if prf, err = hashFor(kp.PRF.Algorithm); err != nil {
			return nil, nil, err
		}
	}
	var keyLen int
	switch {
	case p.Scheme.Algorithm.Equal(oidAES128CBC):
		keyLen = 16
	case p.Scheme.Algorithm.Equal(oidAES192CBC):
		keyLen = 24
	case p.Scheme.Algorithm.Equal(oidAES256CBC):
		keyLen = 32
	default:
		return nil, nil, fmt.Errorf("unsupported pbes2 cipher %v", p.Scheme.Algorithm)
	}
	var iv []byte
	if err := unmarshalDER(p.Scheme.Parameters.FullBytes, &iv); err != nil {
		return nil, nil, err
	}
	key, err := pbkdf2.Key(prf, password, kp.Salt, kp.Iterations, keyLen)
	if err != nil {
		return nil, nil, err
	}
	block, err := aes.NewCipher(key)
	return block, iv, err
}

// pkcs12MAC is the HMAC of RFC 7292 appendix B: its key comes from the PKCS#12 KDF with ID 3,
// the MAC's own hash, and the password as a zero-terminated BMPString.
func pkcs12MAC(md macData, authSafe []byte, password string) ([]byte, error) {
	h, err := hashFor(md.Mac.Algorithm.Algorithm)
	if err != nil {
		return nil, err
	}
	if err := checkIterations(md.Iterations); err != nil {
		return nil, err
	}
	key := pkcs12KDF(h, kdfMACID, bmpString(password, true), md.Salt, md.Iterations, h().Size())
	m := hmac.New(h, key)
	m.Write(authSafe)
	return m.Sum(nil), nil
}

// hashFor maps a MAC digest or a PBKDF2 PRF to its hash.
func hashFor(alg asn1.ObjectIdentifier) (func() hash.Hash, error) {
	switch {
	case alg.Equal(oidSHA1), alg.Equal(oidHMACSHA1):
		return sha1.New, nil
	case alg.Equal(oidSHA256), alg.Equal(oidHMACSHA256):
		return sha256.New, nil
	case alg.Equal(oidSHA512), alg.Equal(oidHMACSHA512):
		return sha512.New, nil
	}
	return nil, fmt.Errorf("unsupported digest algorithm %v", alg)
}

func checkIterations(n int) error {
	if n < 1 || n > maxIterations {
		return fmt.Errorf("iteration count %d is outside 1..%d", n, maxIterations)
	}
	return nil
}

// pkcs12KDF derives size bytes as RFC 7292 appendix B.2 describes, with u = the hash's size and
// v = its block size. Purpose id 1 makes cipher keys, 2 IVs and 3 MAC keys.
func pkcs12KDF(newHash func() hash.Hash, id byte, password, salt []byte, iterations, size int) []byte {
	h := newHash()
	v := h.BlockSize()
	d := make([]byte, v)
	for i := range d {
		d[i] = id
	}
	input := append(repeatTo(salt, v), repeatTo(password, v)...)
	out := make([]byte, 0, size+h.Size())
	for {
		h.Reset()
		h.Write(d)
		h.Write(input)
		a := h.Sum(nil)
		for r := 1; r < iterations; r++ {
			h.Reset()
			h.Write(a)
			a = h.Sum(a[:0])
		}
		out = append(out, a...)
		if len(out) >= size {
			return out[:size]
		}
		// Each v-byte block of input becomes (block + B + 1) mod 2^(8v), B being a repeated to v bytes.
		b := repeatTo(a, v)
		for j := 0; j < len(input); j += v {
			carry := 1
			for k := v - 1; k >= 0; k-- {
				sum := int(input[j+k]) + int(b[k]) + carry
				input[j+k], carry = byte(sum), sum>>8
			}
		}
	}
}

// repeatTo repeats s to the shortest multiple of v bytes that holds it (empty stays empty).
func repeatTo(s []byte, v int) []byte {
	if len(s) == 0 {
		return nil
	}
	out := make([]byte, (len(s)+v-1)/v*v)
	for i := range out {
		out[i] = s[i%len(s)]
	}
	return out
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

func unmarshalDER(der []byte, v any) error {
	rest, err := asn1.Unmarshal(der, v)
	if err == nil && len(rest) != 0 {
		err = errors.New("trailing data after asn.1 value")
	}
	return err
}
