package emit

import (
	"bytes"
	"fmt"
	"path"
	"text/template"

	"github.com/pelletier/go-toml/v2"
	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/gen"
	"github.com/wso2ks/wso2ks/templates"
)

var snippetTemplates = template.Must(template.New("").Funcs(template.FuncMap{
	"q":  bundle.QuoteTOML,
	"pw": func(s snippetStore) string { return s.password },
}).ParseFS(templates.FS, "*.toml.tmpl"))

// snippetStore is what a template sees of one store.
type snippetStore struct {
	FileName string
	HomePath string // relative to the product home
	Type     string
	Alias    string
	password string // a TOML value: a quoted literal or a placeholder
}

// PasswordFunc returns the password of a store, for plain mode.
type PasswordFunc func(s *gen.Store) string

// snippetKey is what a template sees of the [encryption] key.
type snippetKey struct {
	Value string // a TOML value: a quoted literal or a placeholder
	// Generated: the product would make its own key at first start (APIM
	// 4.7) rather than use WSO2's published one (IS).
	Generated bool
}

// Snippet renders the deployment.toml tables for product p of environment
// env. password gives plain-mode passwords; when it is nil (wso2ks plan) a
// placeholder naming the secrets.env variable stands in, as it does for the
// encryption key. The result is decoded with go-toml before it is returned.
func Snippet(env string, p *gen.Product, password PasswordFunc) ([]byte, error) {
	return snippetWithSecrets(env, p, password, "", nil)
}

// snippetWithSecrets is Snippet with the plain-mode encryption key (empty:
// a placeholder) and the [secrets] of vault mode; without them a vault-mode
// snippet shows placeholders.
func snippetWithSecrets(env string, p *gen.Product, password PasswordFunc, key string, secrets []secret) ([]byte, error) {
	view := func(role string) *snippetStore {
		s := p.Store(role)
		if s == nil {
			return nil
		}
		v := &snippetStore{FileName: s.FileName, HomePath: path.Join(gen.SecurityDir, s.FileName), Type: s.Type, Alias: s.Alias}
		switch {
		case p.PasswordMode == gen.PasswordVault:
			v.password = bundle.QuoteTOML("$secret{" + s.SecretAlias + "}")
		case p.PasswordMode == gen.PasswordEnv:
			v.password = bundle.QuoteTOML("$env{" + s.PasswordVar + "}")
		case password == nil:
			v.password = bundle.QuoteTOML("<" + s.PasswordVar + ">")
		default:
			v.password = bundle.QuoteTOML(password(s))
		}
		return v
	}
	data := struct {
		Env, Title                                string
		Product                                   *gen.Product
		Primary, Internal, TLS, WSSec, Truststore *snippetStore
		KeyAlias                                  bool
		Encryption                                *snippetKey
		Secrets                                   []secret
	}{
		Env: env, Title: p.Kind.Title(), Product: p,
		Primary: view(gen.RolePrimary), Internal: view(gen.RoleInternal), TLS: view(gen.RoleTLS),
		WSSec: view(gen.RoleWSSec), Truststore: view(gen.RoleTruststore),
		// MI reads key_alias for its HTTPS listener from 4.2 on.
		KeyAlias: p.At(4, 2),
		Secrets:  secrets,
	}
	if e := p.Encryption; e != nil && e.Provider == gen.ProviderSymmetric {
		// The table form, never a dotted encryption.key: APIM 4.7's start
		// scripts add a key of their own to a deployment.toml without an
		// [encryption] header (carbon-apimgt EncryptionKeyGenerator, run
		// by wso2/product-apim v4.7.0 bin/api-manager.sh l.320).
		k := &snippetKey{Generated: p.Kind == gen.APIManager}
		switch {
		case p.PasswordMode == gen.PasswordVault:
			k.Value = bundle.QuoteTOML("$secret{" + e.SecretAlias + "}")
		case p.PasswordMode == gen.PasswordEnv:
			k.Value = bundle.QuoteTOML("$env{" + e.KeyVar + "}")
		case key == "":
			k.Value = bundle.QuoteTOML("<" + e.KeyVar + ">")
		default:
			k.Value = bundle.QuoteTOML(key)
		}
		data.Encryption = k
	}
	if p.Vault != nil && secrets == nil {
		for _, s := range p.Stores {
			data.Secrets = append(data.Secrets, secret{s.SecretAlias, "<ciphertext of " + s.PasswordVar + ">"})
		}
		if data.Encryption != nil {
			data.Secrets = append(data.Secrets, secret{p.Encryption.SecretAlias, "<ciphertext of " + p.Encryption.KeyVar + ">"})
		}
	}
	name := "carbon.toml.tmpl"
	if p.Kind == gen.MicroIntegrator {
		name = "mi.toml.tmpl"
	}
	var buf bytes.Buffer
	if err := snippetTemplates.ExecuteTemplate(&buf, name, data); err != nil {
		return nil, fmt.Errorf("render snippet: %w", err)
	}
	buf.WriteByte('\n')
	var check map[string]any
	if err := toml.Unmarshal(buf.Bytes(), &check); err != nil {
		return nil, fmt.Errorf("rendered snippet does not decode: %w", err)
	}
	return buf.Bytes(), nil
}
