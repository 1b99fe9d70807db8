package cli

import (
	"fmt"
	"io/fs"
	"path/filepath"

	"github.com/wso2ks/wso2ks/internal/crashpoint"
	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/deploytoml"
	"github.com/wso2ks/wso2ks/pkg/gen"
)

// How merge and install rewrite a deployment.toml: a backup of the old
// bytes first, then the new ones swapped in atomically (replaceFile,
// writeBackup), with modes that keep passwords to the owner.

// A deployment.toml that merge or install leaves holding a password in the
// clear (deploytoml.HoldsPlainPassword: plain mode's snippet, or the pack's own
// wso2carbon defaults in its keystore tables) is for its owner only, and so
// is the backup of it: both are written 0600, whatever mode the file had.

// secretModes returns the modes to write a rewritten deployment.toml and
// its backup with: the file's own mode, or bundle.FileMode for the merged
// file when it holds a plain password and for the backup when either does.
// A mode within 0600 already (0600, 0400) is kept.
func secretModes(old, merged []byte, mode fs.FileMode) (file, backup fs.FileMode) {
	file, backup = mode, mode
	tight := mode
	if mode&^bundle.FileMode != 0 {
		tight = bundle.FileMode
	}
	plain := deploytoml.HoldsPlainPassword(merged)
	if plain {
		file = tight
	}
	if plain || deploytoml.HoldsPlainPassword(old) {
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

// replaceWithBackup keeps old beside name, in tr (the tree of name's
// directory), as a new backup file, then replaces name with data
// atomically, keeping its owner (the file's own, Lstat) and mode unless a
// plain password makes both 0600 (secretModes; notes say so). A symbolic
// link (links.go), a read-only file or directory is refused before
// anything is written (root could write them anyway). On failure nothing
// is left behind.
func replaceWithBackup(tr *tree, name string, old, data []byte) (backup string, notes []string, err error) {
	if err := refuseFileLinks(name, "%s"); err != nil {
		return "", nil, err
	}
	st, err := tr.lstat(name)
	if err == nil && st.Mode()&fs.ModeSymlink != 0 {
		// A link that appeared since the check.
		err = refuseLink(name, "%s", "file")
		if err != nil {
			return "", nil, err
		}
		err = &fs.PathError{Op: "lstat", Path: name, Err: fs.ErrInvalid}
	}
	if err != nil {
		return "", nil, fmt.Errorf("merge into %s: %w", name, err)
	}
	if st.Mode().Perm()&0o200 == 0 {
		return "", nil, &gen.InputError{File: name, Msg: "the file is read-only; make it writable (chmod u+w) and merge again, or merge into a copy"}
	}
	dir := filepath.Dir(name)
	if dst, err := tr.stat(dir); err == nil && dst.Mode().Perm()&0o200 == 0 {
		return "", nil, &gen.InputError{File: name, Msg: "its directory " + dir + " is read-only; make it writable and merge again, or merge into a copy"}
	}
	mode, backupMode := secretModes(old, data, st.Mode().Perm())
	backup, err = writeBackup(tr, name, old, backupMode, st)
	if err != nil {
		return "", nil, fmt.Errorf("back up %s: %w", name, err)
	}
	crashpoint.Reached(crashpoint.BackupWritten)
	if err := replaceFile(tr, name, data, mode, st); err != nil {
		tr.remove(backup)
		return "", nil, fmt.Errorf("merge into %s: %w", name, err)
	}
	return backup, modeNotes(name, st.Mode().Perm(), mode, backupMode), nil
}
