package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pelletier/go-toml/v2"
)

// TestUsedHome: how install tells a home that may hold data from a fresh
// pack.
func TestUsedHome(t *testing.T) {
	for _, tc := range []struct {
		name, deployment, log, want string
	}{
		{name: "fresh pack", deployment: "[database.identity_db]\ntype = \"h2\"\nurl = \"jdbc:h2:./repository/database/WSO2IDENTITY_DB\"\n"},
		{name: "empty log"},
		{name: "the server has run", log: "TID: [2026-11-27] INFO {org.wso2.carbon.core.init} - Starting WSO2 Carbon\n",
			want: "repository/logs/wso2carbon.log is not empty: the server has run"},
		{name: "a shared database", deployment: "[database.identity_db]\ntype = \"mysql\"\nurl = \"jdbc:mysql://db:3306/identity\"\n[database.shared_db]\ntype = \"h2\"\n",
			want: "[database.identity_db] is a mysql database, which other nodes may already have written"},
		{name: "a database from the environment", deployment: "[database.shared_db]\nurl = \"$env{DB_URL}\"\n",
			want: "[database.shared_db] url is not the pack's H2 database: other nodes may already have written it"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			home := t.TempDir()
			if tc.log != "" || tc.name == "empty log" {
				os.MkdirAll(filepath.Join(home, "repository/logs"), 0o755)
				os.WriteFile(filepath.Join(home, "repository/logs/wso2carbon.log"), []byte(tc.log), 0o644)
			}
			var doc map[string]any
			if err := toml.Unmarshal([]byte(tc.deployment), &doc); err != nil {
				t.Fatal(err)
			}
			if got := usedHome(home, doc); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestInstallUsedAsymmetricHome: an APIM 4.5 home that has run encrypted
// its internal data with WSO2's default key store; install says that the
// bundle's key cannot decrypt it.
func TestInstallUsedAsymmetricHome(t *testing.T) {
	dir := t.TempDir()
	bundle := filepath.Join(dir, "ks")
	if r := run(t, false, "generate", "-f", "../../../examples/multi-product.toml", "--env", "dev", "-o", bundle); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	home := fakeHome(t, dir, "wso2am-4.5.0", "wso2am")
	os.MkdirAll(filepath.Join(home, "repository/logs"), 0o755)
	os.WriteFile(filepath.Join(home, "repository/logs/wso2carbon.log"), []byte("started\n"), 0o644)
	r := run(t, false, "install", "--bundle", bundle, "--product", "apim", "--home", home)
	want := "note: repository/logs/wso2carbon.log is not empty: the server has run, and APIM 4.5.0 encrypts internal data with its internal key store ([keystore.internal], else primary): what it encrypted with WSO2's default key cannot be decrypted with the bundle's\n"
	if r.code != 0 || !strings.Contains(r.stdout, want) {
		t.Errorf("%+v", r)
	}
}
