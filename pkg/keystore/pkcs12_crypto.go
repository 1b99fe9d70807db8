package keystore

import (
	"crypto/cipher"
	"crypto/des"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"hash"

	"github.com/wso2ks/wso2ks/pkg/certs"
)

// Algorithm identifiers of the PKCS#12 MAC and of the legacy encryption the reader opens:
// RFC 7292 appendix C (PBE-SHA1-3DES) and the SHA and HMAC-SHA identifiers a MAC names. PBES2
// (RFC 8018), which openssl's encrypted PEM keys use too, is certs.PBES2Cipher's.
var (
	oidSHA1        = asn1.ObjectIdentifier{1, 3, 14, 3, 2, 26}
	oidSHA256      = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	oidSHA512      = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 3}
	oidPBEWith3DES = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 1, 3}
	oidHMACSHA1    = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 7}
	oidHMACSHA256  = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 9}
	oidHMACSHA512  = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 11}
)

const (
	// ID bytes of the RFC 7292 appendix B.3 key derivation: cipher key, IV, MAC key.
	kdfKeyID = 1
	kdfIVID  = 2
	kdfMACID = 3
	// maxIterations is the most KDF iterations accepted from a file: JDK's PKCS12KeyStore refuses
	// more, and it bounds the work a hostile file can demand.
	maxIterations = 5_000_000
)

type pbeParams struct {
	Salt       []byte
	Iterations int
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
	case alg.Algorithm.Equal(certs.OIDPBES2):
		var err error
		if block, iv, err = certs.PBES2Cipher(alg.Parameters.FullBytes, password, maxIterations); err != nil {
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
