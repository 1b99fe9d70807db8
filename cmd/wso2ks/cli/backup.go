package cli

import (
	"errors"
	"io/fs"
	"os"
	"strconv"
)

// How merge and install keep the file they replace: the old bytes are
// staged beside it (stageFile) and then given the backup's name by a hard
// link, which never replaces a file, so that a crash leaves a complete
// backup or none, never part of one. A staged copy a crash leaves is
// removed by the next run (removeStaged).

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

// freeBackupName is the first backup name of name that does not exist.
func freeBackupName(name string) (string, error) {
	for i := 0; ; i++ {
		b := backupName(name, i)
		if _, err := os.Lstat(b); errors.Is(err, fs.ErrNotExist) {
			return b, nil
		} else if err != nil {
			return "", err
		}
	}
}

// writeBackup writes data to the first free backup name of name, with
// mode and like's owner, never replacing an existing file.
func writeBackup(name string, data []byte, mode fs.FileMode, like fs.FileInfo) (string, error) {
	tmp, err := stageFile(name, data, mode, like)
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp)
	for i := 0; ; i++ {
		backup := backupName(name, i)
		err := linkOrCopy(tmp, backup, like)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", err
		}
		syncParent(backup)
		return backup, nil
	}
}

// linkOrCopy gives the complete file src a second name, dst, failing with
// fs.ErrExist when dst exists. Where the file system has no hard links, it
// copies src to a new file dst (a crash may then leave part of it).
func linkOrCopy(src, dst string, like fs.FileInfo) error {
	err := os.Link(src, dst)
	if err == nil || errors.Is(err, fs.ErrExist) {
		return err
	}
	st, data, rerr := readNoFollow(src)
	if rerr != nil {
		return err
	}
	fh, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, st.Mode().Perm())
	if err != nil {
		return err
	}
	err = fillFile(fh, data, st.Mode().Perm(), like)
	if cerr := fh.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(dst)
	}
	return err
}
