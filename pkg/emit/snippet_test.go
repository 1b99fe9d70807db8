package emit

import (
	"path/filepath"
	"testing"

	"github.com/pelletier/go-toml/v2"
	"github.com/wso2ks/wso2ks/internal/testkit"
	"github.com/wso2ks/wso2ks/pkg/gen"
)

func TestSnippetGolden(t *testing.T) {
	plan := testkit.Plan(t, testkit.Snippets)
	for _, env := range plan.Environments {
		for i := range env.Products {
			p := &env.Products[i]
			t.Run(env.Name+"/"+p.Name, func(t *testing.T) {
				got, err := Snippet(env.Name, p, func(s *gen.Store) string { return "pw-" + s.PasswordVar })
				if err != nil {
					t.Fatal(err)
				}
				testkit.Golden(t, filepath.Join("testdata", "snippets", env.Name+"-"+p.Name+".toml"), got)
			})
		}
	}
}

// TestSnippetTables checks the decoded tables, not only the text.
func TestSnippetTables(t *testing.T) {
	plan := testkit.Plan(t, testkit.Snippets)
	products := plan.Environments[0].Products
	decode := func(p *gen.Product) map[string]any {
		got, err := Snippet("plain", p, func(s *gen.Store) string { return `a"b\c` })
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := toml.Unmarshal(got, &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	is71 := decode(&products[0])
	ks := is71["keystore"].(map[string]any)
	if pw := ks["tls"].(map[string]any)["password"]; pw != `a"b\c` {
		t.Errorf("password did not survive TOML escaping: %q", pw)
	}
	if fn := ks["primary"].(map[string]any)["file_name"]; fn != "primary.p12" {
		t.Errorf("IS file_name = %q, want a bare file name", fn)
	}
	if got := ks["mapping"].(map[string]any)["ws_trust"].(map[string]any)["keystore_file_name"]; got != "wssec.p12" {
		t.Errorf("ws_trust mapping = %v", got)
	}
	is70 := decode(&products[1])
	if _, ok := is70["keystore"].(map[string]any)["internal"]; ok {
		t.Error("separate_internal = false still wrote [keystore.internal]")
	}
	mi := decode(&products[3])
	if _, ok := mi["keystore"].(map[string]any)["tls"]; ok {
		t.Error("MI snippet has [keystore.tls], which MI does not read")
	}
	listener := mi["transport"].(map[string]any)["http"].(map[string]any)["listener"].(map[string]any)["keystore"].(map[string]any)
	if listener["location"] != "repository/resources/security/tls.jks" || listener["key_alias"] != "tls" {
		t.Errorf("MI listener keystore = %v", listener)
	}
	mi41 := decode(&products[4])
	listener = mi41["transport"].(map[string]any)["http"].(map[string]any)["listener"].(map[string]any)["keystore"].(map[string]any)
	if _, ok := listener["key_alias"]; ok {
		t.Error("MI 4.1 got key_alias, which it does not read")
	}
}
