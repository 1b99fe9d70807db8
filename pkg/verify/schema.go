package verify

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// ValidateSchema checks a JSON document against a JSON Schema of docs/schemas (the schema of
// a --output json). It knows the subset of JSON Schema those use, and says so when a schema
// uses more; a null where the schema wants a list, an object or a string is an error.
func ValidateSchema(schemaJSON, data []byte) error {
	var schema map[string]any
	if err := json.Unmarshal(schemaJSON, &schema); err != nil {
		return fmt.Errorf("schema: %w", err)
	}
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	return checkSchema(schema, schema, v, "output")
}

// checkSchema validates v against the subset of JSON Schema that docs/schemas uses: type
// (object, array, string, integer, boolean), properties, required, additionalProperties false, items,
// enum, minimum, pattern and local $ref.
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
			"additionalProperties", "properties", "items", "enum", "minimum", "pattern"}, key) {
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
		required, _ := s["required"].([]any)
		for _, r := range required {
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
		str, ok := v.(string)
		if !ok {
			return fmt.Errorf("%s: want a string", at)
		}
		if p, ok := s["pattern"].(string); ok {
			re, err := regexp.Compile(p)
			if err != nil {
				return fmt.Errorf("%s: bad pattern %q: %v", at, p, err)
			}
			if !re.MatchString(str) {
				return fmt.Errorf("%s: %q does not match %s", at, str, p)
			}
		}
	case "integer":
		n, ok := v.(float64)
		if !ok || n != float64(int64(n)) {
			return fmt.Errorf("%s: want an integer", at)
		}
		if m, ok := s["minimum"].(float64); ok && n < m {
			return fmt.Errorf("%s: %v is below %v", at, n, m)
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			return fmt.Errorf("%s: want true or false", at)
		}
	case nil:
	default:
		return fmt.Errorf("%s: the checker does not know type %v", at, s["type"])
	}
	return nil
}
