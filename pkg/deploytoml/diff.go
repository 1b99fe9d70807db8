package deploytoml

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"
)

// mask stands for a secret value in a printed diff.
const mask = `"********"`

// MergeDiff returns a unified diff (---/+++ headers naming name, @@ hunks,
// three lines of context) from old to new, two TOML documents, with secrets
// masked: lines are compared as they are, so a changed password still shows
// as a changed line, but every value of a key whose name contains "password"
// (password, key_password, …), the [encryption] key and old_key, and every
// [secrets] value prints as mask, as
// does a commented-out "# password = …" line. Placeholders ($env{…},
// $secret{…}, $sys{…}, $ref{…}) outside [secrets] are shown: they are not
// secrets. It returns nil when old and new are equal.
func MergeDiff(name string, old, new []byte) []byte {
	a, b := splitLines(old), splitLines(new)
	return unifiedDiff(name, a, b, maskLines(old, a), maskLines(new, b))
}

// unifiedDiff diffs the lines a and b and prints the lines ma and mb, their
// masked forms, in the hunks.
func unifiedDiff(name string, a, b, ma, mb []string) []byte {
	if equalLines(a, b) {
		return nil
	}
	ops := diffLines(a, b)
	var out bytes.Buffer
	fmt.Fprintf(&out, "--- %s\n+++ %s\n", name, name)
	const context = 3
	for i := 0; i < len(ops); {
		if ops[i].kind == ' ' {
			i++
			continue
		}
		// A hunk: from context lines before this change to context lines
		// after the last change that is at most 2*context lines further.
		start := max(i-context, 0)
		end := i
		for j := i; j < len(ops); j++ {
			if ops[j].kind != ' ' {
				end = j
			} else if j-end > 2*context {
				break
			}
		}
		stop := min(end+context+1, len(ops))
		var oldN, newN int
		for _, op := range ops[start:stop] {
			if op.kind != '+' {
				oldN++
			}
			if op.kind != '-' {
				newN++
			}
		}
		fmt.Fprintf(&out, "@@ -%s +%s @@\n", hunkRange(ops[start].a, oldN), hunkRange(ops[start].b, newN))
		for _, op := range ops[start:stop] {
			var line string
			if op.kind == '+' {
				line = mb[op.b]
			} else {
				line = ma[op.a]
			}
			out.WriteByte(op.kind)
			out.WriteString(line)
			if !strings.HasSuffix(line, "\n") {
				out.WriteString("\n\\ No newline at end of file\n")
			}
		}
		i = stop
	}
	return out.Bytes()
}

// hunkRange writes a hunk's start line and length as diff does: "5,3", "5"
// for one line, and the line before for none.
func hunkRange(at, n int) string {
	switch n {
	case 0:
		return fmt.Sprintf("%d,0", at)
	case 1:
		return fmt.Sprintf("%d", at+1)
	}
	return fmt.Sprintf("%d,%d", at+1, n)
}

// splitLines cuts b after each '\n', keeping the terminators.
func splitLines(b []byte) []string {
	var lines []string
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n') + 1
		if i == 0 {
			i = len(b)
		}
		lines = append(lines, string(b[:i]))
		b = b[i:]
	}
	return lines
}

func equalLines(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// diffOp is one line of an edit script: ' ' keeps a[a] (= b[b]), '-'
// deletes a[a], '+' inserts b[b]. a and b are also the positions in each
// file before the line, for hunk headers.
type diffOp struct {
	kind byte
	a, b int
}

// diffLines is Myers' O(ND) shortest edit script. Each step keeps only the
// diagonals it reached, so memory is O(D²).
func diffLines(a, b []string) []diffOp {
	n, m := len(a), len(b)
	off := n + m + 1
	v := make([]int, 2*off+1)
	var trace [][]int // trace[d][k+d+1]: v[k] for k in [-d-1, d+1] before step d
	var x, y int
loop:
	for d := 0; d <= n+m; d++ {
		trace = append(trace, append([]int(nil), v[off-d-1:off+d+2]...))
		for k := -d; k <= d; k += 2 {
			if k == -d || (k != d && v[off+k-1] < v[off+k+1]) {
				x = v[off+k+1]
			} else {
				x = v[off+k-1] + 1
			}
			y = x - k
			for x < n && y < m && a[x] == b[y] {
				x, y = x+1, y+1
			}
			v[off+k] = x
			if x >= n && y >= m {
				break loop
			}
		}
	}
	var rev []diffOp
	x, y = n, m
	for d := len(trace) - 1; d > 0; d-- {
		at := func(k int) int { return trace[d][k+d+1] }
		k := x - y
		prev := k - 1
		if k == -d || (k != d && at(k-1) < at(k+1)) {
			prev = k + 1
		}
		px := at(prev)
		py := px - prev
		for x > px && y > py {
			x, y = x-1, y-1
			rev = append(rev, diffOp{' ', x, y})
		}
		if x == px {
			y--
			rev = append(rev, diffOp{'+', x, y})
		} else {
			x--
			rev = append(rev, diffOp{'-', x, y})
		}
	}
	for x > 0 && y > 0 {
		x, y = x-1, y-1
		rev = append(rev, diffOp{' ', x, y})
	}
	ops := make([]diffOp, len(rev))
	for i, op := range rev {
		ops[len(rev)-1-i] = op
	}
	return ops
}

var (
	placeholder    = regexp.MustCompile(`^\$(env|sys|secret|ref)\{[^{}]*\}$`)
	commentedValue = regexp.MustCompile(`(?i)^(\s*#+\s*[\w."'-]*password[\w."'-]*\s*=\s*).*?(\r?\n)?$`)
)

// maskLines returns lines (the lines of doc) with secret values replaced by
// mask; a masked value that spans lines leaves its continuation lines as
// "********".
func maskLines(doc []byte, lines []string) []string {
	out := append([]string(nil), lines...)
	d, err := parseTOMLDoc(doc)
	if err != nil {
		// Not TOML (MergeDiff is only given documents that decoded): mask
		// everything after every '='.
		for i, l := range out {
			if k, _, ok := strings.Cut(l, "="); ok {
				out[i] = k + "= " + mask + lineEnd(l)
			}
		}
		return out
	}
	for i := range out {
		if d.isComment(i) {
			out[i] = commentedValue.ReplaceAllString(out[i], "${1}"+mask+"${2}")
		}
	}
	mask := func(table []string, kv *tomlKV) {
		full := append(append([]string(nil), table...), kv.path...)
		name := strings.ToLower(full[len(full)-1])
		secret := full[0] == "secrets"
		encKey := full[0] == "encryption" && (name == "key" || name == "old_key")
		switch {
		case secret:
		case kv.kind == unstable.String && placeholder.MatchString(kv.str):
			return
		case strings.Contains(name, "password"), encKey:
		case (kv.kind == unstable.InlineTable || kv.kind == unstable.Array) &&
			bytes.Contains(bytes.ToLower(doc[kv.value.Offset:kv.value.Offset+kv.value.Length]), []byte("password")):
		default:
			return
		}
		vs, ve := int(kv.value.Offset), int(kv.value.Offset+kv.value.Length)
		for l := kv.first; l <= kv.last; l++ {
			ls, le := d.lines[l].start, d.lines[l].end
			var s string
			if l == kv.first {
				s = string(doc[ls:vs]) + mask
			} else {
				s = "********"
			}
			if l == kv.last {
				s += string(doc[ve:le])
			} else {
				s += lineEnd(string(doc[ls:le]))
			}
			out[l] = s
		}
	}
	for _, kv := range d.root {
		mask(nil, kv)
	}
	for _, t := range d.tables {
		for _, kv := range t.kvs {
			mask(t.path, kv)
		}
	}
	return out
}

func lineEnd(l string) string {
	switch {
	case strings.HasSuffix(l, "\r\n"):
		return "\r\n"
	case strings.HasSuffix(l, "\n"):
		return "\n"
	}
	return ""
}
