package certs

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"hash"
)

// PBES2 (PKCS#5 v2.1, RFC 8018 section 6.2) with PBKDF2 and AES-CBC is how
// openssl encrypts a PEM private key and how keytool (JDK 8u301 and later)
// and go-pkcs12 encrypt a PKCS#12 key bag: one decoder serves both.

// RFC 8018 appendix B identifiers.
var (
	// OIDPBES2 identifies PBES2 in an AlgorithmIdentifier.
	OIDPBES2      = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 13}
	oidPBKDF2     = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 12}
	oidHMACSHA1   = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 7}
	oidHMACSHA256 = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 9}
	oidHMACSHA512 = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 11}
	oidAES128CBC  = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 2}
	oidAES192CBC  = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 22}
	oidAES256CBC  = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 42}
)

// UnsupportedError is a PBES2 part that is not PBKDF2, an HMAC-SHA-1, -256
// or -512 PRF, or AES-CBC. What names the part: "key derivation", "PBKDF2
// function" or "cipher".
type UnsupportedError struct {
	What string
	OID  asn1.ObjectIdentifier
}

func (e *UnsupportedError) Error() string {
	return fmt.Sprintf("%s %v is not supported", e.What, e.OID)
}

type pbes2Params struct {
	KDF pkix.AlgorithmIdentifier
	Enc pkix.AlgorithmIdentifier
}

type pbkdf2Params struct {
	Salt       []byte
	Iterations int
	KeyLength  int                      `asn1:"optional"`
	PRF        pkix.AlgorithmIdentifier `asn1:"optional"`
}

// PBES2Cipher derives the AES block cipher and the CBC IV that params (the
// DER of PBES2-params) describe from password, as UTF-8 (as openssl, Java
// and go-pkcs12 do). An iteration count outside 1..maxIterations is
// refused: it bounds the work an untrusted file can ask for.
func PBES2Cipher(params []byte, password string, maxIterations int) (cipher.Block, []byte, error) {
	var p pbes2Params
	if rest, err := asn1.Unmarshal(params, &p); err != nil || len(rest) != 0 {
		return nil, nil, errors.New("malformed PBES2 parameters")
	}
	if !p.KDF.Algorithm.Equal(oidPBKDF2) {
		return nil, nil, &UnsupportedError{"key derivation", p.KDF.Algorithm}
	}
	var kdf pbkdf2Params
	if rest, err := asn1.Unmarshal(p.KDF.Parameters.FullBytes, &kdf); err != nil || len(rest) != 0 {
		return nil, nil, errors.New("malformed PBKDF2 parameters")
	}
	if kdf.Iterations < 1 || kdf.Iterations > maxIterations {
		return nil, nil, fmt.Errorf("PBKDF2 iteration count %d is outside 1..%d", kdf.Iterations, maxIterations)
	}
	var h func() hash.Hash
	switch prf := kdf.PRF.Algorithm; {
	case len(prf) == 0 || prf.Equal(oidHMACSHA1): // absent means HMAC-SHA-1
		h = sha1.New
	case prf.Equal(oidHMACSHA256):
		h = sha256.New
	case prf.Equal(oidHMACSHA512):
		h = sha512.New
	default:
		return nil, nil, &UnsupportedError{"PBKDF2 function", prf}
	}
	var keyLen int
	switch alg := p.Enc.Algorithm; {
	case alg.Equal(oidAES128CBC):
		keyLen = 16
	case alg.Equal(oidAES192CBC):
		keyLen = 24
	case alg.Equal(oidAES256CBC):
		keyLen = 32
	default:
		return nil, nil, &UnsupportedError{"cipher", alg}
	}
	var iv []byte
	if rest, err := asn1.Unmarshal(p.Enc.Parameters.FullBytes, &iv); err != nil || len(rest) != 0 || len(iv) != aes.BlockSize {
		return nil, nil, errors.New("malformed AES-CBC parameters")
	}
	key, err := pbkdf2.Key(h, password, kdf.Salt, kdf.Iterations, keyLen)
	if err != nil {
		return nil, nil, err
	}
	block, err := aes.NewCipher(key)
	return block, iv, err
}
