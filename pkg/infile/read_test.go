//go:build linux

package infile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

var small = Kind{"a test file", 100}

func TestRead(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, n int) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(strings.Repeat("x", n)), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	atCap, overCap, empty := write("at-cap", 100), write("over-cap", 101), write("empty", 0)
	big := filepath.Join(dir, "big")
	if err := os.WriteFile(big, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(big, 5<<30); err != nil { // sparse: no disk used
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(atCap, link); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path string
		k          Kind
		want       string // the error; "" reads len bytes
		len        int
	}{
		{"at the cap", atCap, small, "", 100},
		{"empty", empty, small, "", 0},
		{"a link to a file", link, small, "", 100},
		{"one byte over", overCap, small, overCap + " is 101 bytes; a test file is at most 100 bytes", 0},
		{"sparse 5 GiB", big, Certificates, big + " is 5 GiB; a PEM certificate file is at most 1 MiB", 0},
		{"a FIFO", fifo, Topology, fifo + " is a named pipe (FIFO), not a regular file; give a topology file", 0},
		{"/dev/zero", "/dev/zero", Password, "/dev/zero is a character device, not a regular file; give a password file", 0},
		{"a directory", dir, PrivateKey, dir + " is a directory, not a regular file; give a PEM private key file", 0},
		// /proc reports a size of 0 and holds more: the read itself stops.
		{"a file larger than its size", "/proc/self/status", small, "/proc/self/status is more than 100 bytes; a test file is at most 100 bytes", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			done := make(chan struct{})
			var data []byte
			var err error
			go func() { data, err = Read(tt.path, tt.k); close(done) }()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("Read did not return: it waits on the file")
			}
			if tt.want == "" {
				if err != nil || len(data) != tt.len {
					t.Fatalf("got %d bytes, %v; want %d bytes", len(data), err, tt.len)
				}
				return
			}
			if err == nil || err.Error() != tt.want {
				t.Fatalf("error\n got %v\nwant %s", err, tt.want)
			}
			if !errors.Is(err, ErrRefused) {
				t.Errorf("%v does not match ErrRefused", err)
			}
		})
	}
}

func TestReadMissing(t *testing.T) {
	_, err := Read(filepath.Join(t.TempDir(), "nope"), small)
	if !errors.Is(err, os.ErrNotExist) || errors.Is(err, ErrRefused) {
		t.Fatalf("got %v; want the open error as it is", err)
	}
}

func TestReadIn(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "over"), make([]byte, 101), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/etc/hostname", filepath.Join(dir, "out")); err != nil {
		t.Fatal(err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	if _, err := ReadIn(root, "over", small); err == nil || err.Error() != filepath.Join(dir, "over")+" is 101 bytes; a test file is at most 100 bytes" {
		t.Errorf("over the cap: %v", err)
	}
	if _, err := ReadIn(root, "out", small); err == nil || errors.Is(err, ErrRefused) {
		t.Errorf("a link out of the root: %v; want os.Root's error", err)
	}
}

func TestSize(t *testing.T) {
	for n, want := range map[int64]string{0: "0 bytes", 1023: "1023 bytes", 1024: "1 KiB", 1536: "1.5 KiB", 1 << 20: "1 MiB",
		5 << 30: "5 GiB", 5<<30 + 1<<29: "5.5 GiB", 1<<20 + 1: "1.0 MiB"} {
		if got := Size(n); got != want {
			t.Errorf("Size(%d) = %q; want %q", n, got, want)
		}
	}
}
