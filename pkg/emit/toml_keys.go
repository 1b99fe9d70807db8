package emit

import (
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
