package gen

import (
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

// indexPositions walks the document once with go-toml's parser. It assumes
// the document already decoded, so it ignores parse errors.
func indexPositions(doc []byte) positions {
	pos := positions{}
	arrayCount := map[string]int{}
	var p unstable.Parser
	p.Reset(doc)
	table := ""
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			key := joinKey(e.Key())
			if e.Kind == unstable.ArrayTable {
				n := arrayCount[key]
				arrayCount[key] = n + 1
				key += "." + strconv.Itoa(n)
			}
			table = key
			pos.add(&p, table, e)
		case unstable.KeyValue:
			path := joinKey(e.Key())
			if table != "" {
				path = table + "." + path
			}
			pos.add(&p, path, e)
			pos.addValue(&p, path, e.Value())
		}
	}
	return pos
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
func (pos positions) addValue(p *unstable.Parser, path string, v *unstable.Node) {
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
			pos.addValue(p, sub, item)
		}
	case unstable.InlineTable:
		it := v.Children()
		for it.Next() {
			kv := it.Node()
			sub := path + "." + joinKey(kv.Key())
			pos.add(p, sub, kv)
			pos.addValue(p, sub, kv.Value())
		}
	}
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
