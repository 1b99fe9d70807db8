package emit

import (
	"bytes"
	"crypto/rsa"
	"encoding/base64"
	"encoding/hex"
	"path"
	"strings"
	"testing"

	"github.com/pelletier/go-toml/v2"
	"github.com/wso2ks/wso2ks/internal/testkit"
	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/gen"
	"github.com/wso2ks/wso2ks/pkg/keystore"
)

// TestBuildEncryptionKey: every product with a symmetric provider gets its
// own key of the right length in secrets.env, and its snippet gives it in
// the environment's password mode (the value, $env{…}, or $secret{…} whose
// ciphertext decrypts to it); nothing else holds it, and the others get
// neither a key nor an [encryption] table.
func TestBuildEncryptionKey(t *testing.T) {
	plan := testkit.Plan(t, testkit.Snippets)
	b, err := Build(plan, BuildOptions{Rand: testkit.Rand(7), Now: testkit.Now})
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, f := range b.Files {
		files[f.Path] = f.Data
	}
	seen := map[string]string{}
	for _, env := range plan.Environments {
		secrets := testkit.Secrets(t, files[path.Join(env.Name, bundle.SecretsName)])
		for _, p := range env.Products {
			var snip map[string]any
			if err := toml.Unmarshal(files[path.Join(p.Dir, bundle.SnippetName)], &snip); err != nil {
				t.Fatal(err)
			}
			enc, hasTable := snip["encryption"].(map[string]any)
			e := p.Encryption
			if e == nil || e.Provider != gen.ProviderSymmetric {
				if hasTable || strings.Contains(string(files[path.Join(env.Name, bundle.SecretsName)]), gen.EncryptionKeyVar(p.Name)) {
					t.Errorf("%s: a key for a product without a symmetric provider", p.Dir)
				}
				continue
			}
			key := secrets[e.KeyVar]
			if _, err := hex.DecodeString(key); err != nil || len(key) != e.KeyChars || strings.ToLower(key) != key {
				t.Errorf("%s: key of %d characters, want %d lower-case hex digits", p.Dir, len(key), e.KeyChars)
			}
			if other, dup := seen[key]; dup {
				t.Errorf("%s has the key of %s", p.Dir, other)
			}
			seen[key] = p.Dir
			want := map[string]string{gen.PasswordPlain: key, gen.PasswordEnv: "$env{" + e.KeyVar + "}",
				gen.PasswordVault: "$secret{" + e.SecretAlias + "}"}[p.PasswordMode]
			if !hasTable || enc["key"] != want || len(enc) != 1 {
				t.Errorf("%s: [encryption] = %v, want key = %q", p.Dir, enc, want)
			}
			if p.Vault != nil {
				ct := snip["secrets"].(map[string]any)[e.SecretAlias].(string)
				if got := decryptWith(t, files, p, ct); got != key {
					t.Errorf("%s: the [secrets] ciphertext of the key does not decrypt to it", p.Dir)
				}
				if !bytes.Contains(files[p.Vault.CipherText], []byte(e.SecretAlias+"="+ct+"\n")) {
					t.Errorf("%s: cipher-text.properties lacks the key's ciphertext", p.Dir)
				}
			}
			if bytes.Contains(files[bundle.ManifestName], []byte(key)) {
				t.Errorf("manifest.json holds the key of %s", p.Dir)
			}
		}
	}
	if len(seen) != 9 { // is71, is70, apim47 in three environments
		t.Errorf("%d keys, want 9", len(seen))
	}
	again, err := Build(plan, BuildOptions{Rand: testkit.Rand(7), Now: testkit.Now})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range again.Files {
		if path.Base(f.Path) == bundle.SecretsName {
			got, want := testkit.Secrets(t, f.Data), testkit.Secrets(t, files[f.Path])
			for name := range want {
				if strings.HasSuffix(name, "_ENCRYPTION_KEY") && got[name] != want[name] {
					t.Errorf("%s: the same random source gave another key", name)
				}
			}
		}
	}
}

// decryptWith decrypts a vault ciphertext with the product's cipher store.
func decryptWith(t *testing.T, files map[string][]byte, p gen.Product, ct string) string {
	t.Helper()
	s := p.Store(p.Vault.CipherRole)
	pw := testkit.Secrets(t, files[path.Join(path.Dir(p.Dir), bundle.SecretsName)])[s.PasswordVar]
	st, err := keystore.Decode(keystore.Format(s.Type), files[s.Path], pw)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := base64.StdEncoding.DecodeString(ct)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := rsa.DecryptPKCS1v15(nil, st.Keys[0].Key.(*rsa.PrivateKey), raw)
	if err != nil {
		t.Fatal(err)
	}
	return string(plain)
}
