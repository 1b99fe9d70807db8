package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/internal/crashpoint"
)

// The tests of install -f --secrets FILE as part of the install's
// transaction: after the next command FILE exists if and only if the
// install is complete, nothing is left staged beside it, and a run again
// with the same FILE succeeds.

// secretsHome returns a fresh home, a topology in plain mode (so that
// install -f can read the home it made again), the --secrets file to
// write, alone in its directory, and a file that exists.
func secretsHome(t *testing.T) (home, topo, secrets, existing string) {
	t.Helper()
	dir := t.TempDir()
	home = fakeHome(t, dir, "wso2is-7.1.0", "wso2is")
	topo = isTopology(t, dir, "plain", `hostnames = ["iam.example.com"]`)
	existing = filepath.Join(dir, "existing.env")
	if err := os.WriteFile(existing, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "secrets"), 0o700); err != nil {
		t.Fatal(err)
	}
	return home, topo, filepath.Join(dir, "secrets", "secrets.env"), existing
}

// assertSecretsOf fails unless secrets is 0600 and every password and key
// in it is the home's deployment.toml's (plain mode): it is the install's.
func assertSecretsOf(t *testing.T, secrets, home string) {
	t.Helper()
	if st, err := os.Stat(secrets); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("%s: %v, want mode 0600", secrets, err)
	}
	deployment := readFile(t, filepath.Join(home, "repository/conf/deployment.toml"))
	vars := readSecretsEnv(t, secrets)
	for name, v := range vars {
		if !strings.Contains(deployment, `"`+v+`"`) {
			t.Errorf("%s of %s is not the home's", name, secrets)
		}
	}
	if len(vars) != 5 {
		t.Errorf("%s holds %d variables, want 5", secrets, len(vars))
	}
}

func TestCrashedInstallSecrets(t *testing.T) {
	undone := "wso2ks: undid an interrupted wso2ks install into HOME, %s: the home is as it was before it, and its --secrets file FILE is not written\n"
	staging := strings.Replace(undone, "%s", "stopped while it staged its files", 1)
	finished := "wso2ks: finished an interrupted wso2ks install into HOME: its 6 files are in place, and the environment's secrets.env is FILE\n"
	tests := []struct {
		moment string
		// gone: a file the crashed run created is removed before the next
		// command, which then cannot finish the install.
		gone bool
		done bool   // whether the install is complete after the next command
		said string // what the next command says first
		// copy: the next command removes the copy of FILE the crashed run
		// staged.
		copy bool
	}{
		{crashpoint.FileStaged + "#1", false, false, "wso2ks: removed HOME/..wso2ks-install.journal.wso2ks-N, a copy of .wso2ks-install.journal an interrupted wso2ks run staged\n", false},
		{crashpoint.InstallBegun, false, false, staging, false},
		{crashpoint.InstallStaged, false, false, staging, true},
		{crashpoint.FileStaged + "#2", false, false, staging, true},
		{crashpoint.InstallJournaled, false, true, finished, false},
		{crashpoint.InstallBackedUp, false, true, finished, false},
		{crashpoint.InstallRenamed + "#1", false, true, finished, false},
		{crashpoint.InstallRenamed + "#6", false, true, finished, false},
		{crashpoint.InstallRenamed + "#7", false, true, finished, false}, // FILE's
		{crashpoint.InstallCommitted, false, true, finished, false},
		{crashpoint.InstallCommitted, true, false, strings.Replace(undone, "%s", "a file of which had gone", 1), false},
	}
	for _, tt := range tests {
		name := tt.moment
		if tt.gone {
			name += ", a file gone"
		}
		t.Run(name, func(t *testing.T) {
			home, topo, secrets, existing := secretsHome(t)
			before := snapshot(t, home)
			crash(t, tt.moment, "install", "-f", topo, "--home", home, "--secrets", secrets)
			want := before
			if tt.done {
				want = snapshot(t, completed(t, home))
			}
			if tt.gone {
				if err := os.Remove(filepath.Join(home, "repository/resources/security/primary.p12")); err != nil {
					t.Fatal(err)
				}
			}
			// A run that recovers the home and writes nothing: it is up to
			// date, or its --secrets file exists.
			r := runProcess(t, nil, "install", "-f", topo, "--home", home, "--secrets", existing)
			said := tempRE.ReplaceAllString(strings.NewReplacer(home, "HOME", secrets, "FILE").Replace(r.stderr), ".wso2ks-${1}N")
			if !strings.HasPrefix(said, tt.said) || strings.Contains(said, "wso2ks-N, a copy of secrets.env") != tt.copy {
				t.Errorf("the next install said\n%s\nwant first\n%s(and the copy of secrets.env removed: %v)", said, tt.said, tt.copy)
			}
			if tt.done && (r.code != 0 || r.stdout != home+" is up to date with default/iam\n") ||
				!tt.done && (r.code != 2 || !strings.HasSuffix(r.stderr, existing+": exists; give --secrets a new file\n")) {
				t.Errorf("the next install: exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			if got := snapshot(t, home); got != want {
				t.Errorf("the home after recovery:\n%s\nwant:\n%s", got, want)
			}
			assertClean(t, home)
			if tt.done {
				assertEntries(t, filepath.Dir(secrets), "secrets.env")
				assertSecretsOf(t, secrets, home)
			} else {
				assertEntries(t, filepath.Dir(secrets))
			}
			// Again with the same file: it installs, or has nothing to do.
			r = runProcess(t, nil, "install", "-f", topo, "--home", home, "--secrets", secrets)
			if r.code != 0 || r.stderr != "" || tt.done != (r.stdout == home+" is up to date with default/iam\n") {
				t.Errorf("install again with %s: exit %d\n%s%s", secrets, r.code, r.stdout, r.stderr)
			}
			assertSecretsOf(t, secrets, home)
			assertEntries(t, filepath.Dir(secrets), "secrets.env")
		})
	}
}

// TestInstallSecretsFailure fails the swap at each file, the --secrets
// file's last: the home is as it was, the file not written, and the run
// again succeeds.
func TestInstallSecretsFailure(t *testing.T) {
	home, topo, secrets, _ := secretsHome(t)
	before := snapshot(t, home)
	defer func() { installFailAt = -1 }()
	for step := 0; step < 7; step++ {
		installFailAt = step
		r := run(t, false, "install", "-f", topo, "--home", home, "--secrets", secrets)
		if r.code != 3 || r.stderr != "wso2ks: install into "+home+" (nothing was changed): injected failure\n" {
			t.Errorf("step %d: %+v", step, r)
		}
		if got := snapshot(t, home); got != before {
			t.Fatalf("step %d: the home changed:\n%s\nwant:\n%s", step, got, before)
		}
		assertEntries(t, filepath.Dir(secrets))
	}
	installFailAt = -1
	if r := run(t, false, "install", "-f", topo, "--home", home, "--secrets", secrets); r.code != 0 {
		t.Fatalf("install after the failures: %+v", r)
	}
	assertSecretsOf(t, secrets, home)
}

// TestInstallSecretsRefused: a --secrets file that exists, or whose
// directory does not, is refused before anything is written.
func TestInstallSecretsRefused(t *testing.T) {
	home, topo, secrets, existing := secretsHome(t)
	before := snapshot(t, home)
	missing := filepath.Join(filepath.Dir(secrets), "none", "secrets.env")
	for _, tt := range []struct{ file, want string }{
		{existing, existing + ": exists; give --secrets a new file\n"},
		{missing, missing + ": its directory does not exist; give --secrets a new file in an existing directory\n"},
	} {
		r := run(t, false, "install", "-f", topo, "--home", home, "--secrets", tt.file)
		if r.code != 2 || r.stderr != tt.want || r.stdout != "" {
			t.Errorf("exit %d\nstderr %q\nwant   %q", r.code, r.stderr, tt.want)
		}
		if got := snapshot(t, home); got != before {
			t.Errorf("the home changed:\n%s", got)
		}
	}
	assertEntries(t, filepath.Dir(secrets))
}
