package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/internal/crashpoint"
	"github.com/wso2ks/wso2ks/internal/testkit"
)

// The race tests of the symbolic link rule (links.go, tree.go): once
// install's or merge's checks have passed, at the step a crash point
// names, the test swaps the home's repository/conf for a symbolic link to
// a directory outside the home holding files of the same names: what
// whoever owns the home would have root's run write, rename or remove.
// The link is relative (../../outside), which a writer that joins paths
// anew, or an os.Root opened above the home, would follow. Nothing outside
// the home may change; the run says so in one line, and once the
// directory is back the next run leaves the home consistent.

// linkRace is a home's repository/conf, where the test moves it (aside, out
// of the home), and the directory the link names.
type linkRace struct {
	home, conf, aside, outside string
	link                       string // what the link holds
}

func newRace(t *testing.T, home string) *linkRace {
	t.Helper()
	parent := filepath.Dir(home)
	r := &linkRace{home: home, conf: filepath.Join(home, "repository", "conf"), aside: filepath.Join(parent, "conf-aside"),
		outside: filepath.Join(parent, "outside"), link: filepath.Join("..", "..", "outside")}
	copyDir(t, r.conf, r.outside)
	mustWrite(t, filepath.Join(r.outside, ".deployment.toml.wso2ks-7"), "not a copy wso2ks staged\n")
	return r
}

// swapAt swaps repository/conf for the link when the run reaches moment
// (moment#n: the n-th time).
func (r *linkRace) swapAt(t *testing.T, moment string) {
	name, nth, _ := strings.Cut(moment, "#")
	want, err := strconv.Atoi(nth)
	if err != nil {
		want = 1
	}
	reached := 0
	crashpoint.Hook = func(m string) {
		if m != name {
			return
		}
		if reached++; reached != want {
			return
		}
		if err := os.Rename(r.conf, r.aside); err != nil {
			t.Error(err)
		}
		mustLink(t, r.link, r.conf)
	}
	t.Cleanup(func() { crashpoint.Hook = nil })
}

// restore puts repository/conf back in place of the link.
func (r *linkRace) restore(t *testing.T) {
	t.Helper()
	crashpoint.Hook = nil
	if err := os.Remove(r.conf); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(r.aside, r.conf); err != nil {
		t.Fatal(err)
	}
}

// appeared is what a run says of the link.
func (r *linkRace) appeared() string {
	return r.conf + ": is a symbolic link to " + r.link + " that appeared during the run (" + r.home + " changed under wso2ks), and wso2ks does not write through symbolic links: nothing was written through it; put back what was there, then run wso2ks again"
}

// kept is what a run the link stopped says of the journal it keeps.
func (r *linkRace) kept() string {
	return "; the install is neither finished nor undone while " + r.conf + " is a symbolic link to " + r.link + ": its journal " + filepath.Join(r.home, journalRel) + " is kept for the next wso2ks install into " + r.home + ", which finishes or undoes it once the directory is back"
}

// inConf is the first file of the journal in repository/conf (with a
// backup, when backup is set).
func inConf(t *testing.T, home string, backup bool) journalFile {
	t.Helper()
	var j journal
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(home, journalRel))), &j); err != nil {
		t.Fatal(err)
	}
	for _, f := range j.Files {
		if strings.HasPrefix(f.Target, "repository/conf/") && (!backup || f.Backup != "") {
			return f
		}
	}
	t.Fatal("the journal names no file in repository/conf")
	return journalFile{}
}

// TestInstallRacesALink: install b (--replace-keys) into a home with
// bundle a installed, repository/conf swapped for the link while it
// stages, before it links the backups, before it renames its files, and
// while it undoes itself (made to fail before its first rename, in a home
// where it makes repository/conf/security). A run the link stops while it
// stages undoes itself; one it stops later keeps its journal, which the
// next command refuses while the link is there and, once the directory is
// back, finishes (or finishes undoing).
func TestInstallRacesALink(t *testing.T) {
	at := func(home, rel string) string { return filepath.Join(home, filepath.FromSlash(rel)) }
	tests := []struct {
		name, moment string
		undo         bool // undoHome, and the run undoes itself
		line         func(t *testing.T, r *linkRace) string
	}{
		{"staging", crashpoint.InstallBegun, false, func(t *testing.T, r *linkRace) string { return r.appeared() }},
		{"backup link", crashpoint.InstallJournaled, false, func(t *testing.T, r *linkRace) string {
			f := inConf(t, r.home, true)
			return "keep " + at(r.home, f.Target) + " as " + at(r.home, f.Backup) + ": " + r.appeared() + r.kept()
		}},
		{"commit rename", crashpoint.InstallBackedUp, false, func(t *testing.T, r *linkRace) string {
			return "replace " + at(r.home, inConf(t, r.home, false).Target) + ": " + r.appeared() + r.kept()
		}},
		{"undo remove", crashpoint.InstallUndoing, true, func(t *testing.T, r *linkRace) string {
			return "injected failure; and " + r.home + " could not be put back (remove " + at(r.home, inConf(t, r.home, true).Backup) + ": " + r.appeared() + "): the next wso2ks install into it will"
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			home, a, b := crashHome(t)
			r := newRace(t, home) // with conf/security's files, for an undo to remove
			if tt.undo {
				// As undoHome.
				if err := os.RemoveAll(filepath.Join(home, "repository/conf/security")); err != nil {
					t.Fatal(err)
				}
				installFailAt = 0
				defer func() { installFailAt = -1 }()
			}
			before := snapshot(t, home)
			outside := snapshot(t, r.outside)
			r.swapAt(t, tt.moment)
			res := run(t, false, "install", "--bundle", b, "--product", "iam", "--home", home, "--replace-keys")
			installFailAt = -1
			crashpoint.Hook = nil
			_, err := os.Lstat(filepath.Join(home, journalRel))
			kept := err == nil
			if snapshot(t, r.outside) != outside {
				t.Fatalf("the run changed the directory the link names: exit %d, %s", res.code, res.stderr)
			}
			if want := tt.line(t, r) + "\n"; res.code != 2 || res.stderr != want {
				t.Errorf("exit %d\nstderr %q\nwant   %q", res.code, res.stderr, want)
			}
			if kept {
				// The next command refuses the journal while the link is there.
				journal := filepath.Join(home, journalRel)
				want := journal + ": names files below " + r.conf + ", a symbolic link to " + r.link + ", and wso2ks does not write through symbolic links; replace the link with a real directory, or check the home's files against its backups, then remove the journal\n"
				if res := run(t, false, "install", "--bundle", b, "--product", "iam", "--home", home, "--replace-keys"); res.code != 2 || res.stderr != want {
					t.Errorf("install with the link there: exit %d\nstderr %q\nwant   %q", res.code, res.stderr, want)
				}
				if snapshot(t, r.outside) != outside {
					t.Fatal("recovery changed the directory the link names")
				}
			}
			r.restore(t)
			switch {
			case !kept: // undone by the run itself
				// The lock file of deployment.toml stays in the directory
				// moved aside: its holder removes it only while its path
				// names it (pkg/lock). The next run would take it.
				removeLockFiles(t, home)
				if got := snapshot(t, home); got != before {
					t.Errorf("the home after the run:\n%s\nwant:\n%s", got, before)
				}
				if res := run(t, false, "install", "--bundle", b, "--product", "iam", "--home", home, "--replace-keys"); res.code != 0 || res.stderr != "" {
					t.Errorf("install again: %+v", res)
				}
			case tt.undo: // the undo is finished, and the install refused without --replace-keys
				res := run(t, false, "install", "--bundle", b, "--product", "iam", "--home", home)
				said := "wso2ks: finished undoing an interrupted wso2ks install into " + home + ": the home is as it was before it\n"
				if res.code != 2 || !strings.HasPrefix(res.stderr, said) || !strings.HasSuffix(res.stderr, "or pass --replace-keys\n") {
					t.Errorf("install again: exit %d\n%s\nwant first\n%s", res.code, res.stderr, said)
				}
				if got := snapshot(t, home); got != before {
					t.Errorf("the home after recovery:\n%s\nwant:\n%s", got, before)
				}
			default: // finished, and the install of a refused without --replace-keys
				want := snapshot(t, completed(t, home))
				res := run(t, false, "install", "--bundle", a, "--product", "iam", "--home", home)
				said := "wso2ks: finished an interrupted wso2ks install into " + home + ": its 7 files are in place\n"
				if res.code != 2 || !strings.HasPrefix(res.stderr, said) || !strings.HasSuffix(res.stderr, "or pass --replace-keys\n") {
					t.Errorf("install again: exit %d\n%s\nwant first\n%s", res.code, res.stderr, said)
				}
				if got := snapshot(t, home); got != want {
					t.Errorf("the home after recovery:\n%s\nwant:\n%s", got, want)
				}
			}
			assertClean(t, home)
		})
	}
}

// TestMergeRacesALink: merge works in the directory of the
// deployment.toml as it was when it began, the link swapped in for it
// after the check, before the lock's recovery and the read, after the
// backup, or with the new file staged: whatever the link names stays as
// it was, and the directory, once back, holds the merged file and its
// backup.
func TestMergeRacesALink(t *testing.T) {
	for _, moment := range []string{crashpoint.LockHeld, crashpoint.BackupWritten, crashpoint.FileStaged} {
		t.Run(moment, func(t *testing.T) {
			home := fakeHome(t, t.TempDir(), "wso2is-7.1.0", "wso2is")
			r := newRace(t, home)
			dep := filepath.Join(r.conf, "deployment.toml")
			orig := readFile(t, dep)
			outside := snapshot(t, r.outside)
			r.swapAt(t, moment)
			args := mergeArgs(dep)
			res := run(t, false, args...)
			crashpoint.Hook = nil
			if said := "merged " + args[1] + " into " + dep + "; the original is in " + dep + BackupSuffix + "\n"; res.code != 0 || res.stderr != "" || !strings.HasPrefix(res.stdout, said) {
				t.Errorf("%+v\nwant first %q", res, said)
			}
			if snapshot(t, r.outside) != outside {
				t.Fatal("merge changed the directory the link names")
			}
			r.restore(t)
			if got, want := readFile(t, dep), readFile(t, filepath.Join(mergeTestdata, "merge/out/is71+plain-is71.toml")); got != want {
				t.Errorf("merged file differs from pkg/deploytoml's golden file:\n%s", testkit.Diff(want, got))
			}
			if readFile(t, dep+BackupSuffix) != orig {
				t.Error("the backup does not hold the original bytes")
			}
			if res := run(t, false, args...); res.code != 0 || res.stdout != dep+" is up to date\n" {
				t.Errorf("merge again: %+v", res)
			}
			assertClean(t, home)
		})
	}
}
