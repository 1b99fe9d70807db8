package emit

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"path"
	"strings"
	"testing"

	"github.com/pelletier/go-toml/v2"
	"github.com/wso2ks/wso2ks/internal/testkit"
	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/gen"
	"github.com/wso2ks/wso2ks/pkg/keystore"
)

// TestBuild checks that every store of the bundle decodes with the password
// its snippet gives, holds what the plan says, and matches the manifest.
func TestBuild(t *testing.T) {
	plan := testkit.Plan(t, testkit.TwoProducts)
	b, err := Build(plan, BuildOptions{Rand: testkit.Rand(1), Now: testkit.Now})
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, f := range b.Files {
		if _, dup := files[f.Path]; dup {
			t.Fatalf("%s written twice", f.Path)
		}
		files[f.Path] = f.Data
	}
	secrets := testkit.Secrets(t, files["default/secrets.env"])
	var manifest bundle.Manifest
	if err := json.Unmarshal(files[bundle.ManifestName], &manifest); err != nil {
		t.Fatal(err)
	}
	if len(manifest.Stores) != 8 {
		t.Fatalf("manifest has %d stores, want 8", len(manifest.Stores))
	}
	if !bytes.Equal(files["default/iam/repository/resources/security/tls.p12"], files["default/apim/repository/resources/security/tls.p12"]) {
		t.Error("the shared tls store differs between products of the same format")
	}
	for _, m := range manifest.Stores {
		snippet := files[path.Join(m.Env, m.Product, bundle.SnippetName)]
		var tables map[string]any
		if err := toml.Unmarshal(snippet, &tables); err != nil {
			t.Fatal(err)
		}
		pw := secrets[gen.PasswordVar(m.Product, m.Role)]
		if got := snippetPassword(tables, m.Role); got != pw {
			t.Errorf("%s: snippet password differs from secrets.env", m.Path)
		}
		if strings.Contains(string(files[bundle.ManifestName]), pw) {
			t.Errorf("manifest.json holds the password of %s", m.Path)
		}
		st, err := keystore.Decode(keystore.Format(m.Type), files[m.Path], pw)
		if err != nil {
			t.Fatalf("%s: %v", m.Path, err)
		}
		if m.Role == gen.RoleTruststore {
			var aliases []string
			for _, tc := range st.Trusted {
				aliases = append(aliases, tc.Alias)
			}
			if strings.Join(aliases, ",") != strings.Join(m.Entries, ",") || len(st.Keys) != 0 {
				t.Errorf("%s: entries %v, manifest says %v", m.Path, aliases, m.Entries)
			}
			continue
		}
		if len(st.Keys) != 1 || st.Keys[0].Alias != m.Role || len(st.Trusted) != 0 {
			t.Fatalf("%s: want one key entry %q, got %+v", m.Path, m.Role, st)
		}
		cert := st.Keys[0].Chain[0]
		sum := sha256.Sum256(cert.Raw)
		if hex.EncodeToString(sum[:]) != m.SHA256 {
			t.Errorf("%s: manifest sha256 does not match the certificate", m.Path)
		}
		if m.NotBefore != "2026-03-04T05:01:07Z" {
			t.Errorf("%s: not_before %s, want the injected clock less five minutes", m.Path, m.NotBefore)
		}
	}
	want := map[string]string{
		"default/iam/repository/resources/security/client-truststore.p12":  "apim-primary,iam-internal,iam-primary,shared-tls",
		"default/apim/repository/resources/security/client-truststore.p12": "apim-internal,apim-primary,gateway_certificate_alias,iam-primary,shared-tls",
	}
	for _, m := range manifest.Stores {
		if w, ok := want[m.Path]; ok && strings.Join(m.Entries, ",") != w {
			t.Errorf("%s entries = %v, want %s", m.Path, m.Entries, w)
		}
	}
}

func snippetPassword(tables map[string]any, role string) any {
	if role == gen.RoleTruststore {
		return tables["truststore"].(map[string]any)["password"]
	}
	return tables["keystore"].(map[string]any)[role].(map[string]any)["password"]
}

func TestNewPassword(t *testing.T) {
	seen := map[string]bool{}
	r := testkit.Rand(2)
	for range 200 {
		pw, err := newPassword(r)
		if err != nil {
			t.Fatal(err)
		}
		if len(pw) != passwordLength || strings.Trim(pw, passwordAlphabet) != "" {
			t.Fatalf("password %q: want %d letters and digits", pw, passwordLength)
		}
		if seen[pw] {
			t.Fatal("password repeated")
		}
		seen[pw] = true
	}
	if _, err := newPassword(bytes.NewReader(nil)); err == nil {
		t.Error("an empty random source gave a password")
	}
}
