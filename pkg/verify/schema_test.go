package verify

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/wso2ks/wso2ks/docs/schemas"
)

func loadSchema(t *testing.T) map[string]any {
	t.Helper()
	var s map[string]any
	if err := json.Unmarshal(schemas.Verify, &s); err != nil {
		t.Fatalf("docs/schemas/verify.json: %v", err)
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
		t.Errorf("docs/schemas/verify.json rule enum %v, want the rule table's %v", enum, ids)
	}
	fx := goodIS()
	fx.trustTLS = false
	fx.tls.notAfter = testNow.AddDate(0, 0, 3)
	for name, dir := range map[string]string{"good": goodIS().build(t).write(t), "broken": fx.build(t).write(t),
		"vault without its password": vaultHome(t, nil).write(t)} {
		r := audit(t, Options{}, dir)
		if name == "vault without its password" && r.Summary.Skip != 1 {
			t.Fatalf("%s: summary %+v, want one SKIP", name, r.Summary)
		}
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
		`{"findings": [], "summary": {"pass": 0, "warn": 0}, "products": []}`,
		`{"findings": [], "summary": {"pass": 0, "warn": 0, "fail": 0}, "products": []}`,
		`{"findings": [{"rule": "nope", "severity": "PASS", "target": "", "product": "", "message": ""}], "summary": {"pass": 0, "warn": 0, "fail": 0, "skip": 0}, "products": []}`,
		`{"findings": [], "summary": {"pass": 0, "warn": 0, "fail": 0, "skip": 0}, "products": [], "password": "x"}`,
		`{"findings": [{"rule": "store-opens", "severity": "PASS", "target": "", "product": "", "store": "wssec-x", "message": ""}], "summary": {"pass": 0, "warn": 0, "fail": 0, "skip": 0}, "products": []}`,
		`{"findings": [], "summary": {"pass": 0, "warn": 0, "fail": 0, "skip": 0}}`,
		`{"findings": [], "summary": {"pass": 0, "warn": 0, "fail": 0, "skip": 0}, "products": [{"product": "x", "pass": 0, "warn": 0, "fail": 0}]}`,
		`{"findings": [{"rule": "store-opens", "severity": "MAYBE", "target": "", "product": "", "message": ""}], "summary": {"pass": 0, "warn": 0, "fail": 0, "skip": 0}, "products": []}`,
	} {
		var v any
		json.Unmarshal([]byte(bad), &v)
		if checkSchema(schema, schema, v, "report") == nil {
			t.Errorf("accepted %s", bad)
		}
	}
}
