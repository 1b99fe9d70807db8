package verify

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
)

// checkSchema validates v against the subset of JSON Schema that schema.json uses: type
// (object, array, string, integer), properties, required, additionalProperties false, items,
// enum, minimum and local $ref.
func checkSchema(root, s map[string]any, v any, at string) error {
	if ref, ok := s["$ref"].(string); ok {
		name, ok := strings.CutPrefix(ref, "#/$defs/")
		def, found := root["$defs"].(map[string]any)[name].(map[string]any)
		if !ok || !found {
			return fmt.Errorf("%s: unknown $ref %q", at, ref)
		}
		return checkSchema(root, def, v, at)
	}
	for key := range s {
		if !slices.Contains([]string{"$schema", "$id", "$defs", "title", "description", "type", "required",
			"additionalProperties", "properties", "items", "enum", "minimum"}, key) {
			return fmt.Errorf("%s: the checker does not know keyword %q", at, key)
		}
	}
	if enum, ok := s["enum"].([]any); ok && !slices.Contains(enum, v) {
		return fmt.Errorf("%s: %v is not one of %v", at, v, enum)
	}
	switch s["type"] {
	case "object":
		obj, ok := v.(map[string]any)
		if !ok {
			return fmt.Errorf("%s: want an object", at)
		}
		props, _ := s["properties"].(map[string]any)
		for _, r := range s["required"].([]any) {
			if _, ok := obj[r.(string)]; !ok {
				return fmt.Errorf("%s: %q is required", at, r)
			}
		}
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			ps, ok := props[k].(map[string]any)
			if !ok {
				if s["additionalProperties"] == false {
					return fmt.Errorf("%s: %q is not allowed", at, k)
				}
				continue
			}
			if err := checkSchema(root, ps, obj[k], at+"."+k); err != nil {
				return err
			}
		}
	case "array":
		arr, ok := v.([]any)
		if !ok {
			return fmt.Errorf("%s: want an array", at)
		}
		items, _ := s["items"].(map[string]any)
		for i, e := range arr {
			if err := checkSchema(root, items, e, fmt.Sprintf("%s[%d]", at, i)); err != nil {
				return err
			}
		}
	case "string":
		if _, ok := v.(string); !ok {
			return fmt.Errorf("%s: want a string", at)
		}
	case "integer":
		n, ok := v.(float64)
		if !ok || n != float64(int64(n)) {
			return fmt.Errorf("%s: want an integer", at)
		}
		if m, ok := s["minimum"].(float64); ok && n < m {
			return fmt.Errorf("%s: %v is below %v", at, n, m)
		}
	case nil:
	default:
		return fmt.Errorf("%s: the checker does not know type %v", at, s["type"])
	}
	return nil
}

func loadSchema(t *testing.T) map[string]any {
	t.Helper()
	data, err := os.ReadFile("schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var s map[string]any
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatalf("schema.json: %v", err)
	}
	return s
}

func TestReportMatchesSchema(t *testing.T) {
	schema := loadSchema(t)
	// The schema's rule enum is the rule table.
	var ids []any
	for _, r := range Rules {
		ids = append(ids, r.ID)
	}
	enum := schema["$defs"].(map[string]any)["finding"].(map[string]any)["properties"].(map[string]any)["rule"].(map[string]any)["enum"]
	if !slices.Equal(enum.([]any), ids) {
		t.Errorf("schema.json rule enum %v, want the rule table's %v", enum, ids)
	}
	fx := goodIS()
	fx.trustTLS = false
	fx.tls.notAfter = testNow.AddDate(0, 0, 3)
	for name, dir := range map[string]string{"good": goodIS().build(t).write(t), "broken": fx.build(t).write(t)} {
		r := audit(t, Options{}, dir)
		data, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		var v any
		json.Unmarshal(data, &v)
		if err := checkSchema(schema, schema, v, "report"); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	// The checker does reject what the schema forbids.
	for _, bad := range []string{
		`{"findings": [], "summary": {"pass": 0, "warn": 0}}`,
		`{"findings": [{"rule": "nope", "severity": "PASS", "target": "", "product": "", "message": ""}], "summary": {"pass": 0, "warn": 0, "fail": 0}}`,
		`{"findings": [], "summary": {"pass": 0, "warn": 0, "fail": 0}, "password": "x"}`,
	} {
		var v any
		json.Unmarshal([]byte(bad), &v)
		if checkSchema(schema, schema, v, "report") == nil {
			t.Errorf("accepted %s", bad)
		}
	}
}
