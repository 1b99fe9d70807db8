package verify

import (
	"bufio"
	"bytes"
	"crypto/rsa"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"strings"

	"github.com/wso2ks/wso2ks/pkg/emit"
	"github.com/wso2ks/wso2ks/pkg/gen"
)

// vaultKey is the secure vault's private key and transformation, found once per product.
type vaultKey struct {
	key            *rsa.PrivateKey
	transformation string
	err            error
}

// decryptSecret decrypts [secrets] alias as the secure vault does: with the private key of
// the internal store (primary when no [keystore.internal] is set), whose password WSO2 reads
// from password-tmp and verify from Options.Password.
func (c *checker) decryptSecret(alias string) (string, error) {
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
		return "", fmt.Errorf("$secret{%s} does not decrypt with the vault's key (%s); encrypt it again with the cipher tool", alias, c.vault.transformation)
	}
	return string(plain), nil
}

func (c *checker) loadVaultKey() *vaultKey {
	v := &vaultKey{transformation: gen.CipherRSA}
	conf := "repository/conf/security"
	if c.p.Kind == gen.MicroIntegrator {
		conf = "conf/security"
	}
	if data, err := c.o.FS.ReadFile(filepath.Join(c.p.Root, filepath.FromSlash(path.Join(conf, gen.SecretConfName)))); err == nil {
		if alg := properties(data)["secretRepositories.file.algorithm"]; alg != "" {
			v.transformation = alg
		}
	}
	role := gen.RoleInternal
	if _, ok := table(c.cfg.doc, "keystore.internal"); !ok {
		role = gen.RolePrimary
	}
	s := c.cfg.store(role)
	password := c.o.Password
	if pw, ok := c.p.Passwords[gen.PasswordVar(c.p.Name, role)]; ok && password == "" {
		password = pw
	}
	if password == "" {
		v.err = fmt.Errorf("the %s store's password is needed to decrypt it: give it with --password-file FILE or WSO2KS_VERIFY_PASSWORD", role)
		return v
	}
	file := storePath(c.p, s.raw["file_name"])
	data, err := c.o.FS.ReadFile(file)
	if err != nil {
		v.err = fmt.Errorf("the %s store %s cannot be read", role, c.rel(file))
		return v
	}
	store, err := emit.DecodeStore(emit.Format(strings.ToUpper(s.raw["type"])), data, password)
	if err != nil {
		v.err = fmt.Errorf("the %s store %s does not open with the given password: %w", role, c.rel(file), err)
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

// properties reads a Java properties file's key=value lines (no continuations: secret-conf
// has none).
func properties(data []byte) map[string]string {
	out := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' || line[0] == '!' {
			continue
		}
		k, v, _ := strings.Cut(line, "=")
		out[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	return out
}
