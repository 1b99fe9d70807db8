package deploytoml

import (
	"regexp"
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"
)

// tomlKey is one key/value of a TOML document by its full path: the path of
// the table it sits in, its own dotted key, and the keys of the inline
// tables around it. Where a key can be spelled several ways
// (transport.https.properties.keystoreFile at the top, https.properties.keystoreFile
// under [transport], properties = { keystoreFile = … } under
// [transport.https]), every spelling has the same path.
type tomlKey struct {
	path      []string
	line, col int // 1-based place of the key as written
	kind      unstable.Kind
	str       string // the value, when it is a string
	text      string // the value as written, for scalars
	header    bool   // a [table] or [[table]] header, not a key/value
}

// tomlKeys lists the headers and leaf key/values of src in order: inline
// tables are walked into, arrays are leaves. src must already have decoded
// with go-toml; the parser's error is returned all the same.
func tomlKeys(src []byte) ([]tomlKey, error) {
	var p unstable.Parser
	p.Reset(src)
	var out []tomlKey
	var table []string
	place := func(it unstable.Iterator) (int, int) {
		it.Next()
		pos := p.Shape(it.Node().Raw).Start
		return pos.Line, pos.Column
	}
	var walk func(prefix []string, kv *unstable.Node)
	walk = func(prefix []string, kv *unstable.Node) {
		path := append(append([]string(nil), prefix...), keyParts(kv.Key())...)
		v := kv.Value()
		if v.Kind == unstable.InlineTable {
			for it := v.Children(); it.Next(); {
				if it.Node().Kind == unstable.KeyValue {
					walk(path, it.Node())
				}
			}
			return
		}
		k := tomlKey{path: path, kind: v.Kind}
		k.line, k.col = place(kv.Key())
		switch v.Kind {
		case unstable.String:
			k.str, k.text = string(v.Data), string(v.Data)
		case unstable.Array:
		default:
			k.text = string(v.Data)
		}
		out = append(out, k)
	}
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			table = keyParts(e.Key())
			k := tomlKey{path: table, header: true}
			k.line, k.col = place(e.Key())
			out = append(out, k)
		case unstable.KeyValue:
			walk(table, e)
		}
	}
	return out, p.Error()
}

// hasPrefix reports whether path starts with prefix.
func hasPrefix(path, prefix []string) bool {
	if len(path) < len(prefix) {
		return false
	}
	for i := range prefix {
		if path[i] != prefix[i] {
			return false
		}
	}
	return true
}

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
