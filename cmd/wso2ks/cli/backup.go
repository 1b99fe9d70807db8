package cli

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"github.com/wso2ks/wso2ks/internal/crashpoint"
)

// How merge and install keep the file they replace: the old bytes are
// staged beside it (stageFile) and then given the backup's name by a hard
// link, which never replaces a file, so that a crash leaves a complete
// backup or none, never part of one. Where the file system has no hard
// links, a second staged copy, flushed, is renamed to the backup's name
// instead: whole or absent all the same. A staged copy a crash leaves is
// removed by the next run (removeStaged, recoverHome).

// BackupSuffix names the copy merge keeps of the file it replaces:
// deployment.toml.wso2ks-backup, then .wso2ks-backup.1, .2, … so an older
// backup is never overwritten.
const BackupSuffix = ".wso2ks-backup"

// backupName is the i-th backup name of name: name+BackupSuffix, then
// name+BackupSuffix+".1", ….
func backupName(name string, i int) string {
	if i == 0 {
		return name + BackupSuffix
	}
	return name + BackupSuffix + "." + strconv.Itoa(i)
}

// freeBackupName is the first backup name of name, in tr, that does not
// exist.
func freeBackupName(tr *tree, name string) (string, error) {
	for i := 0; ; i++ {
		b := backupName(name, i)
		if ok, err := tr.present(b); err != nil {
			return "", err
		} else if !ok {
			return b, nil
		}
	}
}

// writeBackup writes data to the first free backup name of name, in tr,
// with mode and like's owner, never replacing an existing file. Its
// errors name no staged copy: the caller names name.
func writeBackup(tr *tree, name string, data []byte, mode fs.FileMode, like fs.FileInfo) (string, error) {
	tmp, err := stageFile(tr, name, data, mode, like)
	if err != nil {
		return "", bare(err)
	}
	defer tr.remove(tmp)
	for i := 0; ; i++ {
		backup := backupName(name, i)
		err := linkOrCopy(tr, tmp, backup)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", bare(err)
		}
		tr.syncParent(backup)
		return backup, nil
	}
}

// linkOrCopy gives src, a complete staged copy of a file
// (.<name>.wso2ks-<digits>) in tr, a second name, dst, failing with
// fs.ErrExist when dst exists. Where link(2) fails otherwise (EPERM,
// ENOTSUP, EXDEV: FUSE, SMB and vfat mounts), it copies src to another
// staged copy of the same file, with src's mode and owner, flushes it and
// renames it to dst.
func linkOrCopy(tr *tree, src, dst string) error {
	err := tr.link(src, dst)
	if err == nil || errors.Is(err, fs.ErrExist) {
		return err
	}
	var le *os.LinkError
	m := stagedRE.FindStringSubmatch(filepath.Base(src))
	if m == nil || !errors.As(err, &le) {
		return err // not link(2)'s own failure: a symbolic link on the way
	}
	st, data, rerr := readNoFollow(tr, src)
	if rerr != nil {
		return err
	}
	tmp, err := stageFile(tr, filepath.Join(filepath.Dir(src), m[1]), data, st.Mode().Perm(), st)
	if err != nil {
		return err
	}
	crashpoint.Reached(crashpoint.BackupStaged)
	// rename(2) replaces a file, so dst is looked for first. The caller
	// holds the lock of the file it keeps, so no wso2ks run makes dst
	// meanwhile.
	if ok, err := tr.present(dst); err != nil || ok {
		tr.remove(tmp)
		if err == nil {
			err = &fs.PathError{Op: "link", Path: dst, Err: fs.ErrExist}
		}
		return err
	}
	if err := tr.rename(tmp, dst); err != nil {
		tr.remove(tmp)
		return err
	}
	return nil
}
