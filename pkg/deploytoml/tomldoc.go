package deploytoml

import (
	"bytes"
	"sort"
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"
	"github.com/wso2ks/wso2ks/pkg/bundle"
)

// tomlDoc is a TOML document cut into lines and top-level tables, with the
// byte ranges merge splices. It is built from go-toml's unstable parser, so
// multi-line strings and arrays are never mistaken for headers or comments.
type tomlDoc struct {
	src    []byte
	lines  []lineSpan
	eol    string // the line terminator merge writes: "\n" or "\r\n" (lineEnding)
	root   []*tomlKV
	tables []*tomlTable
}

// lineSpan is one line: src[start:end], end past its terminator (if any).
type lineSpan struct{ start, end int }

// tomlTable is a [table] or [[array table]] header and its key/values.
//
// Its extent, lines [start, end), is what merge removes or moves: the
// comment lines directly above the header (no blank line between them and
// the header), the header, and everything up to the last line of its last
// key/value. Comments and blank lines after that last key/value belong to no
// table: they stay where they are.
type tomlTable struct {
	path     []string
	array    bool
	line     int // 1-based position of the header's key, for messages
	col      int
	start    int
	header   int
	end      int
	kvs      []*tomlKV
	position int // index in tomlDoc.tables
}

// tomlKV is one top-level key/value expression.
type tomlKV struct {
	path      []string       // relative to its table
	line, col int            // 1-based position of the key
	first     int            // first line
	last      int            // last line (multi-line values span several)
	value     unstable.Range // the value's bytes
	kind      unstable.Kind  // of the value
	str       string         // the value, when it is a string
}

// parseTOMLDoc cuts src into lines and tables. src must already have decoded
// with go-toml; the parser's error is returned all the same.
func parseTOMLDoc(src []byte) (*tomlDoc, error) {
	d := &tomlDoc{src: src, eol: "\n"}
	for start := 0; start < len(src); {
		end := len(src)
		if i := bytes.IndexByte(src[start:], '\n'); i >= 0 {
			end = start + i + 1
		}
		d.lines = append(d.lines, lineSpan{start, end})
		start = end
	}
	var p unstable.Parser
	p.Reset(src)
	var cur *tomlTable
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			it := e.Key()
			it.Next()
			off := int(it.Node().Raw.Offset)
			l := d.lineOf(off)
			cur = &tomlTable{
				path: keyParts(e.Key()), array: e.Kind == unstable.ArrayTable,
				line: l + 1, col: off - d.lines[l].start + 1,
				header: l, end: l + 1, position: len(d.tables),
			}
			d.tables = append(d.tables, cur)
		case unstable.KeyValue:
			kv := d.newKV(e)
			if cur == nil {
				d.root = append(d.root, kv)
			} else {
				cur.kvs = append(cur.kvs, kv)
				cur.end = kv.last + 1
			}
		}
	}
	if err := p.Error(); err != nil {
		return nil, err
	}
	prevEnd := 0
	if n := len(d.root); n > 0 {
		prevEnd = d.root[n-1].last + 1
	}
	for _, t := range d.tables {
		t.start = t.header
		for t.start > prevEnd && d.isComment(t.start-1) {
			t.start--
		}
		prevEnd = t.end
	}
	d.eol = d.lineEnding()
	return d, nil
}

// lineEnding is the terminator of the first line merge keeps as it is,
// outside the tables it rewrites (those it owns, [encryption], [secrets]);
// without one, of the first line. Taken from the first line of all, a file
// with mixed endings would get its inserted tables in one ending, then, with
// [secrets] moved to the end, in the other on the next merge: a second
// merge must write nothing (FuzzMerge found it).
func (d *tomlDoc) lineEnding() string {
	rewritten := make([]bool, len(d.lines))
	for _, t := range d.tables {
		if ownedTable(t.path) != nil || isSecretsTable(t) || isEncryptionTable(t) {
			for i := t.start; i < t.end; i++ {
				rewritten[i] = true
			}
		}
	}
	first := -1
	for i, l := range d.lines {
		if d.src[l.end-1] != '\n' {
			continue // the last line, unterminated
		}
		if first < 0 {
			first = i
		}
		if !rewritten[i] {
			first = i
			break
		}
	}
	if first >= 0 && bytes.HasSuffix(d.src[:d.lines[first].end], []byte("\r\n")) {
		return "\r\n"
	}
	return "\n"
}

func (d *tomlDoc) newKV(e *unstable.Node) *tomlKV {
	it := e.Key()
	it.Next()
	off := int(it.Node().Raw.Offset)
	l := d.lineOf(off)
	r := e.Raw
	kv := &tomlKV{
		path: keyParts(e.Key()), line: l + 1, col: off - d.lines[l].start + 1,
		first: l, last: d.lineOf(int(r.Offset+r.Length) - 1),
	}
	// The value runs from after '=' to the end of the expression: arrays and
	// inline tables carry no range of their own.
	var keyEnd int
	for it := e.Key(); it.Next(); {
		keyEnd = int(it.Node().Raw.Offset + it.Node().Raw.Length)
	}
	vs := keyEnd + bytes.IndexByte(d.src[keyEnd:], '=') + 1
	for d.src[vs] == ' ' || d.src[vs] == '\t' {
		vs++
	}
	end := int(r.Offset + r.Length)
	v := e.Value()
	kv.value, kv.kind = unstable.Range{Offset: uint32(vs), Length: uint32(end - vs)}, v.Kind
	if v.Kind == unstable.String {
		kv.str = string(v.Data)
	}
	return kv
}

func keyParts(it unstable.Iterator) []string {
	var parts []string
	for it.Next() {
		parts = append(parts, string(it.Node().Data))
	}
	return parts
}

// lineOf returns the index of the line holding byte offset off.
func (d *tomlDoc) lineOf(off int) int {
	return sort.Search(len(d.lines), func(i int) bool { return d.lines[i].end > off })
}

func (d *tomlDoc) text(i int) []byte { return d.src[d.lines[i].start:d.lines[i].end] }

func (d *tomlDoc) isBlank(i int) bool { return len(bytes.TrimLeft(d.text(i), " \t\r\n")) == 0 }

func (d *tomlDoc) isComment(i int) bool {
	t := bytes.TrimLeft(d.text(i), " \t")
	return len(t) > 0 && t[0] == '#'
}

// span returns the bytes of lines [from, to).
func (d *tomlDoc) span(from, to int) []byte {
	if from >= to {
		return nil
	}
	return d.src[d.lines[from].start:d.lines[to-1].end]
}

// secrets returns the [secrets] table, or nil.
func (d *tomlDoc) secrets() *tomlTable {
	for _, t := range d.tables {
		if isSecretsTable(t) {
			return t
		}
	}
	return nil
}

func isSecretsTable(t *tomlTable) bool {
	return !t.array && len(t.path) == 1 && t.path[0] == "secrets"
}

// ownedTables are the tables a snippet owns; "*" matches any one key.
// Everything below them is owned too.
var ownedTables = [][]string{
	{"keystore", "*"},
	{"truststore"},
	{"transport", "http", "listener", "keystore"},
	{"internal_api_ssl_config", "*"},
}

// ownedTable returns the owned table that path lies in (path itself or a
// prefix of it), or nil.
func ownedTable(path []string) []string {
	for _, pat := range ownedTables {
		if len(path) >= len(pat) && matchPattern(pat, path[:len(pat)]) {
			return path[:len(pat)]
		}
	}
	return nil
}

// aboveOwned reports whether path is a proper prefix of an owned table:
// "keystore", "transport.http", ...
func aboveOwned(path []string) bool {
	for _, pat := range ownedTables {
		if len(path) < len(pat) && matchPattern(pat[:len(path)], path) {
			return true
		}
	}
	return false
}

func matchPattern(pat, path []string) bool {
	for i := range pat {
		if pat[i] != "*" && pat[i] != path[i] {
			return false
		}
	}
	return true
}

// dotted writes a key path as TOML does, quoting parts that need it.
func dotted(path []string) string {
	parts := make([]string, len(path))
	for i, p := range path {
		parts[i] = p
		if p == "" || strings.IndexFunc(p, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-')
		}) >= 0 {
			parts[i] = bundle.QuoteTOML(p)
		}
	}
	return strings.Join(parts, ".")
}
