package inspect

import _ "embed"

// Schema is the JSON Schema of a Report as --output json prints it.
//
//go:embed schema.json
var Schema []byte
