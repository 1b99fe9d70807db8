package gen

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"
)

// position is a 1-based line and column in a topology file.
type position struct{ line, col int }

// positions maps a dotted key path to where it stands in the document, so
// that validation errors can point at the offending value. Paths name
// array-of-tables elements and array items by index: "product.1.hostnames.0".
// Tables map to their header.
type positions map[string]position

// keyUse is one key as the document spells it, for checks go-toml's
// decoder does not make.
type keyUse struct {
	path  string // full dotted path, array tables by index
	kind  unstable.Kind
	where position
}

// indexPositions walks the document once with go-toml's parser. It assumes
// the document already decoded, so it ignores parse errors.
func indexPositions(doc []byte) positions {
	pos, _ := indexKeys(doc)
	return pos
}

// indexKeys is indexPositions that also returns every key in file order.
func indexKeys(doc []byte) (positions, []keyUse) {
	pos := positions{}
	var keys []keyUse
	arrayCount := map[string]int{}
	var p unstable.Parser
	p.Reset(doc)
	table := ""
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			key := inArray(joinKey(e.Key()), arrayCount)
			if e.Kind == unstable.ArrayTable {
				n := arrayCount[key]
				arrayCount[key] = n + 1
				key += "." + strconv.Itoa(n)
			}
			table = key
			pos.add(&p, table, e)
			keys = append(keys, keyUse{table, e.Kind, pos[table]})
		case unstable.KeyValue:
			path := joinKey(e.Key())
			if table != "" {
				path = table + "." + path
			}
			pos.add(&p, path, e)
			keys = append(keys, keyUse{path, e.Kind, pos[path]})
			pos.addValue(&p, path, e.Value(), &keys)
		}
	}
	return pos, keys
}

func (pos positions) add(p *unstable.Parser, path string, n *unstable.Node) {
	r := n.Raw
	if n.Kind == unstable.KeyValue || n.Kind == unstable.Table || n.Kind == unstable.ArrayTable {
		// Point at the key itself, which is where a reader looks.
		it := n.Key()
		if it.Next() {
			r = it.Node().Raw
		}
	}
	if r.Length == 0 && r.Offset == 0 {
		return
	}
	s := p.Shape(r)
	pos[path] = position{s.Start.Line, s.Start.Column}
}

// addValue records array items and inline-table keys below path.
func (pos positions) addValue(p *unstable.Parser, path string, v *unstable.Node, keys *[]keyUse) {
	switch v.Kind {
	case unstable.Array:
		it := v.Children()
		for i := 0; it.Next(); i++ {
			item := it.Node()
			sub := path + "." + strconv.Itoa(i)
			if item.Raw.Length > 0 {
				s := p.Shape(item.Raw)
				pos[sub] = position{s.Start.Line, s.Start.Column}
			}
			pos.addValue(p, sub, item, keys)
		}
	case unstable.InlineTable:
		it := v.Children()
		for it.Next() {
			kv := it.Node()
			sub := path + "." + joinKey(kv.Key())
			pos.add(p, sub, kv)
			*keys = append(*keys, keyUse{sub, kv.Kind, pos[sub]})
			pos.addValue(p, sub, kv.Value(), keys)
		}
	}
}

// inArray puts the current element's index into a table path below an
// array of tables: [product.passwords] after the second [[product]] is
// "product.1.passwords".
func inArray(key string, arrayCount map[string]int) string {
	parts := strings.Split(key, ".")
	for i := len(parts) - 1; i > 0; i-- {
		prefix := strings.Join(parts[:i], ".")
		if n := arrayCount[prefix]; n > 0 {
			return prefix + "." + strconv.Itoa(n-1) + "." + strings.Join(parts[i:], ".")
		}
	}
	return key
}

func joinKey(it unstable.Iterator) string {
	var parts []string
	for it.Next() {
		parts = append(parts, string(it.Node().Data))
	}
	return strings.Join(parts, ".")
}

// find returns the position of path, or of its nearest recorded parent.
func (pos positions) find(path string) position {
	for path != "" {
		if p, ok := pos[path]; ok {
			return p
		}
		i := strings.LastIndexByte(path, '.')
		if i < 0 {
			break
		}
		path = path[:i]
	}
	return position{}
}

// checkKeys catches what go-toml's decoder lets through: it matches keys
// without regard to case ("Hostnames" fills hostnames) and decodes a plain
// [product] table into the product list.
func checkKeys(file string, keys []keyUse) error {
	for _, k := range keys {
		parts := strings.Split(k.path, ".")
		if parts[0] == "product" && len(parts) == 1 && k.kind == unstable.Table {
			return &InputError{file, k.where.line, k.where.col, "write [[product]] (one such table per product), not [product]"}
		}
		for i, part := range parts {
			if i == 1 && parts[0] == "environment" {
				continue // an environment's name; checked with its own message
			}
			if lower := strings.ToLower(part); lower != part {
				return &InputError{file, k.where.line, k.where.col, fmt.Sprintf("key %q must be written in lower case: %q", part, lower)}
			}
		}
	}
	return nil
}
