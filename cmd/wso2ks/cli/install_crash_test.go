package cli

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/internal/crashpoint"
)

// The crash tests of install: a home with bundle a installed, then an
// install of bundle b (new keys, --replace-keys: seven files change)
// stopped at each step of its transaction; then the next command. The
// home must then be byte for byte the old state or the new one, which the
// test works out from what the crashed run left (its journal, staged and
// undo copies), and hold no staged copy, journal or lock file.

// crashHome returns a home with bundle a installed and bundles a and b.
func crashHome(t *testing.T) (home, a, b string) {
	t.Helper()
	dir := t.TempDir()
	a, b = filepath.Join(dir, "a"), filepath.Join(dir, "b")
	// b has new keys and a's passwords and encryption key, as a bundle
	// made again for the same installs is (generate --passwords): install
	// then reads the home's vault with b's secrets.env, and keeps the key.
	if r := run(t, false, "generate", "-f", "../../../examples/vault.toml", "-o", a); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	if r := run(t, false, "generate", "-f", "../../../examples/vault.toml", "-o", b, "--passwords", filepath.Join(a, "default", "secrets.env"), "--env", "default"); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	home = fakeHome(t, dir, "wso2is-7.1.0", "wso2is")
	if r := run(t, false, "install", "--bundle", a, "--product", "iam", "--home", home); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	return home, a, b
}

// completed returns a copy of the home as it is once the transaction the
// crashed run journaled is complete, worked out by hand: each staged copy
// renamed over its target, each backup a copy of its undo copy, the
// journal, undo copies, lock files and every other staged copy (a
// backup's, where there are no hard links) gone.
func completed(t *testing.T, home string) string {
	t.Helper()
	cp := copyTree(t, home)
	var j journal
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(cp, journalRel))), &j); err != nil {
		t.Fatal(err)
	}
	at := func(rel string) string { return filepath.Join(cp, filepath.FromSlash(rel)) }
	for _, f := range j.Files {
		if _, err := os.Stat(at(f.Staged)); err == nil {
			if err := os.Rename(at(f.Staged), at(f.Target)); err != nil {
				t.Fatal(err)
			}
		}
		if f.Backup != "" {
			if _, err := os.Stat(at(f.Backup)); err != nil {
				copyFile(t, at(f.Undo), at(f.Backup))
			}
		}
		if f.Undo != "" {
			os.Remove(at(f.Undo))
		}
	}
	os.Remove(at(journalRel))
	removeLockFiles(t, cp)
	filepath.WalkDir(cp, func(p string, d fs.DirEntry, err error) error {
		if err == nil && stagedRE.MatchString(d.Name()) {
			os.Remove(p)
		}
		return nil
	})
	return cp
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	st, err := os.Stat(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, []byte(readFile(t, from)), st.Mode().Perm()); err != nil {
		t.Fatal(err)
	}
	os.Chmod(to, st.Mode().Perm())
}

func removeLockFiles(t *testing.T, dir string) {
	t.Helper()
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".wso2ks.lock") {
			os.Remove(p)
		}
		return nil
	})
}

// assertClean fails if the home holds a journal, a staged or undo copy
// or a lock file (but those named in allowed).
func assertClean(t *testing.T, home string, allowed ...string) {
	t.Helper()
	filepath.WalkDir(home, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !slices.Contains(allowed, d.Name()) && (stagedRE.MatchString(d.Name()) || strings.HasSuffix(d.Name(), ".journal") || strings.HasSuffix(d.Name(), ".wso2ks.lock")) {
			t.Errorf("left in the home: %s", p)
		}
		return nil
	})
}

var installMoments = []string{
	crashpoint.InstallBegun, crashpoint.InstallStaged, crashpoint.InstallJournaled, crashpoint.InstallBackedUp,
	crashpoint.InstallRenamed + "#1", crashpoint.InstallRenamed + "#2", crashpoint.InstallRenamed + "#3",
	crashpoint.InstallRenamed + "#4", crashpoint.InstallRenamed + "#5", crashpoint.InstallRenamed + "#6",
	crashpoint.InstallRenamed + "#7", crashpoint.InstallCommitted,
}

// TestCrashedInstall: after the crash, verify refuses the home while the
// journal is pending; then an install of bundle a (which has nothing to do
// on the old home and is refused without --replace-keys on the new one)
// puts it right first: while staging, the old home; after, the new.
func TestCrashedInstall(t *testing.T) {
	for _, moment := range installMoments {
		t.Run(moment, func(t *testing.T) {
			home, a, b := crashHome(t)
			before := snapshot(t, home)
			crash(t, moment, "install", "--bundle", b, "--product", "iam", "--home", home, "--replace-keys")
			staging := moment == crashpoint.InstallBegun || moment == crashpoint.InstallStaged
			want, said := before, "wso2ks: undid an interrupted wso2ks install into "+home+", stopped while it staged its files: the home is as it was before it\n"
			if !staging {
				want = snapshot(t, completed(t, home))
				said = "wso2ks: finished an interrupted wso2ks install into " + home + ": its 7 files are in place\n"
			}
			assertNoSecrets(t, filepath.Join(home, journalRel), b)
			v := runProcess(t, nil, "verify", home)
			pending := "an interrupted wso2ks install into " + home + " is pending; run wso2ks install into it again (or wso2ks merge into its deployment.toml), which first finishes or undoes it, then try again\n"
			if v.code != 2 || !strings.HasSuffix(v.stderr, pending) || strings.Count(v.stderr, "\n") != 1 {
				t.Errorf("verify with the journal pending: exit %d\n%s", v.code, v.stderr)
			}
			if d := runProcess(t, nil, "install", "--bundle", a, "--product", "iam", "--home", home, "--dry-run"); d.code != 2 || !strings.HasSuffix(d.stderr, pending) {
				t.Errorf("install --dry-run with the journal pending: exit %d\n%s", d.code, d.stderr)
			}
			r := runProcess(t, nil, "install", "--bundle", a, "--product", "iam", "--home", home)
			copies := 0 // seven staged, seven undo copies once staged
			if moment == crashpoint.InstallStaged {
				copies = 14
			}
			if !strings.HasPrefix(r.stderr, said) {
				t.Errorf("install after the crash said\n%s\nwant first\n%s", r.stderr, said)
			}
			if !staging {
				if r.code != 2 || !strings.Contains(r.stderr, "--replace-keys") {
					t.Errorf("install after the crash: exit %d\n%s", r.code, r.stderr)
				}
			} else if r.code != 0 || !strings.HasSuffix(r.stdout, "is up to date with default/iam\n") ||
				strings.Count(r.stderr, "a copy of") != copies || strings.Count(r.stderr, "\n") != 1+copies {
				t.Errorf("install after the crash: exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			if got := snapshot(t, home); got != want {
				t.Errorf("the home after recovery:\n%s\nwant:\n%s", got, want)
			}
			assertClean(t, home)
		})
	}
}

// TestCrashedInstallThenMerge: a merge into the home's deployment.toml
// puts an interrupted install right as well; the stores are then the old
// or the new ones, byte for byte.
func TestCrashedInstallThenMerge(t *testing.T) {
	for _, moment := range []string{crashpoint.InstallStaged, crashpoint.InstallJournaled, crashpoint.InstallRenamed + "#3", crashpoint.InstallCommitted} {
		t.Run(moment, func(t *testing.T) {
			home, _, b := crashHome(t)
			security := filepath.Join(home, "repository/resources/security")
			want := snapshot(t, security)
			crash(t, moment, "install", "--bundle", b, "--product", "iam", "--home", home, "--replace-keys")
			if moment != crashpoint.InstallStaged {
				want = snapshot(t, filepath.Join(completed(t, home), "repository/resources/security"))
			}
			snippet := filepath.Join(b, "default/iam/deployment.snippet.toml")
			r := runProcess(t, nil, "merge", snippet, filepath.Join(home, "repository/conf/deployment.toml"))
			// Finished, the install has merged that snippet already.
			said := "is up to date\n"
			if moment == crashpoint.InstallStaged {
				said = "merged "
			}
			if r.code != 0 || !strings.Contains(r.stdout, said) {
				t.Errorf("merge after the crash: exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			if got := snapshot(t, security); got != want {
				t.Errorf("the stores after recovery:\n%s\nwant:\n%s", got, want)
			}
			// merge does not take the home's lock: the killed install's lock
			// file stays (it blocks nothing; the next install removes it).
			assertClean(t, home, ".install.wso2ks.lock")
		})
	}
}

// assertNoSecrets fails unless file is 0600 and holds no password or key
// of the bundle's secrets.env.
func assertNoSecrets(t *testing.T, file, bundle string) {
	t.Helper()
	if st, err := os.Stat(file); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("%s: %v, want mode 0600", file, err)
	}
	data := readFile(t, file)
	for _, line := range strings.Split(readFile(t, filepath.Join(bundle, "default/secrets.env")), "\n") {
		if _, v, ok := strings.Cut(line, "="); ok && v != "" && strings.Contains(data, v) {
			t.Errorf("%s holds the value of %s", file, line[:strings.Index(line, "=")])
		}
	}
}
