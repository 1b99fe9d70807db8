// Package infile reads the files a user names to wso2ks — topologies, PEM
// certificates and keys, password files, deployment.toml, secure vault
// properties, key stores and the files of a bundle — and nothing else: it
// refuses what is not a regular file (a FIFO, a device, a directory) and
// caps each kind of file at a size far above any real one, so that neither
// /dev/zero nor a pipe nor a mistyped path to a disk image can exhaust
// memory or hang a run.
//
// A refusal is an *Error matching ErrRefused, which callers report as the
// user's mistake (exit 2). It must not write, and it knows nothing about
// what the bytes mean, but for the one rule every reader of a password file
// shares (FirstLine): parsing stays with the package that owns the format.
package infile
