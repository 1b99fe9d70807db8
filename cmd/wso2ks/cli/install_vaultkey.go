package cli

import (
	"path"
	"strings"

	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/deploytoml"
	"github.com/wso2ks/wso2ks/pkg/gen"
)

// How install keeps a vault home's secrets readable when it replaces the
// key its secure vault decrypts them with: the kept ciphertexts are
// encrypted again for the new internal key.

// overrideSecrets puts in.secretOverride's ciphertexts in place of the
// bundle's in the snippet's [secrets] and the vault's cipher-text.properties.
func (in *installer) overrideSecrets(snippet []byte, files []deploytoml.HomeFile) []byte {
	replace := func(data []byte, sep string) []byte {
		lines := strings.Split(string(data), "\n")
		for i, line := range lines {
			for alias, ct := range in.secretOverride {
				if strings.HasPrefix(line, alias+sep) {
					if sep == "=" {
						lines[i] = alias + "=" + ct
					} else {
						lines[i] = alias + sep + `"` + ct + `"`
					}
				}
			}
		}
		return []byte(strings.Join(lines, "\n"))
	}
	for i := range files {
		if path.Base(files[i].Path) == gen.CipherTextName {
			files[i].Data = replace(files[i].Data, "=")
		}
	}
	return replace(snippet, " = ")
}

// cipherKeyChanges reports whether install replaces the key the home's
// secure vault decrypts [secrets] with: its internal store's, primary's
// when it configures none (the cipher tool's choice, SPEC §1).
// A store install cannot open is one it replaces, so its key changes too.
func (in *installer) cipherKeyChanges(stores []deploytoml.ProductStore) bool {
	old := in.home.eff.Store(gen.RoleInternal)
	if old == nil || old.Missing {
		old = in.home.eff.Store(gen.RolePrimary)
	}
	ours := bundleKey(stores, gen.RoleInternal)
	switch {
	case old == nil || old.Missing || ours == nil:
		return false
	case old.Key == nil:
		return true
	}
	return !samePublic(old.Key.Key.Public(), ours.Key.Public())
}

// bundleSecret is a variable of the bundle's secrets.env for the
// environment installed, or "".
func (in *installer) bundleSecret(name string) string {
	for _, f := range in.b.Files {
		if f.Path == path.Join(in.env, bundle.SecretsName) {
			vars, err := bundle.ParseSecretsEnv(f.Data)
			if err == nil {
				return vars[name]
			}
		}
	}
	return ""
}
