package emit

import (
	"encoding/hex"
	"fmt"
	"io"
	"math/big"
	"path/filepath"

	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/gen"
)

// passwordAlphabet holds only letters and digits, so a password needs no
// quoting in secrets.env, TOML, a shell or a Java properties file.
const passwordAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// passwordLength gives 32 × log2(62) ≈ 190 bits, well past SPEC's 24
// characters.
const passwordLength = 32

// newPassword draws a password from r, uniformly over passwordAlphabet.
func newPassword(r io.Reader) (string, error) {
	max := big.NewInt(int64(len(passwordAlphabet)))
	b := make([]byte, passwordLength)
	for i := range b {
		n, err := randInt(r, max)
		if err != nil {
			return "", fmt.Errorf("generate password: %w", err)
		}
		b[i] = passwordAlphabet[n]
	}
	return string(b), nil
}

// randInt is rejection sampling over one byte, so each character is uniform.
func randInt(r io.Reader, max *big.Int) (int, error) {
	limit := 256 - 256%int(max.Int64())
	var one [1]byte
	for {
		if _, err := io.ReadFull(r, one[:]); err != nil {
			return 0, err
		}
		if int(one[0]) < limit {
			return int(one[0]) % int(max.Int64()), nil
		}
	}
}

// The internal data encryption key ([encryption] key) of a product whose
// internal crypto provider is symmetric (gen.InternalProvider): one per
// product per environment, shared by its instances, which share one
// database. It is written to secrets.env and the snippet, never to the
// manifest, stdout or stderr.

// newEncryptionKey draws a key of chars lower-case hex digits (chars/2
// random bytes) from r.
func newEncryptionKey(r io.Reader, chars int) (string, error) {
	b := make([]byte, chars/2)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", fmt.Errorf("generate encryption key: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// KeyChangeHelp says how to change a product's key on purpose, for the
// errors that refuse to do it by accident (here and in lifecycle): a format
// taking the variable and the file that holds it.
const KeyChangeHelp = "data encrypted with the old key would become unreadable; to change it deliberately, re-encrypt the data first (see docs/passwords-and-vault.md) and remove %s from %s"

// encryptionKeys picks the key of every product that has one, in plan
// order, so that a seeded source gives the same keys: the key the topology
// names, else the one --passwords gives, else the one the old bundle holds
// (an update never changes it), else a new one. A supplied key that differs
// from the old bundle's is refused.
func encryptionKeys(plan *gen.Plan, opt BuildOptions) (map[string]string, error) {
	keys := map[string]string{}
	for _, env := range plan.Environments {
		for pi := range env.Products {
			p := &env.Products[pi]
			e := p.Encryption
			if e == nil || e.Provider != gen.ProviderSymmetric {
				continue
			}
			key, from := e.SuppliedKey()
			src := e.KeySource
			if !from {
				key, from = opt.Passwords[e.KeyVar]
				src = "--passwords " + e.KeyVar
			}
			old, kept := opt.Reuse.encryptionKey(p.Dir)
			switch {
			case from && kept && key != old:
				file := filepath.Join(opt.Reuse.Dir, env.Name, bundle.SecretsName)
				return nil, &gen.InputError{File: file, Msg: fmt.Sprintf("%s gives %s a different encryption key than %s in this file; an update keeps a product's encryption key: "+KeyChangeHelp,
					src, p.Dir, e.KeyVar, e.KeyVar, "this file")}
			case from:
			case kept:
				key = old
			default:
				var err error
				if key, err = newEncryptionKey(opt.Rand, e.KeyChars); err != nil {
					return nil, err
				}
			}
			keys[p.Dir] = key
		}
	}
	return keys, nil
}
