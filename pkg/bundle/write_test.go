package bundle

import (
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

func runShell(script string) (string, error) {
	out, err := exec.Command("sh", "-c", script).CombinedOutput()
	return string(out), err
}

// tree lists every path below dir with its permission bits.
func tree(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out = append(out, info.Mode().Perm().String()+" "+rel)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

var small = &Bundle{Files: []File{{Path: "manifest.json", Data: []byte("{}")}, {Path: "dev/iam/a.p12", Data: []byte("a")}}}

func TestWriteNewDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out", "ks")
	if err := small.Write(dir, false); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(tree(t, dir), "\n")
	want := strings.Join([]string{"-rw------- dev/iam/a.p12", "-rw------- manifest.json", "-rwx------ .", "-rwx------ dev", "-rwx------ dev/iam"}, "\n")
	if got != want {
		t.Errorf("tree:\n%s\nwant:\n%s", got, want)
	}
	leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(dir), ".*"))
	if len(leftovers) != 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
}

func TestWriteEmptyDirectory(t *testing.T) {
	dir := t.TempDir()
	if err := small.Write(dir, false); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "dev/iam/a.p12")); err != nil {
		t.Fatal(err)
	}
}

func TestWriteRefusesNonEmpty(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "keep"), []byte("old"), 0o644)
	err := small.Write(dir, false)
	if !errors.Is(err, ErrExists) || err.Error() != dir+": bundle directory exists and is not empty" {
		t.Fatalf("err = %v", err)
	}
	if CheckTarget(dir) == nil {
		t.Error("CheckTarget accepted a non-empty directory")
	}
	if got := tree(t, dir); len(got) != 2 {
		t.Errorf("directory changed: %v", got)
	}
	file := filepath.Join(dir, "keep")
	if err := small.Write(file, false); !errors.Is(err, ErrNotDir) || err.Error() != file+" is a file, not a directory" {
		t.Errorf("a file as bundle directory: err = %v", err)
	}
}

func TestWriteForceReplaces(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "old"), []byte("old"), 0o644)
	if err := small.Write(dir, true); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "old")); !errors.Is(err, fs.ErrNotExist) {
		t.Error("old bundle's file survived --force")
	}
	if len(tree(t, dir)) != 5 {
		t.Errorf("tree: %v", tree(t, dir))
	}
	leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(dir), "."+filepath.Base(dir)+"*"))
	if len(leftovers) != 0 {
		t.Errorf("temporary directories left: %v", leftovers)
	}
}

// TestWriteFailureKeepsOld makes the write fail part-way: the old bundle
// must be untouched and no temporary directory left.
func TestWriteFailureKeepsOld(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "old"), []byte("old"), 0o600)
	before := tree(t, dir)
	bad := &Bundle{Files: []File{{Path: "a", Data: []byte("a")}, {Path: "../escape", Data: []byte("x")}}}
	err := bad.Write(dir, true)
	if err == nil || err.Error() != `bundle file "../escape" is not a relative path` {
		t.Fatalf("err = %v", err)
	}
	if after := tree(t, dir); strings.Join(after, "\n") != strings.Join(before, "\n") {
		t.Errorf("old bundle changed:\n%v\n%v", before, after)
	}
	leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(dir), "."+filepath.Base(dir)+"*"))
	if len(leftovers) != 0 {
		t.Errorf("temporary directories left: %v", leftovers)
	}
	dup := &Bundle{Files: []File{{Path: "a", Data: []byte("a")}, {Path: "a", Data: []byte("b")}}}
	if err := dup.Write(filepath.Join(t.TempDir(), "new"), false); err == nil {
		t.Error("a file written twice was accepted")
	}
}
