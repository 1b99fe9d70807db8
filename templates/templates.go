// Package templates holds the deployment.toml snippet templates, one per
// product family, embedded in the binary.
package templates

import "embed"

// FS holds the *.toml.tmpl files.
//
//go:embed *.toml.tmpl
var FS embed.FS
