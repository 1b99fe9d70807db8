package verify

import (
	"crypto/rsa"
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"strings"

	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/gen"
	"github.com/wso2ks/wso2ks/pkg/infile"
	"github.com/wso2ks/wso2ks/pkg/keystore"
)

// vaultKey is the secure vault's private key and transformation, found once per product.
type vaultKey struct {
	key            *rsa.PrivateKey
	transformation string
	role           string // the store it comes from: internal, else primary
	// source names where the store's password came from (vaultPassword).
	source string
	// missing says what is not there when no password is known: secret-decrypts
	// then gives one SKIP, and err says the same to whoever resolves a $secret{…}.
	missing string
	err     error
}

func (c *checker) loadVaultKey() *vaultKey {
	v := &vaultKey{transformation: gen.CipherRSA}
	if data, err := c.o.FS.ReadFile(c.secretConf(), infile.Properties); err == nil {
		if alg := bundle.ParseProperties(data)["secretRepositories.file.algorithm"]; alg != "" {
			v.transformation = alg
		}
	}
	role := c.cipherRole()
	v.role = role
	s := c.cfg.store(role)
	password, source, missing := c.vaultPassword(role)
	if source == "" {
		hint := missing
		if c.o.VaultPasswordHint != nil {
			hint = c.o.VaultPasswordHint(role)
		}
		v.missing = missing
		v.err = fmt.Errorf("the %s store's password is needed to decrypt it: %s", role, hint)
		return v
	}
	v.source = source
	file := storePath(c.p, s.raw["file_name"])
	data, err := c.o.FS.ReadFile(file, infile.KeyStore)
	if err != nil {
		v.err = fmt.Errorf("the %s store %s cannot be read", role, c.rel(file))
		return v
	}
	store, err := keystore.Decode(keystore.Format(strings.ToUpper(s.raw["type"])), data, password)
	if err != nil {
		v.err = fmt.Errorf("the %s store %s does not open with the password from %s: %w", role, c.rel(file), source, err)
		return v
	}
	for _, k := range store.Keys {
		if strings.EqualFold(k.Alias, s.raw["alias"]) {
			if key, ok := k.Key.(*rsa.PrivateKey); ok {
				v.key = key
				return v
			}
		}
	}
	v.err = errors.New("the " + role + " store has no RSA key under alias " + fmt.Sprintf("%q", s.raw["alias"]))
	return v
}

// secretConf is the secure vault's secret-conf.properties in the product's home.
func (c *checker) secretConf() string {
	conf := "repository/conf/security"
	if c.p.Kind == gen.MicroIntegrator {
		conf = "conf/security"
	}
	return filepath.Join(c.p.Root, filepath.FromSlash(path.Join(conf, gen.SecretConfName)))
}

// cipherRole is the store the cipher tool encrypts with and the secure vault decrypts with:
// internal when deployment.toml has [keystore.internal], else primary.
func (c *checker) cipherRole() string {
	if _, ok := table(c.cfg.doc, "keystore.internal"); ok {
		return gen.RoleInternal
	}
	return gen.RolePrimary
}

// carbonHome is how secret-conf.properties names the product's home.
const carbonHome = "${carbon.home}"

// checkVaultStore raises vault-keystore: the secure vault decrypts with the store that
// secret-conf.properties names, the cipher tool encrypted with the one deployment.toml names,
// and when they differ no $secret{…} decrypts. Without secret-conf.properties, or without
// keystore.identity.location in it, no vault is configured and there is nothing to compare.
func (c *checker) checkVaultStore(r *resolver) {
	file := c.secretConf()
	data, err := c.o.FS.ReadFile(file, infile.Properties)
	if err != nil {
		return
	}
	conf := c.rel(file)
	props := bundle.ParseProperties(data)
	role := c.cipherRole()
	s := c.cfg.store(role)
	want := map[string]string{}
	for _, k := range []string{"file_name", "type", "alias"} {
		v, err := r.resolve(s.raw[k], 0)
		if err != nil {
			return // the placeholder rule reports it with the store
		}
		want[k] = v
	}
	storeFile := storePath(c.p, want["file_name"])
	loc := props["keystore.identity.location"]
	if strings.EqualFold(props["secVault.enabled"], "false") {
		// A disabled vault decrypts nothing: what it names does not matter,
		// unless deployment.toml has secrets for it.
		if _, ok := table(c.cfg.doc, "secrets"); ok {
			c.add(RuleVaultStore, Fail, "", "%s sets secVault.enabled=false, and deployment.toml has [secrets]: nothing decrypts them; set it to true", conf)
		}
		return
	}
	if loc == "" {
		// A pack ships the file with these lines commented out: no vault is configured,
		// unless deployment.toml has secrets for it.
		if _, ok := table(c.cfg.doc, "secrets"); ok {
			c.add(RuleVaultStore, Fail, "", "%s has no keystore.identity.location, and deployment.toml has [secrets]: the secure vault has no key to decrypt them with", conf)
		}
		return
	}
	var problems, same []string
	ok, elsewhere := c.sameStore(loc, storeFile)
	if !ok {
		problems = append(problems, fmt.Sprintf("keystore.identity.location %q is not %s, the %s store of %s", loc, c.rel(storeFile), role, s.Table))
	}
	// WSO2's own examples leave out type and alias; only what is written is compared.
	switch t := props["keystore.identity.type"]; {
	case t == "":
	case !strings.EqualFold(t, want["type"]):
		problems = append(problems, fmt.Sprintf("keystore.identity.type %q is not %q, the type of %s", t, strings.ToUpper(want["type"]), s.Table))
	default:
		same = append(same, "type")
	}
	switch a := props["keystore.identity.alias"]; {
	case a == "":
	case !strings.EqualFold(a, want["alias"]):
		problems = append(problems, fmt.Sprintf("keystore.identity.alias %q is not %q, the alias of %s", a, want["alias"], s.Table))
	default:
		same = append(same, "alias")
	}
	if len(problems) > 0 {
		c.add(RuleVaultStore, Fail, "", "%s %s: the secure vault would decrypt with another key than the cipher tool encrypted with", conf, strings.Join(problems, "; "))
		return
	}
	msg := fmt.Sprintf("%s names the %s store %s", conf, role, c.rel(storeFile))
	if elsewhere != "" {
		msg += " under " + elsewhere
	}
	if len(same) > 0 {
		msg += ", with its " + strings.Join(same, " and ")
	}
	c.add(RuleVaultStore, Pass, "", "%s", msg)
}

// sameStore reports whether keystore.identity.location loc names storeFile. ${carbon.home}
// and a relative path are the product's home; an absolute path outside the audited directory
// (a bundle, or a home built where it will not run) is the install directory the product runs
// from, returned as elsewhere, and matches when it ends with the store's path in the home.
func (c *checker) sameStore(loc, storeFile string) (ok bool, elsewhere string) {
	if rest, found := strings.CutPrefix(loc, carbonHome); found {
		loc = filepath.Join(c.p.Root, filepath.FromSlash(rest))
	} else if !filepath.IsAbs(filepath.FromSlash(loc)) && !strings.HasPrefix(loc, "/") {
		loc = filepath.Join(c.p.Root, filepath.FromSlash(loc))
	}
	loc = filepath.Clean(filepath.FromSlash(loc))
	if loc == filepath.Clean(storeFile) {
		return true, ""
	}
	rel, err := filepath.Rel(c.p.Root, storeFile)
	if err != nil || strings.HasPrefix(rel, "..") {
		return false, "" // a store outside the home has one absolute path
	}
	if inside, err := filepath.Rel(c.p.Root, loc); err == nil && !strings.HasPrefix(inside, "..") {
		return false, "" // another file of this home
	}
	install, found := strings.CutSuffix(loc, string(filepath.Separator)+rel)
	if !found {
		return false, ""
	}
	return true, filepath.ToSlash(install)
}
