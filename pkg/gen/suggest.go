package gen

import (
	"reflect"
	"strings"
)

// Closest is the candidate a mistyped name most likely meant, for a "did
// you mean" hint: the nearest by edit distance, if at most two edits away
// (or a third of the name, for long names), or one that starts with name (of three letters or more);
// "" when none is close.
func Closest(name string, candidates []string) string {
	best, bestD := "", 0
	limit := max(2, len(name)/3)
	for _, c := range candidates {
		d := editDistance(strings.ToLower(name), strings.ToLower(c))
		if d > limit && !(len(name) >= 3 && strings.HasPrefix(c, name)) {
			continue
		}
		if best == "" || d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, in bytes
// (names here are ASCII).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// keysAt are the topology keys valid beside the last element of path (the
// key path go-toml reports for an unknown key), read from the Topology
// struct's toml tags; nil when path leads nowhere known.
func keysAt(path []string) []string {
	t := reflect.TypeOf(Topology{})
	for i := 0; i < len(path)-1; i++ {
		t = tableType(t)
		switch t.Kind() {
		case reflect.Map: // [environment.NAME]: the name is any
			t = t.Elem()
			continue
		case reflect.Struct:
		default:
			return nil
		}
		f, ok := fieldByTag(t, path[i])
		if !ok {
			return nil
		}
		t = f.Type
	}
	t = tableType(t)
	if t.Kind() != reflect.Struct {
		return nil
	}
	var keys []string
	for i := 0; i < t.NumField(); i++ {
		if tag, _, _ := strings.Cut(t.Field(i).Tag.Get("toml"), ","); tag != "" && tag != "-" {
			keys = append(keys, tag)
		}
	}
	return keys
}

// tableType is the struct or map a field of type t holds one or many of.
func tableType(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	return t
}

func fieldByTag(t reflect.Type, key string) (reflect.StructField, bool) {
	for i := 0; i < t.NumField(); i++ {
		if tag, _, _ := strings.Cut(t.Field(i).Tag.Get("toml"), ","); tag == key {
			return t.Field(i), true
		}
	}
	return reflect.StructField{}, false
}
