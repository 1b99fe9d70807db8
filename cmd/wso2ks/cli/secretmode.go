package cli

import (
	"fmt"
	"io/fs"

	"github.com/wso2ks/wso2ks/pkg/emit"
)

// A deployment.toml that merge or install leaves holding a password in the
// clear (emit.HoldsPlainPassword: plain mode's snippet, or the pack's own
// wso2carbon defaults in its keystore tables) is for its owner only, and so
// is the backup of it: both are written 0600, whatever mode the file had.

// secretModes returns the modes to write a rewritten deployment.toml and
// its backup with: the file's own mode, or emit.FileMode for the merged
// file when it holds a plain password and for the backup when either does.
// A mode within 0600 already (0600, 0400) is kept.
func secretModes(old, merged []byte, mode fs.FileMode) (file, backup fs.FileMode) {
	file, backup = mode, mode
	tight := mode
	if mode&^emit.FileMode != 0 {
		tight = emit.FileMode
	}
	plain := emit.HoldsPlainPassword(merged)
	if plain {
		file = tight
	}
	if plain || emit.HoldsPlainPassword(old) {
		backup = tight
	}
	return file, backup
}

// modeNotes say that name (was, now file) or its backup was written
// tighter than name was.
func modeNotes(name string, was, file, backup fs.FileMode) []string {
	switch {
	case file != was:
		return []string{fmt.Sprintf("chmod %o %s and its backup: they hold passwords (the file was %04o)", uint32(file), name, uint32(was))}
	case backup != was:
		return []string{fmt.Sprintf("chmod %o the backup of %s: it holds passwords (the file is %04o)", uint32(backup), name, uint32(was))}
	}
	return nil
}
