package cli

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/wso2ks/wso2ks/internal/testkit"
)

// linkLine is the one line a writer refuses a symbolic link with.
func linkLine(link, to, fix string) string {
	return link + ": is a symbolic link to " + to + ", and wso2ks does not write through symbolic links; " + fix + "\n"
}

// giveFix is the fix for a link the user named: its target, or a real
// kind in its place.
func giveFix(give, kind string) string {
	return "give " + give + " instead, or replace the link with a real " + kind
}

const homeDirFix = "install writes nothing through one: replace the link with a real directory"

func mustLink(t *testing.T, to, link string) {
	t.Helper()
	if err := os.Symlink(to, link); err != nil {
		t.Fatal(err)
	}
}

func mustWrite(t *testing.T, name, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestWritersRefuseSymlinks: every writer, given a path whose last
// component is a symbolic link (to a directory, to a file, to nothing) or
// a home with a link inside it where install writes, exits 2 with one line
// naming the link, where it points and the fix, and changes nothing: the
// link's target is byte for byte as it was, and no lock file, staged copy,
// backup or bundle is left anywhere in the test's directory.
func TestWritersRefuseSymlinks(t *testing.T) {
	bundle := generateBundle(t)
	sec, conf := "repository/resources/security", "repository/conf"
	tests := []struct {
		name string
		// setup lays out dir and returns the command line and the line
		// it must print.
		setup func(t *testing.T, dir string) (args []string, want string)
	}{
		{"generate -o a link to a bundle", func(t *testing.T, dir string) ([]string, string) {
			real, ks := filepath.Join(dir, "real"), filepath.Join(dir, "ks")
			copyDir(t, bundle, real)
			mustLink(t, real, ks)
			return []string{"generate", "-o", ks}, linkLine(ks, real, giveFix("-o "+real, "directory"))
		}},
		{"generate --force -o a relative link", func(t *testing.T, dir string) ([]string, string) {
			ks := filepath.Join(dir, "ks")
			copyDir(t, bundle, filepath.Join(dir, "real"))
			mustLink(t, "real", ks)
			return []string{"generate", "--force", "-o", ks + "/"}, linkLine(ks, "real", giveFix("-o "+filepath.Join(dir, "real"), "directory"))
		}},
		{"generate -o a dangling link", func(t *testing.T, dir string) ([]string, string) {
			none, ks := filepath.Join(dir, "none"), filepath.Join(dir, "ks")
			mustLink(t, none, ks)
			return []string{"generate", "-o", ks}, linkLine(ks, none, giveFix("-o "+none, "directory"))
		}},
		{"generate -o a link to a file", func(t *testing.T, dir string) ([]string, string) {
			file, ks := filepath.Join(dir, "notes.txt"), filepath.Join(dir, "ks")
			mustWrite(t, file, "keep me\n")
			mustLink(t, file, ks)
			return []string{"generate", "--force", "-o", ks}, linkLine(ks, file, giveFix("-o "+file, "directory"))
		}},
		{"generate --update a link", func(t *testing.T, dir string) ([]string, string) {
			real, ks := filepath.Join(dir, "real"), filepath.Join(dir, "ks")
			copyDir(t, bundle, real)
			mustLink(t, real, ks)
			return []string{"generate", "-f", isTopology(t, dir, "plain"), "--update", ks}, linkLine(ks, real, giveFix("--update "+real, "directory"))
		}},
		{"renew", bundleDirLink(bundle, "renew")},
		{"rotate", bundleDirLink(bundle, "rotate", "--product", "iam")},
		{"csr", bundleDirLink(bundle, "csr")},
		{"import-cert", bundleDirLink(bundle, "import-cert", "chain.pem", "--product", "iam")},
		{"k8s -o a link", func(t *testing.T, dir string) ([]string, string) {
			ks, real, out := filepath.Join(dir, "ks"), filepath.Join(dir, "manifests"), filepath.Join(dir, "out")
			copyDir(t, bundle, ks)
			mustWrite(t, filepath.Join(real, "old.yaml"), "kind: Secret\n")
			mustLink(t, real, out)
			return []string{"k8s", ks, "-o", out, "--force"}, linkLine(out, real, giveFix("-o "+real, "directory"))
		}},
		{"k8s into BUNDLE_DIR/k8s, a link", func(t *testing.T, dir string) ([]string, string) {
			ks, real := filepath.Join(dir, "ks"), filepath.Join(dir, "manifests")
			copyDir(t, bundle, ks)
			os.Mkdir(real, 0o700)
			mustLink(t, real, filepath.Join(ks, "k8s"))
			return []string{"k8s", ks}, linkLine(filepath.Join(ks, "k8s"), real, giveFix("-o "+real, "directory"))
		}},
		{"init -o a link", func(t *testing.T, dir string) ([]string, string) {
			real, out := filepath.Join(dir, "mine.toml"), filepath.Join(dir, "topology.toml")
			mustWrite(t, real, "# mine\n")
			mustLink(t, real, out)
			return []string{"init", "-o", out, "--force"}, linkLine(out, real, giveFix("-o "+real, "file"))
		}},
		{"merge into a link", func(t *testing.T, dir string) ([]string, string) {
			real, dep := filepath.Join(dir, "real.toml"), filepath.Join(dir, "deployment.toml")
			copyFixture(t, "merge/is71.toml", dir, "real.toml", 0o644)
			mustLink(t, real, dep)
			return mergeArgs(dep), linkLine(dep, real, giveFix(real, "file"))
		}},
		{"merge into a dangling link", func(t *testing.T, dir string) ([]string, string) {
			none, dep := filepath.Join(dir, "none.toml"), filepath.Join(dir, "deployment.toml")
			mustLink(t, none, dep)
			return mergeArgs(dep), linkLine(dep, none, giveFix(none, "file"))
		}},
		{"merge with a link at the backup's name", func(t *testing.T, dir string) ([]string, string) {
			dep, other := filepath.Join(dir, "deployment.toml"), filepath.Join(dir, "other.toml")
			copyFixture(t, "merge/is71.toml", dir, "deployment.toml", 0o644)
			mustWrite(t, other, "# other\n")
			mustWrite(t, dep+".wso2ks-backup", "# an older backup\n")
			mustLink(t, other, dep+".wso2ks-backup.1")
			return mergeArgs(dep), linkLine(dep+".wso2ks-backup.1", other, "move the link away: wso2ks keeps its backups of deployment.toml under this name")
		}},
		{"install over a store that is a link", installLink(bundle, func(t *testing.T, dir, home string) (string, string, string) {
			store, outside := filepath.Join(home, sec, "tls.p12"), filepath.Join(dir, "outside", "tls.p12")
			mustWrite(t, outside, "someone else's store\n")
			mustLink(t, outside, store)
			return store, outside, homeFileFix
		})},
		{"install over a dangling store link", installLink(bundle, func(t *testing.T, dir, home string) (string, string, string) {
			store, none := filepath.Join(home, sec, "primary.p12"), filepath.Join(dir, "none.p12")
			mustLink(t, none, store)
			return store, none, homeFileFix
		})},
		{"install into a deployment.toml that is a link", installLink(bundle, func(t *testing.T, dir, home string) (string, string, string) {
			dep, outside := filepath.Join(home, conf, "deployment.toml"), filepath.Join(dir, "outside", "deployment.toml")
			os.MkdirAll(filepath.Dir(outside), 0o700)
			if err := os.Rename(dep, outside); err != nil {
				t.Fatal(err)
			}
			mustLink(t, outside, dep)
			return dep, outside, homeFileFix
		})},
		{"install with a link at a backup's name", installLink(bundle, func(t *testing.T, dir, home string) (string, string, string) {
			backup, outside := filepath.Join(home, conf, "deployment.toml.wso2ks-backup"), filepath.Join(dir, "outside", "passwd")
			mustWrite(t, outside, "root:x:0:0::/root:/bin/sh\n")
			mustLink(t, outside, backup)
			return backup, outside, "move the link away: wso2ks keeps its backups of deployment.toml under this name"
		})},
		{"install into a home whose security directory is a link", installLink(bundle, func(t *testing.T, dir, home string) (string, string, string) {
			link, outside := filepath.Join(home, sec), filepath.Join(dir, "etc")
			if err := os.Rename(link, outside); err != nil {
				t.Fatal(err)
			}
			mustLink(t, outside, link)
			return link, outside, homeDirFix
		})},
		{"install into a home whose conf directory is a link", installLink(bundle, func(t *testing.T, dir, home string) (string, string, string) {
			link, outside := filepath.Join(home, conf), filepath.Join(dir, "etc")
			if err := os.Rename(link, outside); err != nil {
				t.Fatal(err)
			}
			mustLink(t, outside, link)
			return link, outside, homeDirFix
		})},
		{"install into a home whose resources directory is a dangling link", installLink(bundle, func(t *testing.T, dir, home string) (string, string, string) {
			link, none := filepath.Join(home, "repository/resources"), filepath.Join(dir, "none")
			os.RemoveAll(link)
			mustLink(t, none, link)
			return link, none, homeDirFix
		})},
		{"install --secrets a link", func(t *testing.T, dir string) ([]string, string) {
			home := fakeHome(t, dir, "wso2is-7.1.0", "wso2is")
			secrets, outside := filepath.Join(dir, "secrets.env"), filepath.Join(dir, "outside", "profile")
			mustWrite(t, outside, "export PATH=/usr/bin\n")
			mustLink(t, outside, secrets)
			return []string{"install", "-f", isTopology(t, dir, "env"), "--home", home, "--secrets", secrets},
				linkLine(secrets, outside, giveFix("--secrets "+outside, "file"))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			args, want := tt.setup(t, dir)
			before := snapshot(t, dir)
			r := run(t, false, args...)
			if r.code != 2 || r.stderr != want || r.stdout != "" {
				t.Errorf("exit %d, stdout %q\nstderr %q\nwant   %q", r.code, r.stdout, r.stderr, want)
			}
			if after := snapshot(t, dir); after != before {
				t.Errorf("the refused run changed %s:\n%s", dir, testkit.Diff(before, after))
			}
		})
	}
}

// bundleDirLink sets up a command that changes the bundle DIR in place,
// given DIR as a link to a bundle.
func bundleDirLink(bundle, command string, rest ...string) func(t *testing.T, dir string) ([]string, string) {
	return func(t *testing.T, dir string) ([]string, string) {
		real, ks := filepath.Join(dir, "real"), filepath.Join(dir, "ks")
		copyDir(t, bundle, real)
		mustLink(t, real, ks)
		return append([]string{command, ks}, rest...), linkLine(ks, real, giveFix(real, "directory"))
	}
}

func mergeArgs(dep string) []string {
	return []string{"merge", filepath.Join(emitTestdata, "snippets/plain-is71.toml"), dep}
}
