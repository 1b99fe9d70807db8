// Package emit builds a bundle in memory from a plan (Build): every key
// and certificate the plan asks for (through certs), the stores holding
// them (through keystore), each product's deployment.toml snippet, in vault
// mode the secure vault's files, the passwords and encryption keys of
// secrets.env, and manifest.json. What it keeps of an existing bundle or
// home is given to it (Reuse).
//
// It must not touch the file system (bundle writes what it builds) nor
// decide what an update keeps or changes (lifecycle does, and hands it a
// Reuse). The clock and the random source of passwords, salts and serials
// are the caller's (BuildOptions); keys come from certs.
package emit
