// Package crashpoint names the moments of a write after which a crash
// leaves a different state on disk, so that tests can stop a child process
// at each one (and log or slow down the others) and check what the next
// run makes of it. Nothing in wso2ks sets Hook: in a real run Reached does
// nothing. It must not hold any logic of the writers it names.
package crashpoint

// The moments, in the order a write passes them.
const (
	// LockHeld: a command holds its target's lock; LockReleasing: it is
	// about to let go of it.
	LockHeld      = "lock-held"
	LockReleasing = "lock-releasing"

	// BundlePartial: the new tree beside the bundle has its first file;
	// BundleStaged: it is complete and flushed.
	BundlePartial = "bundle-partial"
	BundleStaged  = "bundle-staged"
	// BundleExchanged: the new tree and the old bundle swapped places in
	// one rename (Linux); the old tree is still beside it.
	BundleExchanged = "bundle-exchanged"
	// BundleMovedAside and BundleRenamed: the two renames of the fallback
	// where the system cannot exchange: the old bundle moved to .old,
	// then the new tree into its place.
	BundleMovedAside = "bundle-moved-aside"
	BundleRenamed    = "bundle-renamed"

	// BackupWritten: merge wrote the backup of a deployment.toml;
	// FileStaged: the file's new content is complete beside it, not yet
	// renamed over it. BackupStaged: where the file system has no hard
	// links, a backup's copy is complete beside it, not yet renamed to
	// the backup's name.
	BackupWritten = "backup-written"
	FileStaged    = "file-staged"
	BackupStaged  = "backup-staged"

	// The steps of install's journaled transaction. InstallBegun: the
	// journal says what the run is about to make (directories, the
	// --secrets file), nothing is made yet; InstallStaged: every new
	// file and every undo copy is complete beside its target;
	// InstallJournaled: the journal naming them is written and flushed;
	// InstallBackedUp: the backups are linked; InstallRenamed: one staged
	// file was renamed over its target (reached once per file);
	// InstallCommitted: every file is in place and flushed, the journal
	// not yet removed.
	InstallBegun     = "install-begun"
	InstallStaged    = "install-staged"
	InstallJournaled = "install-journaled"
	InstallBackedUp  = "install-backed-up"
	InstallRenamed   = "install-renamed"
	InstallCommitted = "install-committed"

	// The steps of undoing an install. InstallUndoing: the journal says
	// the install is being undone, nothing is undone yet;
	// InstallUnbackedUp: the backups it made are removed; InstallPutBack:
	// one file is as it was before the install (reached once per file,
	// last first); InstallUndone: every file and directory is as it was,
	// the journal not yet removed.
	InstallUndoing    = "install-undoing"
	InstallUnbackedUp = "install-unbacked-up"
	InstallPutBack    = "install-put-back"
	InstallUndone     = "install-undone"
)

// Hook, when set (by a test), is called with each moment reached.
var Hook func(moment string)

// Reached tells Hook that moment was reached.
func Reached(moment string) {
	if Hook != nil {
		Hook(moment)
	}
}
