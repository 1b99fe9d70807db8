package deploytoml

import (
	"bytes"
	"sort"
	"strings"
)

// lineEdit replaces lines [from, to) of a document with text. A removal
// (collapse) also drops the blank lines after it when a blank line, or the
// start of the file, already precedes it, so removing a table leaves one
// separating blank line, not two.
type lineEdit struct {
	from, to int
	text     []byte
	collapse bool
}

// splice returns d with s's owned run, [encryption] and [secrets] spliced
// in (see the rules at the top of merge.go), following key for the
// [encryption] key, and notes on what moved.
func splice(d, s *tomlDoc, key keyPlan) ([]byte, []string) {
	block := s.ownedRun(d.eol)
	var edits []lineEdit
	if et := d.encryption(); et != nil {
		skip := func(kv *tomlKV) bool { return !key.apply && len(kv.path) == 1 && kv.path[0] == "key" }
		edits = append(edits, lineEdit{from: et.start, to: et.end, text: mergeTableKeys(d, et, s, s.encryption(), skip)})
	} else if enc := encryptionText(s, key, d.eol); enc != nil {
		// With the owned tables, wherever they go.
		block = append(append(block, d.eol...), enc...)
	}
	placed := false
	for i := 0; i < len(d.tables); i++ {
		if ownedTable(d.tables[i].path) == nil {
			continue
		}
		j := i
		for j+1 < len(d.tables) && ownedTable(d.tables[j+1].path) != nil {
			j++
		}
		e := lineEdit{from: d.tables[i].start, to: d.tables[j].end, collapse: placed}
		if !placed {
			e.text, placed = block, true
		}
		edits = append(edits, e)
		i = j
	}
	var tail [][]byte
	var notes []string
	sec := d.secrets()
	secText := mergeSecrets(d, sec, s, s.secrets(), key.skip)
	switch {
	case sec != nil && sec.position == len(d.tables)-1:
		text := secText
		if !placed {
			// Before [secrets], with a blank line on either side.
			var b []byte
			if sec.start > 0 && !d.isBlank(sec.start-1) {
				b = append(b, d.eol...)
			}
			text = append(append(append(b, block...), d.eol...), secText...)
		}
		edits = append(edits, lineEdit{from: sec.start, to: sec.end, text: text})
	case sec != nil:
		edits = append(edits, lineEdit{from: sec.start, to: sec.end, collapse: true})
		notes = append(notes, noteSecretsMoved)
		if !placed {
			tail = append(tail, block)
		}
		tail = append(tail, secText)
	default:
		if !placed {
			tail = append(tail, block)
		}
		if secText != nil {
			tail = append(tail, secText)
		}
	}
	sort.Slice(edits, func(i, j int) bool { return edits[i].from < edits[j].from })
	return d.apply(edits, tail), notes
}

// ownedRun returns the snippet's owned tables with the lines between them,
// in line ending eol, ending with a line ending. checkSnippet made sure the
// owned tables come first, then [encryption] and [secrets], if any.
func (d *tomlDoc) ownedRun(eol string) []byte {
	last := 0
	for i, t := range d.tables {
		if ownedTable(t.path) != nil {
			last = i
		}
	}
	return withEOL(d.span(d.tables[0].start, d.tables[last].end), eol, true)
}

// mergeSecrets returns the [secrets] table the result ends with, or nil
// when neither document has one. The snippet's entry skip, when not
// empty, is left out.
func mergeSecrets(d *tomlDoc, dt *tomlTable, s *tomlDoc, st *tomlTable, skip string) []byte {
	leave := func(kv *tomlKV) bool { return skip != "" && len(kv.path) == 1 && kv.path[0] == skip }
	switch {
	case dt == nil && st == nil:
		return nil
	case dt == nil:
		return withEOL(tableWithout(s, st, leave), d.eol, true)
	}
	return mergeTableKeys(d, dt, s, st, leave)
}

// tableWithout returns the lines of table t, less those of the key/values
// skip names.
func tableWithout(d *tomlDoc, t *tomlTable, skip func(*tomlKV) bool) []byte {
	var out []byte
	from := t.start
	for _, kv := range t.kvs {
		if skip(kv) {
			out = append(out, d.span(from, kv.first)...)
			from = kv.last + 1
		}
	}
	return append(out, d.span(from, t.end)...)
}

// mergeTableKeys returns the lines of d's table dt with the key/values of
// s's table st merged in, but for those skip names: a key dt has gets st's
// value in place, a key it lacks is appended after its last key/value.
func mergeTableKeys(d *tomlDoc, dt *tomlTable, s *tomlDoc, st *tomlTable, skip func(*tomlKV) bool) []byte {
	base := d.lines[dt.start].start
	text := append([]byte(nil), d.span(dt.start, dt.end)...)
	if st == nil {
		return text
	}
	have := map[string]*tomlKV{}
	for _, kv := range dt.kvs {
		have[strings.Join(kv.path, "\x00")] = kv
	}
	type valueEdit struct {
		at, n int
		value []byte
	}
	var replace []valueEdit
	var added []byte
	for _, kv := range st.kvs {
		if skip(kv) {
			continue
		}
		value := withEOL(s.src[kv.value.Offset:kv.value.Offset+kv.value.Length], d.eol, false)
		if old, ok := have[strings.Join(kv.path, "\x00")]; ok {
			replace = append(replace, valueEdit{int(old.value.Offset) - base, int(old.value.Length), value})
			continue
		}
		added = append(added, withEOL(s.span(kv.first, kv.last+1), d.eol, true)...)
	}
	sort.Slice(replace, func(i, j int) bool { return replace[i].at > replace[j].at })
	for _, r := range replace { // from the end, so earlier offsets hold
		text = append(text[:r.at], append(append([]byte(nil), r.value...), text[r.at+r.n:]...)...)
	}
	if len(added) > 0 {
		text = append(ensureEOL(text, d.eol), added...)
	}
	return text
}

// apply makes the edits (sorted, not overlapping) and appends each tail
// part after a blank line.
func (d *tomlDoc) apply(edits []lineEdit, tail [][]byte) []byte {
	var out []byte
	i, n := 0, len(d.lines)
	for k, e := range edits {
		out = append(out, d.span(i, e.from)...)
		out = append(out, e.text...)
		i = e.to
		if !e.collapse {
			continue
		}
		limit := n
		if k+1 < len(edits) {
			limit = edits[k+1].from
		}
		j := i
		for j < limit && d.isBlank(j) {
			j++
		}
		if j == n || len(out) == 0 || lastLineBlank(out) {
			i = j
		}
		if i == n {
			out = trimBlankLines(out)
		}
	}
	out = append(out, d.span(i, n)...)
	for _, part := range tail {
		if len(out) > 0 {
			out = ensureEOL(out, d.eol)
			if !lastLineBlank(out) {
				out = append(out, d.eol...)
			}
		}
		out = append(out, part...)
	}
	return out
}

// withEOL converts b's line endings to eol; with final, it also ends b
// with one.
func withEOL(b []byte, eol string, final bool) []byte {
	b = bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
	if eol != "\n" {
		b = bytes.ReplaceAll(b, []byte("\n"), []byte(eol))
	}
	if final {
		b = ensureEOL(b, eol)
	}
	return b
}

func ensureEOL(b []byte, eol string) []byte {
	if len(b) > 0 && b[len(b)-1] != '\n' {
		b = append(b, eol...)
	}
	return b
}

// lastLineBlank reports whether the last complete line of b is blank.
func lastLineBlank(b []byte) bool {
	if len(b) == 0 || b[len(b)-1] != '\n' {
		return false
	}
	line := b[bytes.LastIndexByte(b[:len(b)-1], '\n')+1:]
	return len(bytes.Trim(line, " \t\r\n")) == 0
}

// trimBlankLines drops the blank lines b ends with.
func trimBlankLines(b []byte) []byte {
	for lastLineBlank(b) {
		b = b[:bytes.LastIndexByte(b[:len(b)-1], '\n')+1]
	}
	return b
}
