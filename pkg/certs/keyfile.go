package certs

import (
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
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
		return nil, errors.New(PlainReason(err))
	}
	s, ok := key.(crypto.Signer)
	if !ok {
		return nil, errors.New("the key cannot sign (an X25519 or X448 key only agrees on keys)")
	}
	return s, nil
}

type encryptedPrivateKeyInfo struct {
	Algo pkix.AlgorithmIdentifier
	Data []byte
}

// decryptPKCS8 decrypts an EncryptedPrivateKeyInfo made with PBES2,
// PBKDF2 (HMAC-SHA-1, -256 or -512) and AES-CBC: what openssl writes.
func decryptPKCS8(der, passphrase []byte) ([]byte, error) {
	var info encryptedPrivateKeyInfo
	if rest, err := asn1.Unmarshal(der, &info); err != nil || len(rest) != 0 {
		return nil, errors.New("malformed encrypted PKCS#8 key")
	}
	if !info.Algo.Algorithm.Equal(OIDPBES2) {
		return nil, fmt.Errorf("encryption %v is not supported; re-encrypt with openssl pkcs8 -topk8 -v2 aes-256-cbc", info.Algo.Algorithm)
	}
	block, iv, err := PBES2Cipher(info.Algo.Parameters.FullBytes, string(passphrase), maxPBKDF2Iterations)
	var ue *UnsupportedError
	if errors.As(err, &ue) && ue.What != "PBKDF2 function" {
		return nil, fmt.Errorf("%w; re-encrypt with openssl pkcs8 -topk8 -v2 aes-256-cbc", err)
	}
	if err != nil {
		return nil, err
	}
	if len(info.Data) == 0 || len(info.Data)%aes.BlockSize != 0 {
		return nil, errors.New("malformed encrypted PKCS#8 key")
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
