package verify

import (
	"crypto/rsa"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/wso2ks/wso2ks/pkg/gen"
)

// checkSecrets raises secret-decrypts: every $secret{alias} of deployment.toml, wherever it
// is (a store password, a database password, [encryption] key), has a [secrets] entry that
// decrypts with the secure vault's key, as the server needs at start-up. The other rules
// leave a $secret{…} that does not resolve to this one (isSecretError), so one cause is one
// finding. Without the vault store's password it is one SKIP that says what is missing. No
// message holds a value.
func (c *checker) checkSecrets() {
	aliases := secretAliases(c.cfg.doc)
	if len(aliases) == 0 {
		return
	}
	if c.vault == nil {
		c.vault = c.loadVaultKey()
	}
	v := c.vault
	n := len(aliases)
	values, them, are, decrypt := fmt.Sprintf("%d $secret{…} values", n), "them", "are", "decrypt"
	if n == 1 {
		values, them, are, decrypt = "1 $secret{…} value", "it", "is", "decrypts"
	}
	switch {
	case v.missing != "":
		c.add(RuleSecretDecrypts, Skip, "", "the %s store's password is not known, so %s (and what uses %s) %s not checked: %s",
			v.role, values, them, are, v.missing)
		c.findings[len(c.findings)-1].Fix = "give the " + v.role + " store's password with --password-file FILE or " + PasswordVar +
			", or audit the home where it has the password-tmp or password-persist the server reads it from"
		return
	case v.err != nil:
		c.add(RuleSecretDecrypts, Fail, "", "%s cannot be decrypted: %v", values, v.err)
		return
	}
	failed := false
	for _, alias := range aliases {
		if _, err := c.decrypt(alias); err != nil {
			c.add(RuleSecretDecrypts, Fail, "", "%v", err)
			failed = true
		}
	}
	if !failed {
		c.add(RuleSecretDecrypts, Pass, "", "%s %s with the %s store's key (its password from %s)", values, decrypt, v.role, v.source)
	}
}

// secretAliases lists the aliases of every $secret{…} in doc outside [secrets], sorted and unique.
func secretAliases(doc map[string]any) []string {
	var out []string
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			for _, m := range placeholder.FindAllStringSubmatch(v, -1) {
				if m[1] == "secret" && !slices.Contains(out, m[2]) {
					out = append(out, m[2])
				}
			}
		case map[string]any:
			for _, e := range v {
				walk(e)
			}
		case []any:
			for _, e := range v {
				walk(e)
			}
		case []map[string]any:
			for _, e := range v {
				walk(e)
			}
		}
	}
	for k, v := range doc {
		if k != "secrets" {
			walk(v)
		}
	}
	slices.Sort(out)
	return out
}

// secretError is a $secret{…} that does not resolve. secret-decrypts reports every alias
// once, so the rules that meet one while resolving a value leave it to that rule.
type secretError struct{ err error }

func (e *secretError) Error() string { return e.err.Error() }
func (e *secretError) Unwrap() error { return e.err }

// isSecretError reports whether err is a $secret{…} that secret-decrypts reports.
func isSecretError(err error) bool {
	var se *secretError
	return errors.As(err, &se)
}

// decryptSecret decrypts [secrets] alias as the secure vault does: with the private key of
// the internal store (primary when no [keystore.internal] is set), whose password WSO2 reads
// from password-tmp and verify from Options.Password, a bundle's secrets.env or the home's
// password files (vaultPassword). Its errors are *secretError.
func (c *checker) decryptSecret(alias string) (string, error) {
	plain, err := c.decrypt(alias)
	if err != nil {
		return "", &secretError{err}
	}
	return plain, nil
}

func (c *checker) decrypt(alias string) (string, error) {
	secrets, _ := table(c.cfg.doc, "secrets")
	ct, ok := stringValue(secrets, alias)
	if !ok {
		return "", fmt.Errorf("$secret{%s} has no entry in [secrets]", alias)
	}
	if c.vault == nil {
		c.vault = c.loadVaultKey()
	}
	if c.vault.err != nil {
		return "", fmt.Errorf("$secret{%s}: %w", alias, c.vault.err)
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(ct))
	if err != nil {
		return "", fmt.Errorf("$secret{%s} in [secrets] is not Base64; encrypt it again with the cipher tool", alias)
	}
	var plain []byte
	switch c.vault.transformation {
	case gen.CipherOAEP:
		plain, err = rsa.DecryptOAEP(sha1.New(), nil, c.vault.key, raw, nil)
	default:
		plain, err = rsa.DecryptPKCS1v15(nil, c.vault.key, raw)
	}
	if err != nil {
		return "", fmt.Errorf("$secret{%s} does not decrypt with the %s store's key (%s): it was encrypted with another key or padding; encrypt it again with the cipher tool", alias, c.vault.role, c.vault.transformation)
	}
	return string(plain), nil
}
