// Package deploytoml is a WSO2 home's deployment.toml and what install
// writes beside it: the comment-preserving merge of a snippet's tables into
// a deployment.toml (MergeTables, MergeDiff), the keys elsewhere in it that
// keep a listener on another store than [keystore.tls] (TLSOverrides), the
// passwords it holds in the clear (HoldsPlainPassword), the layout of a home
// (LayoutOf, CheckHome), and the files install puts into one: a product's
// stores from a bundle (ProductFiles, OpenProductStores), its truststore
// merged with the home's (MergeTrust) and the install record.
//
// It works on bytes the CLI reads and writes under its locks: apart from
// SameOwner, which gives an open file the owner of the file it replaces, it
// must not touch the file system, and it reads a bundle's stores only
// through bundle and keystore. It knows nothing of how a bundle is made or
// changed (emit, lifecycle).
package deploytoml
