// Package docs carries the documents the binary prints as help topics, so
// that the text of 'wso2ks help topology' is this directory's topology.md
// and cannot drift from it. It holds bytes only: rendering them for a
// terminal is the CLI's work. It imports nothing of the module.
package docs

import _ "embed"

// Topology is topology.md: every key of a topology file, which setting
// wins, and the limits on what wso2ks reads.
//
//go:embed topology.md
var Topology string
