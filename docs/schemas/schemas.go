// Package schemas holds the JSON Schema of every --output json of wso2ks,
// one file per output (README.md lists them), so that tests validate what
// each command prints against the schema the documentation shows. It
// imports nothing and holds no logic: pkg/verify's ValidateSchema checks a
// document against one of them.
package schemas

import _ "embed"

// The schemas, one per output.
var (
	// Plan is 'plan --output json'.
	//go:embed plan.json
	Plan []byte
	// PlanAgainst is 'plan --against DIR --output json'.
	//go:embed plan-against.json
	PlanAgainst []byte
	// Generate is 'generate --output json'.
	//go:embed generate.json
	Generate []byte
	// GenerateUpdate is 'generate --update DIR --output json'.
	//go:embed generate-update.json
	GenerateUpdate []byte
	// Verify is 'verify --output json', with or without --connect.
	//go:embed verify.json
	Verify []byte
	// VerifyRules is 'verify --rules --output json'.
	//go:embed verify-rules.json
	VerifyRules []byte
	// Inspect is 'inspect --output json'.
	//go:embed inspect.json
	Inspect []byte
	// Version is 'version --output json'.
	//go:embed version.json
	Version []byte
)
