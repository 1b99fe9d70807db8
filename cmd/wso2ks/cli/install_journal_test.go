package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/internal/crashpoint"
)

// TestForeignJournalRefused: a journal that names a path outside the home
// (but a --secrets file install creates), or a file install does not
// make, is not acted on: the install that finds
// it exits 2 with one line, and nothing in the home changes.
func TestForeignJournalRefused(t *testing.T) {
	home, a, _ := crashHome(t)
	const target = "repository/resources/security/tls.p12"
	whole := func(j journal) string {
		data, _ := json.Marshal(j)
		return string(data)
	}
	file := func(f journalFile) string { return whole(journal{Version: 1, Files: []journalFile{f}}) }
	for _, tt := range []struct{ name, journal string }{
		{"outside the home", file(journalFile{Target: "../../etc/passwd", Staged: "../../etc/.passwd.wso2ks-1"})},
		{"absolute", file(journalFile{Target: "/etc/passwd", Staged: "/etc/.passwd.wso2ks-1"})},
		{"staged elsewhere", file(journalFile{Target: target, Staged: "repository/conf/.tls.p12.wso2ks-1"})},
		{"staged not a copy", file(journalFile{Target: target, Staged: "repository/resources/security/primary.p12"})},
		{"backup of another file", file(journalFile{Target: target, Staged: "repository/resources/security/.tls.p12.wso2ks-1", Existed: true,
			Undo: "repository/resources/security/.tls.p12.wso2ks-2", Backup: "repository/resources/security/primary.p12"})},
		{"backup outside", file(journalFile{Target: target, Staged: "repository/resources/security/.tls.p12.wso2ks-1", Existed: true,
			Undo: "repository/resources/security/.tls.p12.wso2ks-2", Backup: target + ".wso2ks-backup/../../../../x"})},
		{"existed without undo", file(journalFile{Target: target, Staged: "repository/resources/security/.tls.p12.wso2ks-1", Existed: true})},
		{"directory outside", whole(journal{Version: 1, Dirs: []string{"../x"}})},
		{"the home as a directory", whole(journal{Version: 1, Dirs: []string{"."}})},
		{"another state", whole(journal{Version: 1, State: "done"})},
		{"files while staging", whole(journal{Version: 1, State: stateStaging, Files: []journalFile{{Target: target, Staged: "repository/resources/security/.tls.p12.wso2ks-1"}}})},
		{"secrets relative", whole(journal{Version: 1, Secrets: &journalFile{Target: "secrets.env", Staged: ".secrets.env.wso2ks-1"}})},
		{"secrets not clean", whole(journal{Version: 1, Secrets: &journalFile{Target: "/tmp/x/../secrets.env", Staged: "/tmp/x/../.secrets.env.wso2ks-1"}})},
		{"secrets staged elsewhere", whole(journal{Version: 1, Secrets: &journalFile{Target: "/tmp/x/s.env", Staged: "/tmp/y/.s.env.wso2ks-1"}})},
		{"secrets staged not a copy", whole(journal{Version: 1, Secrets: &journalFile{Target: "/tmp/x/s.env", Staged: "/tmp/x/passwd"}})},
		{"secrets replaced", whole(journal{Version: 1, Secrets: &journalFile{Target: "/etc/passwd", Staged: "/etc/.passwd.wso2ks-1", Existed: true, Undo: "/etc/.passwd.wso2ks-2"}})},
		{"secrets backed up", whole(journal{Version: 1, Secrets: &journalFile{Target: "/tmp/x/s.env", Staged: "/tmp/x/.s.env.wso2ks-1", Backup: "/tmp/x/s.env.wso2ks-backup"}})},
		{"secrets a file of the home", whole(journal{Version: 1, Files: []journalFile{{Target: target, Staged: "repository/resources/security/.tls.p12.wso2ks-1"}},
			Secrets: &journalFile{Target: filepath.ToSlash(filepath.Join(home, target)), Staged: filepath.ToSlash(filepath.Join(home, "repository/resources/security/.tls.p12.wso2ks-2"))}})},
		{"secrets the journal", whole(journal{Version: 1, Secrets: &journalFile{Target: filepath.ToSlash(filepath.Join(home, journalRel)), Staged: filepath.ToSlash(filepath.Join(home, "..wso2ks-install.journal.wso2ks-1"))}})},
		{"secrets unstaged after staging", whole(journal{Version: 1, Secrets: &journalFile{Target: "/tmp/x/s.env"}})},
		{"secrets staged while staging", whole(journal{Version: 1, State: stateStaging, Secrets: &journalFile{Target: "/tmp/x/s.env", Staged: "/tmp/x/.s.env.wso2ks-1"}})},
		{"another version", `{"version":2,"files":[]}`},
		{"not JSON", "{"},
		{"too large", strings.Repeat(" ", maxJournal+1) + `{"version":1}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			name := filepath.Join(home, journalRel)
			os.WriteFile(name, []byte(tt.journal), 0o600)
			defer os.Remove(name)
			before := snapshot(t, home)
			r := run(t, false, "install", "--bundle", a, "--product", "iam", "--home", home)
			want := name + ": is not an install journal this wso2ks wrote; check the home's files against its backups, then remove it\n"
			if r.code != 2 || r.stderr != want {
				t.Errorf("exit %d\nstderr %q\nwant   %q", r.code, r.stderr, want)
			}
			if snapshot(t, home) != before {
				t.Error("the home changed")
			}
		})
	}
}

// TestCrashedInstallWhileClearing: a run stopped while it removed its undo
// copies (some gone, the journal still there) is finished all the same.
func TestCrashedInstallWhileClearing(t *testing.T) {
	home, a, b := crashHome(t)
	crash(t, crashpoint.InstallCommitted, "install", "--bundle", b, "--product", "iam", "--home", home, "--replace-keys")
	want := snapshot(t, completed(t, home))
	var j journal
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(home, journalRel))), &j); err != nil {
		t.Fatal(err)
	}
	for _, f := range j.Files[:3] {
		if err := os.Remove(filepath.Join(home, filepath.FromSlash(f.Undo))); err != nil {
			t.Fatal(err)
		}
	}
	r := runProcess(t, nil, "install", "--bundle", a, "--product", "iam", "--home", home)
	if r.code != 2 || !strings.HasPrefix(r.stderr, "wso2ks: finished an interrupted wso2ks install into "+home+": its 7 files are in place\n") {
		t.Errorf("install after the crash: exit %d\n%s", r.code, r.stderr)
	}
	if got := snapshot(t, home); got != want {
		t.Errorf("the home after recovery:\n%s\nwant:\n%s", got, want)
	}
	assertClean(t, home)
}

// TestCrashedInstallRollsBack: when a staged copy of the crashed run is
// gone, its install cannot be finished: the next install undoes it, and
// the home is byte for byte the old one.
func TestCrashedInstallRollsBack(t *testing.T) {
	home, a, b := crashHome(t)
	before := snapshot(t, home)
	crash(t, crashpoint.InstallRenamed+"#3", "install", "--bundle", b, "--product", "iam", "--home", home, "--replace-keys")
	var j journal
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(home, journalRel))), &j); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(home, filepath.FromSlash(j.Files[5].Staged))); err != nil {
		t.Fatal(err)
	}
	r := runProcess(t, nil, "install", "--bundle", a, "--product", "iam", "--home", home)
	undid := "wso2ks: undid an interrupted wso2ks install into " + home + ", a file of which had gone: the home is as it was before it\n"
	if r.code != 0 || r.stderr != undid || !strings.HasSuffix(r.stdout, "is up to date with default/iam\n") {
		t.Errorf("install after the crash: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if got := snapshot(t, home); got != before {
		t.Errorf("the home after recovery:\n%s\nwant:\n%s", got, before)
	}
	assertClean(t, home)
}
