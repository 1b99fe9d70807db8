package emit

import (
	"bytes"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"path"

	"github.com/wso2ks/wso2ks/pkg/gen"
)

// secret is one [secrets] entry: an alias and its ciphertext.
type secret struct{ Alias, Value string }

// plainSecret is one value vault mode encrypts: a store password or the
// encryption key, with its [secrets] alias and its secrets.env variable.
type plainSecret struct{ alias, name, value string }

// vaultValues lists what vault mode encrypts for p: every store's password,
// then the encryption key when p has one (key is not empty).
func vaultValues(p *gen.Product, password PasswordFunc, key string) []plainSecret {
	var plain []plainSecret
	for i := range p.Stores {
		s := &p.Stores[i]
		plain = append(plain, plainSecret{s.SecretAlias, s.PasswordVar, password(s)})
	}
	if key != "" {
		plain = append(plain, plainSecret{p.Encryption.SecretAlias, p.Encryption.KeyVar, key})
	}
	return plain
}

// vaultSecrets encrypts every value of plain with cert, exactly as WSO2's
// cipher tool does: RSA with the product's transformation over the UTF-8
// value, standard padded Base64 on one line, no wrapper. A ciphertext kept
// returns is used as it is.
func vaultSecrets(r io.Reader, transformation string, cert *x509.Certificate, plain []plainSecret, kept func(plainSecret) (string, bool)) ([]secret, error) {
	pub, ok := cert.PublicKey.(*rsa.PublicKey)
	if !ok {
		return nil, errors.New("the cipher store's key is not RSA")
	}
	var out []secret
	for _, s := range plain {
		if v, ok := kept(s); ok {
			out = append(out, secret{Alias: s.alias, Value: v})
			continue
		}
		ct, err := encryptSecret(r, transformation, pub, []byte(s.value))
		if err != nil {
			return nil, fmt.Errorf("encrypt %s: %w", s.alias, err)
		}
		out = append(out, secret{Alias: s.alias, Value: base64.StdEncoding.EncodeToString(ct)})
	}
	return out, nil
}

func encryptSecret(r io.Reader, transformation string, pub *rsa.PublicKey, msg []byte) ([]byte, error) {
	switch transformation {
	case gen.CipherRSA:
		return rsa.EncryptPKCS1v15(r, pub, msg)
	case gen.CipherOAEP:
		// Java's OAEPwithSHA1andMGF1Padding: SHA-1 for both, empty label.
		return rsa.EncryptOAEP(sha1.New(), r, pub, msg, nil)
	}
	return nil, fmt.Errorf("unknown transformation %q", transformation)
}

// Secure vault classes (SPEC §1), as the cipher tool writes them.
const (
	secretManagerHandler = "org.wso2.securevault.secret.handler.SecretManagerSecretCallbackHandler"
	fileRepoProvider     = "org.wso2.securevault.secret.repository.FileBaseSecretRepositoryProvider"
	defaultCallback      = "org.wso2.carbon.securevault.DefaultSecretCallbackHandler"
)

// secretConf renders secret-conf.properties: the secure vault reads the
// ciphertexts from cipher-text.properties and decrypts them with the cipher
// store, whose password the server reads from password-tmp or
// password-persist at start-up. Both paths are relative to the product
// home, the server's working directory (gen.Vault.IdentityLocation says
// why), so the home can move.
func secretConf(env string, p *gen.Product) []byte {
	v := p.Vault
	s := p.Store(v.CipherRole)
	var b bytes.Buffer
	fmt.Fprintf(&b, "# wso2ks: secure vault of %s %s, product %q, environment %q.\n", p.Kind.Title(), p.Version, p.Name, env)
	fmt.Fprintf(&b, "# The server reads the %s store's password from password-tmp (or password-persist) in the product home at start-up.\n", v.CipherRole)
	b.WriteString("# Paths are relative to the product home, the directory its start script runs the server in.\n")
	line := func(k, val string) { fmt.Fprintf(&b, "%s=%s\n", k, val) }
	line("secVault.enabled", "true")
	line("carbon.secretProvider", secretManagerHandler)
	line("secretRepositories", "file")
	line("secretRepositories.file.provider", fileRepoProvider)
	line("secretRepositories.file.location", path.Join(v.ConfDir, gen.CipherTextName))
	if v.Transformation != gen.CipherRSA {
		line("secretRepositories.file.algorithm", v.Transformation)
	}
	line("keystore.identity.location", v.IdentityLocation)
	line("keystore.identity.type", s.Type)
	line("keystore.identity.alias", s.Alias)
	line("keystore.identity.store.password", "identity.store.password")
	line("keystore.identity.store.secretProvider", defaultCallback)
	line("keystore.identity.key.password", "identity.key.password")
	line("keystore.identity.key.secretProvider", defaultCallback)
	return b.Bytes()
}

// cipherText renders cipher-text.properties, the file the secure vault's
// file repository reads: alias=ciphertext, the same values as [secrets].
func cipherText(secrets []secret) []byte {
	var b bytes.Buffer
	b.WriteString("# wso2ks: the [secrets] of deployment.snippet.toml, as the secure vault reads them.\n")
	for _, s := range secrets {
		fmt.Fprintf(&b, "%s=%s\n", s.Alias, s.Value)
	}
	return b.Bytes()
}

// EncryptSecret makes a [secrets] value as the cipher tool of IS and APIM
// does (Java's "RSA", PKCS#1 v1.5, standard Base64): for install, which
// keeps a home's encryption key when it replaces the key store the secure
// vault decrypts with.
func EncryptSecret(r io.Reader, cert *x509.Certificate, plaintext string) (string, error) {
	pub, ok := cert.PublicKey.(*rsa.PublicKey)
	if !ok {
		return "", errors.New("the cipher store's key is not RSA")
	}
	ct, err := encryptSecret(r, gen.CipherRSA, pub, []byte(plaintext))
	if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(ct), nil
}
