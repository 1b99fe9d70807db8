package docs

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/pelletier/go-toml/v2"
	"github.com/wso2ks/wso2ks/pkg/gen"
)

// TestTopologyListsEveryKey keeps topology.md (which 'wso2ks help topology'
// prints) and the decoder in step: its TOML block decodes strictly into
// gen.Topology, so it names no key wso2ks refuses, and it names every key
// gen.Topology has, so a new key cannot go undocumented.
func TestTopologyListsEveryKey(t *testing.T) {
	block := topologyBlock(t, Topology)
	dec := toml.NewDecoder(strings.NewReader(block))
	dec.DisallowUnknownFields()
	var top gen.Topology
	if err := dec.Decode(&top); err != nil {
		var strict *toml.StrictMissingError
		if errors.As(err, &strict) {
			t.Fatalf("topology.md's TOML block names keys a topology does not have:\n%s", strict.String())
		}
		t.Fatalf("topology.md's TOML block does not decode as a topology: %v", err)
	}
	var doc map[string]any
	if err := toml.Unmarshal([]byte(block), &doc); err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	docKeys(doc, documented)
	for _, key := range topologyKeys(reflect.TypeFor[gen.Topology](), nil) {
		if !documented[key] {
			t.Errorf("topology.md does not show the key %q of gen.Topology: add it to the TOML block with what it takes", key)
		}
	}
}

// topologyBlock is the first ```toml block of doc.
func topologyBlock(t *testing.T, doc string) string {
	t.Helper()
	_, rest, ok := strings.Cut(doc, "```toml\n")
	block, _, closed := strings.Cut(rest, "\n```")
	if !ok || !closed {
		t.Fatal("topology.md has no ```toml block")
	}
	return block
}

// topologyKeys lists the TOML key of every field of typ and of the tables
// below it; an embedded struct's keys are its parent's.
func topologyKeys(typ reflect.Type, keys []string) []string {
	for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice || typ.Kind() == reflect.Map {
		typ = typ.Elem()
	}
	if typ.Kind() != reflect.Struct {
		return keys
	}
	for f := range typ.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("toml"), ",")
		if name != "" && !slices.Contains(keys, name) {
			keys = append(keys, name)
		}
		keys = topologyKeys(f.Type, keys)
	}
	return keys
}

// docKeys adds every key of v and of the tables and arrays of tables below
// it to seen.
func docKeys(v any, seen map[string]bool) {
	switch v := v.(type) {
	case map[string]any:
		for k, sub := range v {
			seen[k] = true
			docKeys(sub, seen)
		}
	case []any:
		for _, sub := range v {
			docKeys(sub, seen)
		}
	}
}
