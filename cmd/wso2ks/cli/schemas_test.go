package cli

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/wso2ks/wso2ks/docs/schemas"
	"github.com/wso2ks/wso2ks/pkg/verify"
)

// TestJSONOutputsMatchSchemas runs every --output json of the CLI on the
// default topology and on examples/multi-product.toml and checks what it
// prints against its schema in docs/schemas, and that no value anywhere
// is null (an empty list prints as []).
func TestJSONOutputsMatchSchemas(t *testing.T) {
	multi, single := "../../../examples/multi-product.toml", "../../../examples/single-node.toml"
	base := t.TempDir()
	one, many := filepath.Join(base, "one"), filepath.Join(base, "many")
	for _, tc := range []struct {
		name   string
		schema []byte
		args   []string
	}{
		{"generate default", schemas.Generate, []string{"generate", "-o", one, "--output", "json"}},
		{"generate multi-product", schemas.Generate, []string{"generate", "-f", multi, "-o", many, "--output", "json"}},
		{"plan default", schemas.Plan, []string{"plan", "--output", "json"}},
		{"plan multi-product", schemas.Plan, []string{"plan", "-f", multi, "--output", "json"}},
		{"plan --against, nothing to change", schemas.PlanAgainst, []string{"plan", "-f", multi, "--against", many, "--output", "json"}},
		{"plan --against, needs --prune", schemas.PlanAgainst, []string{"plan", "-f", single, "--against", many, "--output", "json"}},
		{"verify default", schemas.Verify, []string{"verify", one, "--output", "json"}},
		{"verify multi-product", schemas.Verify, []string{"verify", many, "--output", "json"}},
		{"verify --rules", schemas.VerifyRules, []string{"verify", "--rules", "--output", "json"}},
		{"inspect default", schemas.Inspect, []string{"inspect", one, "--output", "json"}},
		{"inspect multi-product", schemas.Inspect, []string{"inspect", many, "--all", "--output", "json"}},
		{"generate --update, nothing to change", schemas.GenerateUpdate, []string{"generate", "-f", multi, "--update", many, "--output", "json"}},
		{"generate --update --prune", schemas.GenerateUpdate, []string{"generate", "-f", single, "--update", many, "--prune", "--output", "json"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, false, tc.args...)
			if r.code != 0 {
				t.Fatalf("exit %d; stderr %q", r.code, r.stderr)
			}
			if err := verify.ValidateSchema(tc.schema, []byte(r.stdout)); err != nil {
				t.Errorf("does not match its schema: %v\n%s", err, r.stdout)
			}
			var v any
			if err := json.Unmarshal([]byte(r.stdout), &v); err != nil {
				t.Fatal(err)
			}
			if at := findNull(v, "output"); at != "" {
				t.Errorf("%s is null", at)
			}
		})
	}
}

// findNull returns the path of the first null in v, or "".
func findNull(v any, at string) string {
	switch x := v.(type) {
	case nil:
		return at
	case map[string]any:
		for k, e := range x {
			if p := findNull(e, at+"."+k); p != "" {
				return p
			}
		}
	case []any:
		for i, e := range x {
			if p := findNull(e, fmt.Sprintf("%s[%d]", at, i)); p != "" {
				return p
			}
		}
	}
	return ""
}
