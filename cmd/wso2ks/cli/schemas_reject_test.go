package cli

import (
	"testing"

	"github.com/wso2ks/wso2ks/docs/schemas"
	"github.com/wso2ks/wso2ks/pkg/verify"
)

// TestSchemasReject: each schema of docs/schemas accepts a small valid
// document and refuses it with a required field missing, a field of the
// wrong type, and a null list, with the checker's exact message.
func TestSchemasReject(t *testing.T) {
	for _, tc := range []struct {
		name   string
		schema []byte
		doc    string
		want   string
	}{
		{"plan", schemas.Plan, `{"topology": "t", "environments": [{"name": "dev", "products": []}]}`, ""},
		{"plan without environments", schemas.Plan, `{"topology": "t"}`, `output: "environments" is required`},
		{"plan with a number for a name", schemas.Plan, `{"topology": "t", "environments": [{"name": 1, "products": []}]}`, `output.environments[0].name: want a string`},
		{"plan with null instances", schemas.Plan, `{"topology": "t", "environments": [{"name": "dev", "products": [{"name": "is", "kind": "wso2is", "version": "7.1.0", "hostnames": ["h"], "instances": null, "dir": "dev/is", "format": "JKS", "password_mode": "plain", "stores": []}]}]}`, `output.environments[0].products[0].instances: want an array`},
		{"plan --against", schemas.PlanAgainst, `{"topology": "t", "against": "ks", "changes": [{"env": "dev", "product": "is", "role": "tls", "path": "p", "action": "keep"}]}`, ""},
		{"plan --against without against", schemas.PlanAgainst, `{"topology": "t", "changes": []}`, `output: "against" is required`},
		{"plan --against with null changes", schemas.PlanAgainst, `{"topology": "t", "against": "ks", "changes": null}`, `output.changes: want an array`},
		{"generate", schemas.Generate, `{"dir": "ks", "stores": [{"env": "dev", "role": "tls", "path": "p", "type": "JKS", "sha256": "` + sha + `"}]}`, ""},
		{"generate without stores", schemas.Generate, `{"dir": "ks"}`, `output: "stores" is required`},
		{"generate with a short sha256", schemas.Generate, `{"dir": "ks", "stores": [{"env": "dev", "role": "tls", "path": "p", "type": "JKS", "sha256": "ab"}]}`, `output.stores[0].sha256: "ab" does not match ^[0-9a-f]{64}$`},
		{"generate --update", schemas.GenerateUpdate, `{"dir": "ks", "written": true, "changes": [], "pruned": [{"kind": "environment", "path": "prod"}]}`, ""},
		{"generate --update without written", schemas.GenerateUpdate, `{"dir": "ks", "changes": []}`, `output: "written" is required`},
		{"generate --update with a string for written", schemas.GenerateUpdate, `{"dir": "ks", "written": "yes", "changes": []}`, `output.written: want true or false`},
		{"verify", schemas.Verify, `{"findings": [], "summary": {"pass": 0, "warn": 0, "fail": 0, "skip": 0}, "products": []}`, ""},
		{"verify without products", schemas.Verify, `{"findings": [], "summary": {"pass": 0, "warn": 0, "fail": 0, "skip": 0}}`, `output: "products" is required`},
		{"verify with a string count", schemas.Verify, `{"findings": [], "summary": {"pass": "0", "warn": 0, "fail": 0, "skip": 0}, "products": []}`, `output.summary.pass: want an integer`},
		{"verify --rules", schemas.VerifyRules, `[{"id": "store-opens", "explain": "e", "fix": "f"}]`, ""},
		{"verify --rules without fix", schemas.VerifyRules, `[{"id": "store-opens", "explain": "e"}]`, `output[0]: "fix" is required`},
		{"verify --rules as an object", schemas.VerifyRules, `{"id": "store-opens", "explain": "e", "fix": "f"}`, `output: want an array`},
		{"inspect", schemas.Inspect, `{"now": "2026-11-27T09:00:00Z", "stores": [], "summary": {"stores": 0, "entries": 0, "expiring": 0, "expired": 0}}`, ""},
		{"inspect without summary", schemas.Inspect, `{"now": "2026-11-27T09:00:00Z", "stores": []}`, `output: "summary" is required`},
		{"inspect with null stores", schemas.Inspect, `{"now": "2026-11-27T09:00:00Z", "stores": null, "summary": {"stores": 0, "entries": 0, "expiring": 0, "expired": 0}}`, `output.stores: want an array`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := verify.ValidateSchema(tc.schema, []byte(tc.doc))
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// sha is a well-formed SHA-256 fingerprint.
const sha = "48d4e56477ea51f18857e025639ee797c63ecf3b9c6c46301138b8c174d2b21d"
