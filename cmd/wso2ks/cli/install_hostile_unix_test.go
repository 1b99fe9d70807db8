//go:build unix

package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A home's owner may plant things where install looks before it writes:
// none of them makes root's install hang or write outside the home.
func TestInstallHostileHome(t *testing.T) {
	dir := t.TempDir()
	bundle := filepath.Join(dir, "ks")
	if r := run(t, false, "generate", "-o", bundle); r.code != 0 {
		t.Fatalf("%+v", r)
	}

	t.Run("FIFO as the journal", func(t *testing.T) {
		home := fakeHome(t, dir, "wso2is-7.1.0", "wso2is")
		journal := filepath.Join(home, ".wso2ks-install.journal")
		mkfifo(t, journal)
		done := make(chan result, 1)
		go func() { done <- run(t, false, "install", "--bundle", bundle, "--home", home) }()
		select {
		case r := <-done:
			if want := journal + ": is not a regular file; remove it\n"; r.code != 2 || r.stderr != want {
				t.Errorf("exit %d, stderr %q, want %q", r.code, r.stderr, want)
			}
		case <-time.After(30 * time.Second):
			t.Fatal("install still waiting on a FIFO journal after 30 s")
		}
	})

	t.Run("conf a link when install starts", func(t *testing.T) {
		parent := filepath.Join(dir, "linked")
		os.MkdirAll(parent, 0o755)
		home := fakeHome(t, parent, "wso2is-7.1.0", "wso2is")
		outside := filepath.Join(dir, "outside-conf")
		if err := os.Rename(filepath.Join(home, "repository/conf"), outside); err != nil {
			t.Fatal(err)
		}
		mustLink(t, outside, filepath.Join(home, "repository/conf"))
		before := snapshot(t, outside)
		st, _ := os.Stat(outside)
		time.Sleep(10 * time.Millisecond) // a change would move the directory's mtime
		r := run(t, false, "install", "--bundle", bundle, "--home", home)
		if r.code != 2 || !strings.HasPrefix(r.stderr, filepath.Join(home, "repository/conf")+": is a symbolic link to "+outside) {
			t.Errorf("exit %d, stderr %q", r.code, r.stderr)
		}
		// Not even a lock file, for a moment: the directory is as it was.
		if got := snapshot(t, outside); got != before {
			t.Errorf("the link's target changed:\n%s\nwant\n%s", got, before)
		}
		if now, _ := os.Stat(outside); !now.ModTime().Equal(st.ModTime()) {
			t.Errorf("a file was made and removed in the link's target (mtime %v, was %v)", now.ModTime(), st.ModTime())
		}
	})
}
