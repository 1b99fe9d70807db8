package certs

import (
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"hash"
)

// Errors of ParseKeyPEM a caller turns into advice.
var (
	// ErrPassphraseNeeded: the key is encrypted and no passphrase was given.
	ErrPassphraseNeeded = errors.New("the key is encrypted and needs a passphrase")
	// ErrWrongPassphrase: the passphrase does not decrypt the key.
	ErrWrongPassphrase = errors.New("the passphrase does not decrypt the key")
)

// maxPBKDF2Iterations bounds the work an untrusted key file can ask for;
// openssl's default is 2048 and a careful user's a few hundred thousand.
const maxPBKDF2Iterations = 10_000_000

// ParseKeyPEM reads the first private key of a PEM file: PKCS#1 ("RSA
// PRIVATE KEY"), PKCS#8 ("PRIVATE KEY") or SEC1 ("EC PRIVATE KEY");
// encrypted as PKCS#8 PBES2 with PBKDF2 and AES-CBC ("ENCRYPTED PRIVATE
// KEY", openssl pkcs8 -topk8 -v2) or in the legacy "Proc-Type: 4,ENCRYPTED"
// form (openssl rsa -aes256), with passphrase. Nil passphrase: none given.
func ParseKeyPEM(data, passphrase []byte) (crypto.Signer, error) {
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			return nil, errors.New("no PEM private key found")
		}
		der := block.Bytes
		switch block.Type {
		case "RSA PRIVATE KEY", "EC PRIVATE KEY", "PRIVATE KEY":
			//lint:ignore SA1019 the legacy form is what openssl rsa -aes256 writes.
			if x509.IsEncryptedPEMBlock(block) { //nolint:staticcheck
				if passphrase == nil {
					return nil, ErrPassphraseNeeded
				}
				var err error
				//lint:ignore SA1019 see above.
				if der, err = x509.DecryptPEMBlock(block, passphrase); err != nil { //nolint:staticcheck
					return nil, ErrWrongPassphrase
				}
				// One wrong passphrase in 256 passes the padding check.
				if key, err := parseKeyDER(block.Type, der); err == nil {
					return key, nil
				}
				return nil, ErrWrongPassphrase
			}
			return parseKeyDER(block.Type, der)
		case "ENCRYPTED PRIVATE KEY":
			if passphrase == nil {
				return nil, ErrPassphraseNeeded
			}
			der, err := decryptPKCS8(der, passphrase)
			if err != nil {
				return nil, err
			}
			return parseKeyDER("PRIVATE KEY", der)
		}
	}
}

func parseKeyDER(typ string, der []byte) (crypto.Signer, error) {
	var key any
	var err error
	switch typ {
	case "RSA PRIVATE KEY":
		key, err = x509.ParsePKCS1PrivateKey(der)
	case "EC PRIVATE KEY":
		key, err = x509.ParseECPrivateKey(der)
	default:
		key, err = x509.ParsePKCS8PrivateKey(der)
	}
	if err != nil {
		return nil, err
	}
	s, ok := key.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("a %T cannot sign", key)
	}
	return s, nil
}

// PKCS#5 v2.1 (RFC 8018) and RFC 8018 appendix B identifiers.
var (
	oidPBES2      = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 13}
	oidPBKDF2     = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 12}
	oidHMACSHA1   = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 7}
	oidHMACSHA256 = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 9}
	oidHMACSHA512 = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 11}
	oidAES128CBC  = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 2}
	oidAES192CBC  = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 22}
	oidAES256CBC  = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 42}
)

type encryptedPrivateKeyInfo struct {
	Algo pkix.AlgorithmIdentifier
	Data []byte
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

// decryptPKCS8 decrypts an EncryptedPrivateKeyInfo made with PBES2,
// PBKDF2 (HMAC-SHA-1, -256 or -512) and AES-CBC: what openssl writes.
func decryptPKCS8(der, passphrase []byte) ([]byte, error) {
	var info encryptedPrivateKeyInfo
	if rest, err := asn1.Unmarshal(der, &info); err != nil || len(rest) != 0 {
		return nil, errors.New("malformed encrypted PKCS#8 key")
	}
	if !info.Algo.Algorithm.Equal(oidPBES2) {
		return nil, fmt.Errorf("encryption %v is not supported; re-encrypt with openssl pkcs8 -topk8 -v2 aes-256-cbc", info.Algo.Algorithm)
	}
	var params pbes2Params
	if _, err := asn1.Unmarshal(info.Algo.Parameters.FullBytes, &params); err != nil {
		return nil, errors.New("malformed PBES2 parameters")
	}
	if !params.KDF.Algorithm.Equal(oidPBKDF2) {
		return nil, fmt.Errorf("key derivation %v is not supported; re-encrypt with openssl pkcs8 -topk8 -v2 aes-256-cbc", params.KDF.Algorithm)
	}
	var kdf pbkdf2Params
	if _, err := asn1.Unmarshal(params.KDF.Parameters.FullBytes, &kdf); err != nil {
		return nil, errors.New("malformed PBKDF2 parameters")
	}
	if kdf.Iterations < 1 || kdf.Iterations > maxPBKDF2Iterations {
		return nil, fmt.Errorf("PBKDF2 iteration count %d is out of range", kdf.Iterations)
	}
	var h func() hash.Hash
	switch prf := kdf.PRF.Algorithm; {
	case len(prf) == 0 || prf.Equal(oidHMACSHA1):
		h = sha1.New
	case prf.Equal(oidHMACSHA256):
		h = sha256.New
	case prf.Equal(oidHMACSHA512):
		h = sha512.New
	default:
		return nil, fmt.Errorf("PBKDF2 function %v is not supported", prf)
	}
	var keyLen int
	switch alg := params.Enc.Algorithm; {
	case alg.Equal(oidAES128CBC):
		keyLen = 16
	case alg.Equal(oidAES192CBC):
		keyLen = 24
	case alg.Equal(oidAES256CBC):
		keyLen = 32
	default:
		return nil, fmt.Errorf("cipher %v is not supported; re-encrypt with openssl pkcs8 -topk8 -v2 aes-256-cbc", alg)
	}
	var iv []byte
	if _, err := asn1.Unmarshal(params.Enc.Parameters.FullBytes, &iv); err != nil || len(iv) != aes.BlockSize {
		return nil, errors.New("malformed AES-CBC parameters")
	}
	if len(info.Data) == 0 || len(info.Data)%aes.BlockSize != 0 {
		return nil, errors.New("malformed encrypted PKCS#8 key")
	}
	k, err := pbkdf2.Key(h, string(passphrase), kdf.Salt, kdf.Iterations, keyLen)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(k)
	if err != nil {
		return nil, err
	}
	out := make([]byte, len(info.Data))
	cipher.NewCBCDecrypter(block, iv).CryptBlocks(out, info.Data)
	// PKCS#7 padding; a wrong passphrase almost always breaks it, and
	// otherwise the DER below does not parse.
	n := int(out[len(out)-1])
	if n < 1 || n > aes.BlockSize {
		return nil, ErrWrongPassphrase
	}
	for _, b := range out[len(out)-n:] {
		if int(b) != n {
			return nil, ErrWrongPassphrase
		}
	}
	out = out[:len(out)-n]
	if _, err := x509.ParsePKCS8PrivateKey(out); err != nil {
		return nil, ErrWrongPassphrase
	}
	return out, nil
}
