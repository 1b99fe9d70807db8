package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/internal/crashpoint"
)

// The crash tests of undoing an install: a home with bundle a installed
// but for its repository/conf/security, which the install of bundle b
// (--replace-keys: eight files, two of them new in that directory, which
// it makes) must then make. That install is stopped while it stages, or
// made to be undone and stopped at each step of the undo. The next
// install of b (refused without --replace-keys once the home is put
// right) must leave the home byte for byte as it was, that directory
// gone, and nothing staged, no journal, no lock file.

// undoHome returns a home with bundle a installed but for
// repository/conf/security, and bundle b.
func undoHome(t *testing.T) (home, b string) {
	t.Helper()
	home, _, b = crashHome(t)
	if err := os.RemoveAll(filepath.Join(home, "repository/conf/security")); err != nil {
		t.Fatal(err)
	}
	return home, b
}

var undoMoments = []string{
	crashpoint.FileStaged + "#1", // the journal saying it undoes, staged
	crashpoint.InstallUndoing, crashpoint.InstallUnbackedUp,
	crashpoint.InstallPutBack + "#1", crashpoint.InstallPutBack + "#2", crashpoint.InstallPutBack + "#3",
	crashpoint.InstallPutBack + "#4", crashpoint.InstallPutBack + "#5", crashpoint.InstallPutBack + "#6",
	crashpoint.InstallPutBack + "#7", crashpoint.InstallPutBack + "#8", crashpoint.InstallUndone,
}

func TestCrashedInstallUndo(t *testing.T) {
	type step struct {
		env    []string // of the run that crashes
		moment string
	}
	undid := func(why string) string {
		return "wso2ks: undid an interrupted wso2ks install into HOME, " + why + ": the home is as it was before it\n"
	}
	staging := undid("stopped while it staged its files")
	finishing := "wso2ks: finished undoing an interrupted wso2ks install into HOME: the home is as it was before it\n"
	type test struct {
		name string
		// crashes are the runs of install b --replace-keys; gone, when
		// set, removes a staged copy after the first, so that the next
		// command cannot finish the install and undoes it.
		crashes []step
		gone    bool
		said    string // what the check run says first
	}
	tests := []test{
		// The journal saying what it makes, staged: nothing is made yet.
		{"begin staged", []step{{nil, crashpoint.FileStaged + "#1"}}, false, "wso2ks: removed HOME/..wso2ks-install.journal.wso2ks-N, a copy of .wso2ks-install.journal an interrupted wso2ks run staged\n"},
		{"begun", []step{{nil, crashpoint.InstallBegun}}, false, staging},
		{"staged", []step{{nil, crashpoint.InstallStaged}}, false, staging},
		// The journal naming the staged files, staged.
		{"journal staged", []step{{nil, crashpoint.FileStaged + "#2"}}, false, staging},
	}
	for _, m := range undoMoments {
		said := finishing
		if m == crashpoint.FileStaged+"#1" {
			said = undid("a file of which had gone")
		}
		// Undone by the next command, which stops in its undo.
		tests = append(tests, test{"recovery " + m, []step{{nil, crashpoint.InstallRenamed + "#3"}, {nil, m}}, true, said})
		if m != crashpoint.FileStaged+"#1" {
			// Undone by the run itself, which fails at its fourth file
			// (the journal, staged for the undo, is its third file staged).
			tests = append(tests, test{"failure " + m, []step{{[]string{envFailAt + "=3"}, m}}, false, said})
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			home, b := undoHome(t)
			before := snapshot(t, home)
			for i, s := range tt.crashes {
				r := runProcess(t, append([]string{envCrashAt + "=" + s.moment}, s.env...), "install", "--bundle", b, "--product", "iam", "--home", home, "--replace-keys")
				if r.code != crashExit {
					t.Fatalf("run %d did not stop at %s: exit %d\n%s", i+1, s.moment, r.code, r.stderr)
				}
				if i == 0 && tt.gone {
					var j journal
					if err := json.Unmarshal([]byte(readFile(t, filepath.Join(home, journalRel))), &j); err != nil {
						t.Fatal(err)
					}
					if len(j.Files) != 8 || len(j.Dirs) != 1 || j.Dirs[0] != "repository/conf/security" {
						t.Fatalf("the journal has %d files and made %v, want 8 and repository/conf/security", len(j.Files), j.Dirs)
					}
					if err := os.Remove(filepath.Join(home, filepath.FromSlash(j.Files[5].Staged))); err != nil {
						t.Fatal(err)
					}
				}
			}
			r := runProcess(t, nil, "install", "--bundle", b, "--product", "iam", "--home", home)
			said := tempRE.ReplaceAllString(strings.ReplaceAll(r.stderr, home, "HOME"), ".wso2ks-${1}N")
			if r.code != 2 || !strings.HasPrefix(said, tt.said) || !strings.HasSuffix(r.stderr, "or pass --replace-keys\n") {
				t.Errorf("install after the crash: exit %d\n%s\nwant first\n%s", r.code, said, tt.said)
			}
			if got := snapshot(t, home); got != before {
				t.Errorf("the home after recovery:\n%s\nwant:\n%s", got, before)
			}
			assertClean(t, home)
		})
	}
}

// TestUndoKeepsForeignSecretsFile: undoing an install removes its
// --secrets file only if it is a secrets.env wso2ks wrote, never another
// file a journal names.
func TestUndoKeepsForeignSecretsFile(t *testing.T) {
	home, a, _ := crashHome(t)
	dir := t.TempDir()
	for _, tt := range []struct {
		data string
		kept bool
	}{
		{"root:x:0:0::/root:/bin/sh\n", true},
		{"# wso2ks: keystore passwords and encryption keys for environment \"default\". Keep this file secret.\nWSO2KS_IAM_PRIMARY_PASSWORD=x\n", false},
	} {
		secrets := filepath.Join(dir, "secrets.env")
		if err := os.WriteFile(secrets, []byte(tt.data), 0o600); err != nil {
			t.Fatal(err)
		}
		j, _ := json.Marshal(journal{Version: 1, State: stateUndoing, Secrets: &journalFile{Target: filepath.ToSlash(secrets), Staged: filepath.ToSlash(filepath.Join(dir, ".secrets.env.wso2ks-1"))}})
		if err := os.WriteFile(filepath.Join(home, journalRel), j, 0o600); err != nil {
			t.Fatal(err)
		}
		r := run(t, false, "install", "--bundle", a, "--product", "iam", "--home", home)
		said := "wso2ks: finished undoing an interrupted wso2ks install into " + home + ": the home is as it was before it, and its --secrets file " + secrets + " is not written\n"
		if r.code != 0 || r.stderr != said {
			t.Errorf("exit %d\nstderr %q\nwant   %q", r.code, r.stderr, said)
		}
		if _, err := os.Stat(secrets); (err == nil) != tt.kept {
			t.Errorf("%q: kept %v, want %v", tt.data, err == nil, tt.kept)
		}
		assertClean(t, home)
	}
}
