//go:build unix

package lock

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestRefusedLockFiles(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "victim"), []byte("keep"), 0o644)
	os.Symlink("victim", filepath.Join(dir, ".link"+Suffix))
	if _, err := Acquire(filepath.Join(dir, "link"), Options{}); err == nil {
		t.Error("a symbolic link as lock file was followed")
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "victim")); string(got) != "keep" {
		t.Errorf("the link's target was written: %q", got)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, ".fifo"+Suffix), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Acquire(filepath.Join(dir, "fifo"), Options{})
	if want := filepath.Join(dir, ".fifo"+Suffix) + ": is not a regular file; remove it"; err == nil || !strings.HasSuffix(err.Error(), want) {
		t.Errorf("FIFO: %v, want …%s", err, want)
	}
	os.WriteFile(filepath.Join(dir, "file"), nil, 0o644)
	if _, err := Acquire(filepath.Join(dir, "file", "b"), Options{}); !errors.Is(err, syscall.ENOTDIR) {
		t.Errorf("a file as directory: %v", err)
	}
}

// A directory that exists but in which no file can be created — procfs
// answers "no such file" to every create — is an error at once, not a
// race with a releasing holder to retry until the wait runs out (it spun
// forever before).
func TestDirectoryRefusingCreate(t *testing.T) {
	if _, err := os.Stat("/proc/self"); err != nil {
		t.Skip("no procfs here:", err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := Acquire("/proc/self/keystores", Options{Wait: time.Hour})
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Acquire in /proc/self: %v, want no such file", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Acquire in /proc/self still spinning after 10 s")
	}
}
