package emit

import (
	"regexp"
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"
)

// placeholderValue is a value the product resolves at start-up ($env{VAR},
// $secret{alias}, $ref{key}, $sys{prop}; SPEC §1): it holds no password.
var placeholderValue = regexp.MustCompile(`^\$(env|secret|ref|sys)\{[^}]*\}$`)

// HoldsPlainPassword reports whether a deployment.toml holds a password in
// the clear where wso2ks writes: a password or key_password of the tables
// merge owns, [encryption] key or old_key, or a [secrets] value the cipher
// tool has yet to encrypt, which it marks with brackets ("[plaintext]";
// wso2/cipher-tool components/ciphertool/src/main/java/org/wso2/ciphertool/CipherTool.java
// encryptCipherTextFile @6df6de50). Such a file is for its owner's eyes
// only. deployment must decode; a document that does not holds nothing.
func HoldsPlainPassword(deployment []byte) bool {
	keys, err := tomlKeys(deployment)
	if err != nil {
		return false
	}
	for _, k := range keys {
		if k.header || k.kind == unstable.Array || k.text == "" {
			continue
		}
		name := k.path[len(k.path)-1]
		switch {
		case len(k.path) == 2 && k.path[0] == "secrets":
			if k.kind == unstable.String && strings.Contains(k.str, "[") && strings.Index(k.str, "]") > 0 {
				return true
			}
		case len(k.path) == 2 && k.path[0] == "encryption" && (name == "key" || name == "old_key"),
			ownedTable(k.path) != nil && (name == "password" || name == "key_password"):
			if k.kind != unstable.String || !placeholderValue.MatchString(k.str) {
				return true
			}
		}
	}
	return false
}
