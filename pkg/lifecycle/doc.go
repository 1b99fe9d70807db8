// Package lifecycle changes a bundle that exists: 'generate --update' and
// 'plan --against' (ReadPrior, Reconcile, Update, Losses), 'generate
// --force' keeping the internal CA (ReadPriorCAs), install building around
// a home's keys (HomePrior), and renew, rotate, csr and import-cert, which
// change a bundle's stores in place. Reconcile decides, once, what an
// update keeps; emit builds what it decides (emit.Reuse).
//
// It reads bundles and CA files only through bundle, and returns what is
// to be written for the caller to write with bundle: it must not touch the
// file system itself. It makes no store encoding of its own (keystore) and
// no bundle from a plan (emit).
package lifecycle
