package cli

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// tomcatOverride keeps Tomcat on the pack's store whatever [keystore.tls]
// says (its keys are on lines 2 and 3 of it).
const tomcatOverride = "\n[transport.https.sslHostConfig.certificate.properties]\n" +
	"certificateKeystoreFile = \"${carbon.home}/repository/resources/security/wso2carbon.p12\"\n" +
	"certificateKeystorePassword = \"wso2carbon\"\n"

// writeHome lays out files (path relative to dir → content) with mode 0644.
func writeHome(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for rel, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func fixtureText(t *testing.T, name string) string {
	t.Helper()
	return readFile(t, filepath.Join(mergeTestdata, name))
}

// TestMergeRefusesWhatTheServerWouldNotUse: exit 2, one line with the file,
// the line and column to fix and the fix; the directory byte for byte and
// mode for mode as it was.
func TestMergeRefusesWhatTheServerWouldNotUse(t *testing.T) {
	dir := t.TempDir()
	is71, apim45, mi44 := fixtureText(t, "merge/is71.toml"), fixtureText(t, "merge/apim45.toml"), fixtureText(t, "merge/mi44.toml")
	writeHome(t, dir, map[string]string{
		"override/deployment.toml":                     is71 + tomcatOverride,
		"loose/deployment.toml":                        apim45,
		"wso2am-4.5.0/repository/conf/deployment.toml": apim45,
		"wso2am-4.5.0/bin/api-manager.sh":              "#!/bin/sh\n",
		"gateway/repository/conf/deployment.toml":      is71,
		"gateway/bin/api-manager.sh":                   "#!/bin/sh\n",
		"wso2is-7.0.0/repository/conf/deployment.toml": is71,
		"wso2mi-4.4.0/conf/deployment.toml":            mi44,
		"wso2mi-4.4.0/bin/micro-integrator.sh":         "#!/bin/sh\n",
	})
	is := filepath.Join(emitTestdata, "snippets/plain-is71.toml")
	mi := filepath.Join(emitTestdata, "snippets/plain-mi44.toml")
	at := func(rel string) string { return filepath.Join(dir, filepath.FromSlash(rel)) }
	overrideLine := strings.Count(is71, "\n") + 3
	const homeFix = "; generate the snippet for the home's product and version (kind and version in the topology) and merge that, or give the deployment.toml of a WSO2 Identity Server 7.1.0 home"
	tests := []struct{ name, snippet, deployment, want string }{
		{"Tomcat's certificate set elsewhere", is, "override/deployment.toml",
			at("override/deployment.toml") + ":" + strconv.Itoa(overrideLine) + ":1: key transport.https.sslHostConfig.certificate.properties.certificateKeystoreFile sets the file_name of the store Tomcat's HTTPS connector presents, and wins over the [keystore.tls] merge writes (WSO2 fills in only keys left unset); delete it and transport.https.sslHostConfig.certificate.properties.certificateKeystorePassword at " + strconv.Itoa(overrideLine+1) + ":1 so the server follows [keystore.tls], and merge again"},
		{"MI snippet into APIM's tables", mi, "loose/deployment.toml",
			at("loose/deployment.toml") + ":16:2: [database.apim_db] makes this a WSO2 Identity Server or API Manager deployment.toml, and the snippet is for WSO2 Micro Integrator 4.4.0; merge the snippet wso2ks generated for this file's product, or give the deployment.toml of a WSO2 Micro Integrator home"},
		{"IS snippet into an APIM pack", is, "wso2am-4.5.0/repository/conf/deployment.toml",
			at("wso2am-4.5.0/repository/conf/deployment.toml") + ": the home " + at("wso2am-4.5.0") + " is a WSO2 API Manager 4.5.0 pack (its directory's name), and " + is + " is for WSO2 Identity Server 7.1.0" + homeFix},
		{"IS snippet into a home with APIM's script", is, "gateway/repository/conf/deployment.toml",
			at("gateway/repository/conf/deployment.toml") + ": the home " + at("gateway") + " has bin/api-manager.sh, so it is a WSO2 API Manager home, and " + is + " is for WSO2 Identity Server 7.1.0" + homeFix},
		{"IS 7.1 snippet into IS 7.0", is, "wso2is-7.0.0/repository/conf/deployment.toml",
			at("wso2is-7.0.0/repository/conf/deployment.toml") + ": the home " + at("wso2is-7.0.0") + " is a WSO2 Identity Server 7.0.0 pack (its directory's name), and " + is + " is for WSO2 Identity Server 7.1.0" + homeFix},
		{"IS snippet into an MI home", is, "wso2mi-4.4.0/conf/deployment.toml",
			at("wso2mi-4.4.0/conf/deployment.toml") + ": the home " + at("wso2mi-4.4.0") + " is a WSO2 Micro Integrator 4.4.0 pack (its directory's name), and " + is + " is for WSO2 Identity Server 7.1.0" + homeFix},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := snapshot(t, dir)
			r := run(t, false, "merge", tt.snippet, at(tt.deployment))
			if r.code != 2 || r.stderr != tt.want+"\n" || r.stdout != "" {
				t.Errorf("exit %d, stdout %q\nstderr %q\nwant   %q", r.code, r.stdout, r.stderr, tt.want+"\n")
			}
			if snapshot(t, dir) != before {
				t.Error("the refused merge changed the directory")
			}
		})
	}

	// The fix: without the override, the same merge goes through, and the
	// merged file and its backup are the owner's only.
	fixed := at("override/deployment.toml")
	os.WriteFile(fixed, []byte(is71), 0o644)
	r := run(t, false, "merge", is, fixed)
	if body, _ := splitNext(r.stdout); r.code != 0 || !strings.HasSuffix(body, "note: chmod 600 "+fixed+" and its backup: they hold passwords (the file was 0644)\n") {
		t.Fatalf("merge after the fix: %+v", r)
	}
	for _, f := range []string{fixed, fixed + BackupSuffix} {
		if m := modeOf(t, f); m != 0o600 {
			t.Errorf("%s: mode %v, want -rw-------", filepath.Base(f), m)
		}
	}
}

// TestMergeIntoItsHome: a snippet merges into the home of its product and
// version, wherever the command runs from.
func TestMergeIntoItsHome(t *testing.T) {
	dir := t.TempDir()
	writeHome(t, dir, map[string]string{
		"wso2is-7.1.0/repository/conf/deployment.toml": fixtureText(t, "merge/is71.toml"),
		"wso2is-7.1.0/bin/wso2server.sh":               "#!/bin/sh\n",
	})
	t.Chdir(filepath.Join(dir, "wso2is-7.1.0"))
	r := run(t, false, "merge", filepath.Join(emitTestdata, "snippets/env-is71.toml"), "repository/conf/deployment.toml")
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("%+v", r)
	}
	// env mode: the merged file holds no password; its backup holds the
	// pack's wso2carbon.
	want := "merged " + filepath.Join(emitTestdata, "snippets/env-is71.toml") + " into repository/conf/deployment.toml; the original is in repository/conf/deployment.toml.wso2ks-backup\n" +
		"note: chmod 600 the backup of repository/conf/deployment.toml: it holds passwords (the file is 0644)\n" +
		"next: copy the stores of env/is71 (beside " + filepath.Join(emitTestdata, "snippets/env-is71.toml") + ") into . unless they are there, then start or restart env/is71 (one node at a time if it runs)\n" +
		"next: wso2ks verify .\n"
	if r.stdout != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", r.stdout, want)
	}
	if m := modeOf(t, "repository/conf/deployment.toml"); m != 0o644 {
		t.Errorf("merged file mode %v, want -rw-r--r--", m)
	}
	if m := modeOf(t, "repository/conf/deployment.toml.wso2ks-backup"); m != 0o600 {
		t.Errorf("backup mode %v, want -rw-------", m)
	}
}
