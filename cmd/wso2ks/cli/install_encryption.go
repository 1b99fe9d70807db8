package cli

import (
	"fmt"
	"strings"

	"github.com/pelletier/go-toml/v2"
	"github.com/wso2ks/wso2ks/pkg/deploytoml"
	"github.com/wso2ks/wso2ks/pkg/emit"
	"github.com/wso2ks/wso2ks/pkg/gen"
)

// What install does with the internal data encryption key ([encryption]
// key) of a product that encrypts its internal data with it (IS 5.11 and
// later, APIM 4.7: gen.InternalProvider). A key the home has is kept:
// merge keeps it, and -f builds the bundle around it. A home that has run
// (usedHome) without a key of its own encrypted its data with WSO2's
// published default (IS) and keeps running so; a fresh pack gets the
// bundle's key.

// provider is what encrypts the product's internal data by default
// (gen.InternalProvider): [encryption] key, or a key store.
func (in *installer) provider() string {
	var v gen.Version
	fmt.Sscanf(in.version, "%d.%d.%d", &v.Major, &v.Minor, &v.Patch)
	return gen.InternalProvider(gen.Kind(in.kind), v)
}

// symmetric reports whether the product encrypts internal data with
// [encryption] key.
func (in *installer) symmetric() bool { return in.provider() == gen.ProviderSymmetric }

// homeKeyDefault reports whether the home runs with WSO2's published key
// (or, APIM, none of its own): it sets no key, or sets that one.
func (in *installer) homeKeyDefault() bool {
	k := in.home.eff.EncryptionKey
	return !k.Set || k.Err == nil && strings.EqualFold(k.Value, gen.DefaultEncryptionKey)
}

// keptEncryptionKey is the home's own key for -f to build the bundle
// around: "" when it has none (or --replace-encryption-key); a key that
// does not resolve is refused, as a password is.
func (in *installer) keptEncryptionKey() (string, error) {
	k := in.home.eff.EncryptionKey
	if !in.symmetric() || in.opts.ReplaceEncryptionKey || in.homeKeyDefault() {
		return "", nil
	}
	if k.Err != nil {
		return "", &gen.InputError{File: in.home.deployment, Msg: fmt.Sprintf("[encryption] key: %v, so install cannot keep the home's encryption key in the bundle it makes; export the variables of the secrets.env the earlier install wrote (set -a; . FILE; set +a) and install again, or pass --replace-encryption-key",
			k.Err)}
	}
	return k.Value, nil
}

// encryptionOptions decides how the snippet's [encryption] key is merged,
// and records in in.runsWith the key the home runs with after install,
// when install knows it.
func (in *installer) encryptionOptions(snippet []byte, stores []deploytoml.ProductStore) (deploytoml.MergeOptions, error) {
	opt := deploytoml.MergeOptions{ReplaceEncryptionKey: in.opts.ReplaceEncryptionKey}
	if !in.symmetric() {
		return opt, nil
	}
	ours := in.bundleSecret(gen.EncryptionKeyVar(in.product))
	k := in.home.eff.EncryptionKey
	if strings.HasPrefix(k.Raw, "$secret{") && in.cipherKeyChanges(stores) && !in.opts.ReplaceEncryptionKey && !in.homeKeyDefault() {
		// The home's key stays, but its [secrets] ciphertext is for the
		// internal key the bundle replaces: encrypt it again for the
		// bundle's, or the secure vault could no longer read it.
		if k.Err != nil {
			return opt, &gen.InputError{File: in.home.deployment, Msg: fmt.Sprintf("[encryption] key %s does not resolve (%v), and the bundle replaces the internal key its [secrets] ciphertext is for, so install cannot encrypt it again for the new one; export the secrets.env the home runs with (set -a; . FILE; set +a) and install again, or pass --replace-encryption-key once the data is re-encrypted",
				k.Raw, k.Err)}
		}
		sk := snippetKey(snippet)
		if !strings.HasPrefix(sk, "$secret{") {
			return opt, &gen.InputError{File: in.home.deployment, Msg: fmt.Sprintf("[encryption] key %s is in the home's secure vault, encrypted for the internal key the bundle replaces, and the bundle's snippet gives the key as %s; install a vault-mode bundle, or one made with the home's keys ('wso2ks install -f topology.toml' keeps them)",
				k.Raw, sk)}
		}
		alias := strings.TrimSuffix(strings.TrimPrefix(sk, "$secret{"), "}")
		ct, err := emit.EncryptSecret(in.f.Rand, bundleKey(stores, gen.RoleInternal).Chain[0], k.Value)
		if err != nil {
			return opt, fmt.Errorf("encrypt the home's [encryption] key for the bundle's internal key: %w", err)
		}
		in.secretOverride = map[string]string{alias: ct}
		in.runsWith = k.Value
		in.say("encryption: the home's key stays; its [secrets] %s is encrypted again for the bundle's internal key", alias)
		return deploytoml.MergeOptions{ReplaceEncryptionKey: true}, nil
	}
	switch {
	case in.opts.ReplaceEncryptionKey:
		in.runsWith = ours
	case in.homeKeyDefault() && in.home.used != "":
		opt.OmitEncryptionKey = true
		in.notes = append(in.notes, in.defaultKeyNote())
		if k.Set || gen.Kind(in.kind) == gen.IdentityServer {
			in.runsWith = gen.DefaultEncryptionKey
		}
	case in.homeKeyDefault():
		// A fresh pack: nothing is encrypted yet, with WSO2's key or any.
		if k.Set {
			opt.ReplaceEncryptionKey = true
			in.say("encryption: the bundle's key replaces WSO2's published default key: the home has not run, so nothing is encrypted with it yet")
		}
		in.runsWith = ours
	case k.Err != nil || k.Value != ours:
		// Merge keeps the home's key, unless the snippet names it the same
		// way and its value is elsewhere ($env{…}): the bundle's secrets.env
		// would then change it unseen.
		if !strings.HasPrefix(k.Raw, "$env{") || snippetKey(snippet) != k.Raw {
			in.runsWith = k.Value
			break
		}
		if k.Err != nil && in.home.record != nil && in.home.record.EncryptionKey == deploytoml.KeySHA256(ours) {
			in.runsWith = ours // the key an earlier install wrote, the bundle's
			break
		}
		why := "is not the key the bundle's secrets.env gives it"
		if k.Err != nil {
			why = fmt.Sprintf("does not resolve (%v), and install cannot tell whether the bundle's secrets.env gives it the same key", k.Err)
		}
		return opt, &gen.InputError{File: in.home.deployment, Msg: fmt.Sprintf("[encryption] key %s %s: the home's internal data is encrypted with its key; export the secrets.env the home runs with (set -a; . FILE; set +a) and install a bundle made with its key ('wso2ks install -f topology.toml' keeps it), or pass --replace-encryption-key",
			k.Raw, why)}
	default:
		in.runsWith = ours
	}
	return opt, nil
}

// defaultKeyNote says why a used home keeps WSO2's key, and how to move
// off it: WSO2's own procedures (docs-is en/includes/deploy/security/
// symmetric-encryption/data-encryption-keyrotation.md for IS 7.1 and later,
// old_key and key; en/identity-server/6.0.0/docs/deploy/security/
// blue-green-data-encryption-keyrotation.md, the key rotation tool, for IS
// 5.11 to 7.0; docs-apim symmetric-encryption.md for APIM 4.7).
func (in *installer) defaultKeyNote() string {
	has := "deployment.toml has no [encryption] key"
	if in.home.eff.EncryptionKey.Set {
		has = "deployment.toml's [encryption] key is WSO2's published default"
	}
	what := fmt.Sprintf("%s %s", shortTitles[gen.Kind(in.kind)], in.version)
	var how string
	switch v := in.version; {
	case gen.Kind(in.kind) == gen.APIManager:
		return fmt.Sprintf("%s, and %s: %s encrypted its internal data without a key of the bundle's, so install leaves the bundle's key out; to move to it, re-encrypt that data with WSO2's key rotation tool first, then install with --replace-encryption-key",
			in.home.used, has, what)
	case strings.HasPrefix(v, "5.") || strings.HasPrefix(v, "6.") || strings.HasPrefix(v, "7.0."):
		how = "re-encrypt it from the default key to the bundle's with WSO2's key rotation tool (wso2/identity-tools keyrotation)"
	default:
		how = fmt.Sprintf(`add old_key = "%s" under [encryption] (%s decrypts the data it has with old_key and encrypts new data with key)`, gen.DefaultEncryptionKey, what)
	}
	return fmt.Sprintf("%s, and %s: %s has encrypted its internal data with WSO2's published default key, so install leaves the bundle's key out and the home keeps the default; to move to a key of its own, first %s, then install with --replace-encryption-key",
		in.home.used, has, what, how)
}

// snippetKey is the snippet's [encryption] key as written.
func snippetKey(snippet []byte) string {
	var doc struct {
		Encryption struct{ Key string }
	}
	if toml.Unmarshal(snippet, &doc) != nil {
		return ""
	}
	return doc.Encryption.Key
}
