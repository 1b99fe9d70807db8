package verify

import (
	"fmt"
	"strings"

	"github.com/wso2ks/wso2ks/pkg/gen"
)

// checkEncryptionKey raises encryption-key for a product whose internal data is encrypted
// with SymmetricKeyInternalCryptoProvider (IS 5.11 and later, APIM 4.7, or any IS or APIM
// whose [encryption] internal_crypto_provider names it): [encryption] key must be set (IS
// otherwise uses WSO2's published default from its default.json; each APIM 4.7 node makes its
// own at first start), must not be that default, and must be of a length the version reads.
// MI reads no [encryption] key. The key is resolved like the store passwords and never printed.
func (c *checker) checkEncryptionKey(r *resolver) {
	p := c.p
	if p.Kind != gen.IdentityServer && p.Kind != gen.APIManager {
		return
	}
	enc, _ := table(c.cfg.doc, "encryption")
	provider, _ := stringValue(enc, "internal_crypto_provider")
	if strings.Contains(provider, "KeyStoreBasedInternalCryptoProvider") {
		return // internal data is the internal keystore's: the store rules cover it
	}
	switched := strings.Contains(provider, "SymmetricKeyInternalCryptoProvider")
	// The version whose key forms apply. Without one (a home whose directory does not name
	// it) the newest of the kind: the forms every version from IS 7.1 and APIM 4.7 reads.
	v := p.Version
	if !p.HasVersion {
		v = map[gen.Kind]gen.Version{gen.IdentityServer: {Major: 7, Minor: 1}, gen.APIManager: {Major: 4, Minor: 7}}[p.Kind]
	}
	if !switched && p.HasVersion && gen.InternalProvider(p.Kind, v) != gen.ProviderSymmetric {
		return // keystore-based by default
	}
	what := p.Kind.Title()
	if p.HasVersion {
		what += " " + p.Version.String()
	}
	raw, set := stringValue(enc, "key")
	if !set {
		switch {
		case !p.HasVersion && !switched:
			c.add(RuleEncryptionKey, Warn, "", "[encryption] key is not set, and %s does not say its version: from IS 5.11 and APIM 4.7 on, internal data is then encrypted with WSO2's published default key (IS) or a key each node makes at first start (APIM)", p.Target)
		case gen.InternalProvider(p.Kind, v) != gen.ProviderSymmetric:
			c.add(RuleEncryptionKey, Fail, "", "[encryption] key is not set, though internal_crypto_provider names SymmetricKeyInternalCryptoProvider")
		case p.Kind == gen.APIManager:
			// wso2/product-apim v4.7.0 bin/api-manager.sh l.320 runs EncryptionKeyGenerator.
			c.add(RuleEncryptionKey, Fail, "", "[encryption] key is not set: %s nodes then make their own keys at first start (none when deployment.toml has an [encryption] table), and cannot read each other's encrypted data", what)
		default:
			c.add(RuleEncryptionKey, Fail, "", "[encryption] key is not set: %s encrypts internal data with WSO2's published default key", what)
		}
		return
	}
	key, err := r.resolve(raw, 0)
	if isSecretError(err) {
		return // secret-decrypts reports it
	}
	if err != nil {
		c.add(RulePlaceholder, Fail, "", "[encryption] key: %v", err)
		return
	}
	if msg := gen.CheckEncryptionKey(p.Kind, v, key); msg != "" {
		c.add(RuleEncryptionKey, Fail, "", "[encryption] key %s", msg)
		return
	}
	c.add(RuleEncryptionKey, Pass, "", "[encryption] key is %s's own (%s)", what, describeKey(raw, key))
}

// describeKey says where a key comes from and its size, never the key.
func describeKey(raw, key string) string {
	size := fmt.Sprintf("%d hex digits", len(key))
	if m := placeholder.FindStringSubmatch(raw); m != nil && m[0] == raw {
		return size + ", from $" + m[1] + "{" + m[2] + "}"
	}
	return size
}
