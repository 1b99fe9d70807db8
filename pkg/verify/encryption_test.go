package verify

import (
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/pkg/gen"
)

// TestEncryptionKeyRule: encryption-key passes a product's own key and fails
// a missing key, WSO2's published one and a key the version cannot read, where
// the version encrypts internal data with it; it says nothing elsewhere. No
// message holds the key.
func TestEncryptionKeyRule(t *testing.T) {
	keyLine := `key = "` + fixtureKeyHex + `"`
	hex32 := fixtureKeyHex[:32]
	for _, tc := range []struct {
		name       string
		base       func() *fixture
		home       string // directory name; empty: the fixture's
		encryption string // replaces the fixture's [encryption] table; "-": keep it
		getenv     map[string]string
		want       []string // "SEVERITY rule: message"
	}{
		{name: "own key", encryption: "-",
			want: []string{"PASS encryption-key: [encryption] key is WSO2 Identity Server 7.1.0's own (64 hex digits)"}},
		{name: "no key", encryption: "",
			want: []string{"FAIL encryption-key: [encryption] key is not set: WSO2 Identity Server 7.1.0 encrypts internal data with WSO2's published default key"}},
		{name: "provider set, no key", encryption: "[encryption]\ninternal_crypto_provider = \"org.wso2.carbon.crypto.provider.SymmetricKeyInternalCryptoProvider\"\n",
			want: []string{"FAIL encryption-key: [encryption] key is not set: WSO2 Identity Server 7.1.0 encrypts internal data with WSO2's published default key"}},
		{name: "the default key", encryption: "[encryption]\nkey = \"" + gen.DefaultEncryptionKey + "\"\n",
			want: []string{"FAIL encryption-key: [encryption] key is WSO2's published default key, which anyone can use to decrypt the data; generate your own with 'openssl rand -hex 32'"}},
		{name: "the default key in lower case, dotted", encryption: "encryption.key = \"" + strings.ToLower(gen.DefaultEncryptionKey) + "\"\n",
			want: []string{"FAIL encryption-key: [encryption] key is WSO2's published default key, which anyone can use to decrypt the data; generate your own with 'openssl rand -hex 32'"}},
		{name: "the default key through $env", encryption: "[encryption]\nkey = \"$env{IS_KEY}\"\n", getenv: map[string]string{"IS_KEY": gen.DefaultEncryptionKey},
			want: []string{"FAIL encryption-key: [encryption] key is WSO2's published default key, which anyone can use to decrypt the data; generate your own with 'openssl rand -hex 32'"}},
		{name: "own key through $env", encryption: "[encryption]\nkey = \"$env{IS_KEY}\"\n", getenv: map[string]string{"IS_KEY": fixtureKeyHex},
			want: []string{"PASS encryption-key: [encryption] key is WSO2 Identity Server 7.1.0's own (64 hex digits, from $env{IS_KEY})"}},
		{name: "$env not set", encryption: "[encryption]\nkey = \"$env{IS_KEY}\"\n",
			want: []string{"FAIL placeholder: [encryption] key: $env{IS_KEY} is not set"}},
		{name: "$secret without the vault's password", encryption: "[encryption]\nkey = \"$secret{k}\"\n\n[secrets]\nk = \"abc\"\n",
			want: []string{"SKIP secret-decrypts: the internal store's password is not known, so 1 $secret{…} value (and what uses it) is not checked: neither --password-file nor WSO2KS_VERIFY_PASSWORD is given, and the home has no password-tmp, password-persist or password file"}},
		{name: "not hex", encryption: "[encryption]\nkey = \"" + strings.Repeat("z", 64) + "\"\n",
			want: []string{"FAIL encryption-key: [encryption] key has a character that is not a hex digit at position 1; give hex digits only ('openssl rand -hex 32')"}},
		{name: "IS 7.0, 32 hex digits", home: "wso2is-7.0.0", encryption: "[encryption]\nkey = \"" + hex32 + "\"\n",
			want: []string{"PASS encryption-key: [encryption] key is WSO2 Identity Server 7.0.0's own (32 hex digits)"}},
		{name: "IS 7.0, 64 hex digits", home: "wso2is-7.0.0", encryption: "-",
			want: []string{"FAIL encryption-key: [encryption] key is 64 characters long; WSO2 Identity Server 7.0.0 reads the key's characters as AES key bytes, so give 32 hex digits ('openssl rand -hex 16')"}},
		{name: "IS 7.1 switched to the keystore", encryption: "[encryption]\ninternal_crypto_provider = \"" + gen.KeystoreProviderClass + "\"\n"},
		{name: "IS 5.10: keystore-based", home: "wso2is-5.10.0", encryption: ""},
		{name: "IS 5.10 switched to symmetric without a key", home: "wso2is-5.10.0",
			encryption: "[encryption]\ninternal_crypto_provider = \"org.wso2.carbon.crypto.provider.SymmetricKeyInternalCryptoProvider\"\n",
			want:       []string{"FAIL encryption-key: [encryption] key is not set, though internal_crypto_provider names SymmetricKeyInternalCryptoProvider"}},
		{name: "APIM 4.5: keystore-based", base: goodAPIM, encryption: ""},
		{name: "APIM 4.7, no key", base: goodAPIM, home: "wso2am-4.7.0", encryption: "",
			want: []string{"FAIL encryption-key: [encryption] key is not set: WSO2 API Manager 4.7.0 nodes then make their own keys at first start (none when deployment.toml has an [encryption] table), and cannot read each other's encrypted data"}},
		{name: "APIM 4.7, own key", base: goodAPIM, home: "wso2am-4.7.0", encryption: "-",
			want: []string{"PASS encryption-key: [encryption] key is WSO2 API Manager 4.7.0's own (64 hex digits)"}},
		{name: "MI: no key to check", base: goodMI, encryption: ""},
		{name: "no version, no key", home: "identity-server", encryption: "",
			want: []string{"WARN encryption-key: [encryption] key is not set, and IDIR does not say its version: from IS 5.11 and APIM 4.7 on, internal data is then encrypted with WSO2's published default key (IS) or a key each node makes at first start (APIM)"}},
		{name: "no version, own key", home: "identity-server", encryption: "-",
			want: []string{"PASS encryption-key: [encryption] key is WSO2 Identity Server's own (64 hex digits)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			base := goodIS
			if tc.base != nil {
				base = tc.base
			}
			fx := base()
			if tc.home != "" {
				fx.name = tc.home
			}
			if tc.encryption != "-" {
				// Drop the fixture's [encryption] table (it is last), then add the case's:
				// a dotted key at the top, a table at the end.
				fx.deployment = strings.TrimSuffix(fx.deployment, "\n[encryption]\n"+keyLine+"\n")
				if strings.HasPrefix(tc.encryption, "encryption.") {
					fx.deployment = tc.encryption + fx.deployment
				} else if tc.encryption != "" {
					fx.deployment += "\n" + tc.encryption
				}
			}
			h := fx.build(t)
			dir := h.write(t)
			r := audit(t, Options{Getenv: func(name string) (string, bool) { v, ok := tc.getenv[name]; return v, ok }}, dir)
			var got []string
			for _, f := range r.Findings {
				if f.Rule == RuleEncryptionKey || f.Rule == RuleSecretDecrypts || f.Rule == RulePlaceholder && strings.HasPrefix(f.Message, "[encryption]") {
					got = append(got, string(f.Severity)+" "+f.Rule+": "+strings.ReplaceAll(f.Message, dir, "IDIR"))
					if f.Severity != Pass && f.Fix == "" {
						t.Errorf("%s has no fix", f.Rule)
					}
				}
				for _, secret := range []string{fixtureKeyHex, hex32, gen.DefaultEncryptionKey, strings.ToLower(gen.DefaultEncryptionKey)} {
					if strings.Contains(f.Message, secret) {
						t.Errorf("a finding holds the key: %s", f.Message)
					}
				}
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}
