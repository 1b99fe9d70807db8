package keystore

import (
	"bytes"
	"crypto"
	"crypto/sha1"
	"crypto/subtle"
	"crypto/x509"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	keystore "github.com/pavlo-v-chernykh/keystore-go/v4"
)

// The JKS file layout (sun.security.provider.JavaKeyStore): magic, version, entry count, the
// entries, then a SHA-1 digest over the password, a fixed whitener and everything before it.
const (
	jksMagic      = 0xfeedfeed // JCEKS files (0xcececece) are not read here
	jksVersion1   = 1          // certificates carry no type string
	jksVersion2   = 2          // what keytool and keystore-go write
	jksTagKey     = 1
	jksTagTrusted = 2
	jksCertType   = "X.509" // what Java writes (Certificate.getType)
	jksCertAlias  = "X509"  // keystore-go's examples write this; CertificateFactory accepts it too
	jksDigestLen  = sha1.Size
	jksWhitener   = "Mighty Aphrodite" // mixed into the digest by every JKS implementation
)

func (e Encoder) newJKS() keystore.KeyStore {
	return keystore.New(keystore.WithOrderedAliases(), keystore.WithCustomRandomNumberGenerator(e.Rand))
}

func (e Encoder) encodeJKSKeyStore(entry KeyEntry, password string) ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(entry.Key)
	if err != nil {
		return nil, fmt.Errorf("marshal private key %q: %w", entry.Alias, err)
	}
	chain := make([]keystore.Certificate, len(entry.Chain))
	for i, c := range entry.Chain {
		chain[i] = keystore.Certificate{Type: jksCertType, Content: c.Raw}
	}
	ks := e.newJKS()
	pke := keystore.PrivateKeyEntry{CreationTime: e.Created, PrivateKey: der, CertificateChain: chain}
	if err := ks.SetPrivateKeyEntry(entry.Alias, pke, []byte(password)); err != nil {
		return nil, fmt.Errorf("add jks key entry %q: %w", entry.Alias, err)
	}
	return storeJKS(ks, password)
}

func (e Encoder) encodeJKSTrustStore(entries []TrustedCert, password string) ([]byte, error) {
	ks := e.newJKS()
	for _, t := range entries {
		tce := keystore.TrustedCertificateEntry{
			CreationTime: e.Created,
			Certificate:  keystore.Certificate{Type: jksCertType, Content: t.Cert.Raw},
		}
		if err := ks.SetTrustedCertificateEntry(t.Alias, tce); err != nil {
			return nil, fmt.Errorf("add jks trusted entry %q: %w", t.Alias, err)
		}
	}
	return storeJKS(ks, password)
}

func storeJKS(ks keystore.KeyStore, password string) ([]byte, error) {
	var buf bytes.Buffer
	if err := ks.Store(&buf, []byte(password)); err != nil {
		return nil, fmt.Errorf("write jks: %w", err)
	}
	return buf.Bytes(), nil
}

// DecodeJKSKeyPassword reads a JKS store whose key entries are protected with keyPassword, not
// with the store password: Decode opens keys with the store password only (what wso2ks writes
// and what Tomcat needs), while IS and APIM open primary and internal keys with key_password.
func DecodeJKSKeyPassword(data []byte, storePassword, keyPassword string) (*DecodedStore, error) {
	if err := checkPassword(storePassword); err != nil {
		return nil, err
	}
	return decodeJKS(data, storePassword, keyPassword)
}

// DecodeKeyPassword decodes a store with its password and, when a JKS key entry does not open
// with it (ErrKeyPassword), again with keyPassword for the keys; byKeyPassword tells which
// opened them. keyPassword "" means none is known. When the keys open with neither, the error
// is Decode's: the store password's.
func DecodeKeyPassword(f Format, data []byte, password, keyPassword string) (store *DecodedStore, byKeyPassword bool, err error) {
	store, err = Decode(f, data, password)
	if err == nil || f != JKS || keyPassword == "" || keyPassword == password || !errors.Is(err, ErrKeyPassword) {
		return store, false, err
	}
	if st, kerr := DecodeJKSKeyPassword(data, password, keyPassword); kerr == nil {
		return st, true, nil
	}
	return nil, false, err
}

// decodeJKS checks the layout and the digest itself, so that a wrong password is told apart
// from a damaged file, then lets keystore-go decode the entries and unprotect the keys with
// keyPassword.
func decodeJKS(data []byte, password, keyPassword string) (*DecodedStore, error) {
	records, end, err := scanJKS(data)
	if err != nil {
		return nil, err
	}
	body, digest := data[:end-jksDigestLen], data[end-jksDigestLen:end]
	if subtle.ConstantTimeCompare(jksDigest(body, password), digest) != 1 {
		return nil, ErrIncorrectPassword
	}
	ks := keystore.New(keystore.WithCaseExactAliases())
	if err := ks.Load(bytes.NewReader(data), []byte(password)); err != nil {
		return nil, fmt.Errorf("read jks: %w", err)
	}
	store := &DecodedStore{}
	for _, rec := range records {
		alias := rec.alias
		if ks.IsPrivateKeyEntry(alias) {
			entry, err := jksKeyEntry(ks, alias, keyPassword)
			if err != nil {
				return nil, err
			}
			entry.Created = rec.created
			store.Keys = append(store.Keys, entry)
			continue
		}
		tce, err := ks.GetTrustedCertificateEntry(alias)
		if err != nil {
			return nil, fmt.Errorf("jks entry %q: %w", alias, err)
		}
		cert, err := jksCertificate(tce.Certificate)
		if err != nil {
			return nil, fmt.Errorf("jks trusted entry %q: %w", alias, err)
		}
		store.Trusted = append(store.Trusted, TrustedCert{Alias: alias, Cert: cert, Created: rec.created})
	}
	return store, nil
}

func jksKeyEntry(ks keystore.KeyStore, alias, password string) (KeyEntry, error) {
	pke, err := ks.GetPrivateKeyEntry(alias, []byte(password))
	if err != nil {
		return KeyEntry{}, fmt.Errorf("open jks key entry %q: %w: %w", alias, ErrKeyPassword, err)
	}
	key, err := x509.ParsePKCS8PrivateKey(pke.PrivateKey)
	if err != nil {
		return KeyEntry{}, fmt.Errorf("jks key entry %q: %w", alias, err)
	}
	signer, ok := key.(crypto.Signer)
	if !ok {
		return KeyEntry{}, fmt.Errorf("jks key entry %q: unsupported key type %T", alias, key)
	}
	entry := KeyEntry{Alias: alias, Key: signer}
	for i, c := range pke.CertificateChain {
		cert, err := jksCertificate(c)
		if err != nil {
			return KeyEntry{}, fmt.Errorf("jks key entry %q, certificate %d: %w", alias, i, err)
		}
		entry.Chain = append(entry.Chain, cert)
	}
	return entry, nil
}

func jksCertificate(c keystore.Certificate) (*x509.Certificate, error) {
	if c.Type != jksCertType && c.Type != jksCertAlias {
		return nil, fmt.Errorf("certificate type %q, want %q", c.Type, jksCertType)
	}
	return x509.ParseCertificate(c.Content)
}

// jksDigest is the JKS integrity digest: SHA-1 over the password as UTF-16BE, the whitener and
// the body. The password is printable ASCII (checkPassword), so each character is one byte.
func jksDigest(body []byte, password string) []byte {
	h := sha1.New()
	for _, c := range []byte(password) {
		h.Write([]byte{0, c})
	}
	h.Write([]byte(jksWhitener))
	h.Write(body)
	return h.Sum(nil)
}

// jksRecord is one entry as the JKS layout holds it: nothing in it is checked against the digest.
type jksRecord struct {
	alias   string
	key     bool
	created time.Time // stored in milliseconds since 1970
	certs   [][]byte  // DER, the chain of a key entry or the one trusted certificate
}

// scanJKS walks the JKS layout without decoding it and returns the entries in file order and the
// offset just past the digest. keystore-go allocates whatever a length field claims before it
// reads, so every length is checked against the bytes actually present first.
func scanJKS(data []byte) (records []jksRecord, end int, err error) {
	r := jksReader{b: data}
	if r.u32() != jksMagic {
		return nil, 0, errors.New("not a jks store: wrong magic number")
	}
	version := r.u32()
	if version != jksVersion1 && version != jksVersion2 {
		return nil, 0, fmt.Errorf("unsupported jks version %d", version)
	}
	seen := make(map[string]bool)
	for n, i := r.u32(), uint32(0); i < n && !r.short; i++ {
		tag := r.u32()
		rec := jksRecord{alias: string(r.next(r.u16())), key: tag == jksTagKey}
		rec.created = time.UnixMilli(int64(r.u64())).UTC()
		switch tag {
		case jksTagKey:
			r.next(int(r.u32())) // the protected key
			for certs, j := r.u32(), uint32(0); j < certs && !r.short; j++ {
				rec.certs = append(rec.certs, r.cert(version))
			}
		case jksTagTrusted:
			rec.certs = append(rec.certs, r.cert(version))
		default:
			if !r.short {
				return nil, 0, fmt.Errorf("jks entry %d has unknown tag %d", i, tag)
			}
		}
		if seen[rec.alias] && !r.short {
			return nil, 0, fmt.Errorf("jks store has alias %q twice", rec.alias)
		}
		seen[rec.alias] = true
		records = append(records, rec)
	}
	r.next(jksDigestLen)
	if r.short {
		return nil, 0, errors.New("jks store is truncated")
	}
	return records, r.off, nil
}

// jksReader reads big-endian fields; reading past the end sets short and yields zeros.
type jksReader struct {
	b     []byte
	off   int
	short bool
}

func (r *jksReader) next(n int) []byte {
	if r.short || n < 0 || n > len(r.b)-r.off {
		r.short = true
		return nil
	}
	s := r.b[r.off : r.off+n]
	r.off += n
	return s
}

func (r *jksReader) u16() int {
	if b := r.next(2); b != nil {
		return int(binary.BigEndian.Uint16(b))
	}
	return 0
}

func (r *jksReader) u32() uint32 {
	if b := r.next(4); b != nil {
		return binary.BigEndian.Uint32(b)
	}
	return 0
}

func (r *jksReader) u64() uint64 {
	if b := r.next(8); b != nil {
		return binary.BigEndian.Uint64(b)
	}
	return 0
}

// cert reads one certificate and returns its encoding (the type string is checked on decoding).
func (r *jksReader) cert(version uint32) []byte {
	if version == jksVersion2 {
		r.next(r.u16()) // certificate type
	}
	return r.next(int(r.u32()))
}
