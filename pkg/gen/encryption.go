package gen

import (
	"fmt"
	"slices"
	"strings"
)

// Internal data encryption: how a product protects the data it encrypts in
// its own database and files (user-store passwords, TOTP secrets, tokens
// when token encryption is on, event publisher passwords).

// Internal crypto providers (Encryption.Provider).
const (
	// ProviderSymmetric is SymmetricKeyInternalCryptoProvider: AES/GCM keyed
	// by deployment.toml's [encryption] key.
	ProviderSymmetric = "symmetric"
	// ProviderKeystore is KeyStoreBasedInternalCryptoProvider: RSA with the
	// key of carbon.xml's InternalKeyStore, which [keystore.internal] sets
	// and which defaults to the primary keystore (wso2/carbon-crypto-service
	// components/org.wso2.carbon.crypto.provider/src/main/java/org/wso2/
	// carbon/crypto/provider/internal/DefaultCryptoProviderComponent.java,
	// Security.InternalKeyStore.*, l.62-66 and 201-209).
	ProviderKeystore = "keystore"
)

// KeystoreProviderClass is the class that `[encryption]
// internal_crypto_provider` names to switch a product to keystore-based
// internal encryption.
const KeystoreProviderClass = "org.wso2.carbon.crypto.provider.KeyStoreBasedInternalCryptoProvider"

// DefaultEncryptionKey is the symmetric key that IS 5.11 to 7.2 ship in
// wso2/product-is modules/distribution/src/repository/resources/conf/
// default.json ("encryption.key", l.36 at v5.11.0, l.65 at v7.1.0). It is
// public: data encrypted under it is readable by anyone who has a copy.
const DefaultEncryptionKey = "03BAFEB27A8E871CAD83C5CD4E771DAB"

// Encryption says what protects a product's internal data.
type Encryption struct {
	Provider string `json:"provider"`
	// Symmetric: the key wso2ks writes. KeyBits are its random bits,
	// KeyChars its length in hex digits; KeyVar the secrets.env variable
	// that holds it, SecretAlias its [secrets] alias in vault mode.
	KeyBits     int    `json:"key_bits,omitempty"`
	KeyChars    int    `json:"key_chars,omitempty"`
	KeyVar      string `json:"key_var,omitempty"`
	SecretAlias string `json:"secret_alias,omitempty"`
	// KeySource is "generated", or where a supplied key comes from
	// ("env:NAME", "file:PATH").
	KeySource string `json:"key_source,omitempty"`
	// Keystore-based: the role of the store whose key encrypts the data,
	// internal, or primary when there is no separate internal store.
	Store string `json:"store,omitempty"`

	supplied string
}

// SuppliedKey returns the key the topology names, if it names one.
func (e *Encryption) SuppliedKey() (string, bool) { return e.supplied, e.supplied != "" }

// EncryptionKeyVar is the secrets.env variable of a product's encryption key.
func EncryptionKeyVar(product string) string {
	return "WSO2KS_" + strings.ToUpper(strings.ReplaceAll(product, "-", "_")) + "_ENCRYPTION_KEY"
}

// EncryptionSecretAlias is the [secrets] alias of a product's encryption key
// in vault mode: the verify resolver and VaultCheck map <alias> to the
// variable WSO2KS_<ALIAS>, which is EncryptionKeyVar.
func EncryptionSecretAlias(product string) string {
	return strings.ReplaceAll(product, "-", "_") + "_encryption_key"
}

// InternalProvider is the internal crypto provider a product version uses
// by default:
//   - IS 5.11 and later: symmetric, with WSO2's published key (product-is
//     default.json from v5.11.0, commit fb870dd1); IS 5.9 and 5.10 leave
//     the kernel's keystore-based default in place.
//   - APIM 4.7: symmetric with no key: its start scripts append a random
//     one to deployment.toml when it has no [encryption] table
//     (wso2/product-apim v4.7.0 all-in-one-apim/.../conf/default.json
//     l.63-64, bin/api-manager.sh l.320); APIM 3.0 to 4.6: keystore-based.
//   - MI: its own keystore-based provider; it reads no [encryption] key
//     (wso2/micro-integrator distribution/src/resources/config-tool/
//     default.json l.42-43). "" for MI.
func InternalProvider(kind Kind, v Version) string {
	switch {
	case kind == IdentityServer && v.AtLeast(5, 11), kind == APIManager && v.AtLeast(4, 7):
		return ProviderSymmetric
	case kind == IdentityServer, kind == APIManager:
		return ProviderKeystore
	}
	return ""
}

// hexKeyDecoded reports whether the product's carbon-crypto-service
// hex-decodes a 64- or 48-character key: from 1.1.16 (IS 7.1 and 7.2, kernel
// 4.10.42; APIM 4.7 ships 1.2.3). Up to 1.1.14 (IS 5.11 to 7.0) the key is
// the string's raw bytes (SymmetricKeyInternalCryptoProvider.java
// getSecretKey, l.275 at v1.1.14, l.82-91 at v1.1.16).
func hexKeyDecoded(kind Kind, v Version) bool {
	return kind == IdentityServer && v.AtLeast(7, 1) || kind == APIManager && v.AtLeast(4, 7)
}

// EncryptionKeyChars are the key lengths, in hex digits, a product version
// reads as a valid AES key: 32 characters everywhere (their bytes make a
// 256-bit AES key, with 128 random bits); 48 and 64 too where the key is
// hex-decoded (AES-192, AES-256). The first is the one wso2ks generates.
func EncryptionKeyChars(kind Kind, v Version) []int {
	if hexKeyDecoded(kind, v) {
		return []int{64, 48, 32}
	}
	return []int{32}
}

// CheckEncryptionKey reports what is wrong with an encryption key for a
// product version, in words that never repeat it, or "".
func CheckEncryptionKey(kind Kind, v Version, key string) string {
	if strings.EqualFold(key, DefaultEncryptionKey) {
		return "is WSO2's published default key, which anyone can use to decrypt the data; generate your own with '" + keyCommand(kind, v) + "'"
	}
	lengths := EncryptionKeyChars(kind, v)
	if !slices.Contains(lengths, len(key)) {
		if len(lengths) == 1 {
			return fmt.Sprintf("is %d characters long; %s %s reads the key's characters as AES key bytes, so give 32 hex digits ('%s')",
				len(key), kinds[kind].title, v, keyCommand(kind, v))
		}
		return fmt.Sprintf("is %d characters long; give 64 hex digits ('%s'), or 48 or 32", len(key), keyCommand(kind, v))
	}
	for i := 0; i < len(key); i++ {
		if !strings.ContainsRune("0123456789abcdefABCDEF", rune(key[i])) {
			return fmt.Sprintf("has a character that is not a hex digit at position %d; give hex digits only ('%s')", i+1, keyCommand(kind, v))
		}
	}
	return ""
}

// keyCommand is the openssl command that makes the key wso2ks would.
func keyCommand(kind Kind, v Version) string {
	return fmt.Sprintf("openssl rand -hex %d", EncryptionKeyChars(kind, v)[0]/2)
}

// planEncryption fills p.Encryption from the product's version: a key to
// make for a symmetric provider, the store for a keystore-based one.
func planEncryption(p *Product) {
	switch InternalProvider(p.Kind, p.version) {
	case ProviderSymmetric:
		chars := EncryptionKeyChars(p.Kind, p.version)[0]
		e := &Encryption{Provider: ProviderSymmetric, KeyBits: chars * 4, KeyChars: chars,
			KeyVar: EncryptionKeyVar(p.Name), KeySource: "generated"}
		if p.PasswordMode == PasswordVault {
			e.SecretAlias = EncryptionSecretAlias(p.Name)
		}
		p.Encryption = e
	case ProviderKeystore:
		e := &Encryption{Provider: ProviderKeystore, Store: RoleInternal}
		if p.Store(RoleInternal) == nil {
			e.Store = RolePrimary
		}
		p.Encryption = e
	}
}

// CheckEncryptionKey is CheckEncryptionKey for the product's kind and
// version.
func (p *Product) CheckEncryptionKey(key string) string {
	return CheckEncryptionKey(p.Kind, p.version, key)
}
