package helm

import (
	"path"
	"strings"

	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/gen"
)

// set puts v at the path of keys in the values, making the maps between.
func (o *overlay) set(v any, keys ...string) {
	m := o.values
	for _, k := range keys[:len(keys)-1] {
		next, ok := m[k].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[k] = next
		}
		m = next
	}
	m[keys[len(keys)-1]] = v
}

// setAt is set with a dotted path (keys without dots).
func (o *overlay) setAt(dotted string, v any) { o.set(v, strings.Split(dotted, ".")...) }

// store is p's store of role, and its file name (the keystores Secret's key).
func (o *overlay) store(role string) (bundle.ManifestStore, string, bool) {
	for _, s := range o.p.Stores {
		if s.Role == role {
			return s, path.Base(s.Path), true
		}
	}
	return bundle.ManifestStore{}, "", false
}

// need refuses a product without one of the stores the chart mounts.
func (o *overlay) need(roles ...string) error {
	for _, role := range roles {
		if _, _, ok := o.store(role); ok {
			continue
		}
		fix := "regenerate the bundle"
		if role == gen.RoleInternal {
			fix = "set separate_internal = true for the product in the topology and regenerate"
		}
		return bundle.Errorf("%s has no %s store, which WSO2's %s chart mounts; %s", o.where, role, o.chart.Name, fix)
	}
	return nil
}

// only refuses a store whose type the chart does not write.
func (o *overlay) only(format string, why string, roles ...string) error {
	for _, role := range roles {
		if s, file, ok := o.store(role); ok && s.Type != format {
			return bundle.Errorf("%s: WSO2's %s chart %s, and %s is %s; set format = %q for the product in the topology and regenerate",
				o.where, o.chart.Name, why, file, s.Type, strings.ToLower(format))
		}
	}
	return nil
}

// password is what the overlay gives as the password of the store of
// role: its ciphertext in vault mode, else the password itself (and the
// overlay is then secret).
func (o *overlay) password(role string) (string, error) {
	return o.secretValue(gen.SecretAlias(o.p.Name, role), gen.PasswordVar(o.p.Name, role))
}

// requireEncryptionKey refuses a product whose bundle has no [encryption]
// key: the chart would deploy WSO2's published default.
func (o *overlay) requireEncryptionKey() error {
	if v := gen.EncryptionKeyVar(o.p.Name); o.secrets[v] == "" {
		return bundle.Errorf("%s/%s has no %s, the encryption key of %s that WSO2's %s chart needs; update the bundle with 'wso2ks generate --update'",
			o.p.Env, bundle.SecretsName, v, o.where, o.chart.Name)
	}
	return nil
}

// encryptionKey is password's counterpart for the [encryption] key.
func (o *overlay) encryptionKey() (string, error) {
	if err := o.requireEncryptionKey(); err != nil {
		return "", err
	}
	return o.secretValue(gen.EncryptionSecretAlias(o.p.Name), gen.EncryptionKeyVar(o.p.Name))
}

func (o *overlay) secretValue(alias, variable string) (string, error) {
	if o.vault == nil {
		o.secret = true
		return o.secrets[variable], nil
	}
	if c := o.vault[alias]; c != "" {
		return c, nil
	}
	return "", bundle.Errorf("the %s of %s has no %s; regenerate the bundle", gen.CipherTextName, o.where, alias)
}
