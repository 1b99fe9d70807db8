// Package bundle is the on-disk form of what wso2ks generates: the layout
// of a bundle directory and the names in it, manifest.json, secrets.env and
// the first line of a snippet, the atomic write of a whole bundle (and the
// swap with the one it replaces), the recovery of what an interrupted write
// left, and reading a bundle back, its stores opened with their passwords
// through keystore (State).
//
// With infile, lock, deploytoml's writing of a home and the CLI, it is one
// of the few packages that touch the file system. It must not make keys,
// certificates or stores (certs, emit and keystore do), nor decide what a
// command changes in a bundle (lifecycle does): it reads and writes files
// as they are given.
package bundle
