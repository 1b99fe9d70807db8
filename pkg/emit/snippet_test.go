package emit

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pelletier/go-toml/v2"
	"github.com/wso2ks/wso2ks/pkg/gen"
	"github.com/wso2ks/wso2ks/pkg/infile"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	file := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it):\n%s", file, lineDiff(string(want), string(got)))
	}
}

// lineDiff shows the first lines where want and got part.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < max(len(w), len(g)) && shown < 10; i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			fmt.Fprintf(&b, "line %d:\n- %s\n+ %s\n", i+1, wl, gl)
			shown++
		}
	}
	return b.String()
}

func loadPlan(t *testing.T, file string) *gen.Plan {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return planSource(t, gen.Source{Name: file, Data: data, ReadFile: infile.Read, Dir: filepath.Dir(file)})
}

// planSource loads and plans every environment of a topology.
func planSource(t *testing.T, src gen.Source) *gen.Plan {
	t.Helper()
	cfg, err := gen.Load(src)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := cfg.Plan(nil)
	if err != nil {
		t.Fatal(err)
	}
	return plan
}

func TestSnippetGolden(t *testing.T) {
	plan := loadPlan(t, "testdata/snippets.toml")
	for _, env := range plan.Environments {
		for i := range env.Products {
			p := &env.Products[i]
			t.Run(env.Name+"/"+p.Name, func(t *testing.T) {
				got, err := Snippet(env.Name, p, func(s *gen.Store) string { return "pw-" + s.PasswordVar })
				if err != nil {
					t.Fatal(err)
				}
				golden(t, "snippets/"+env.Name+"-"+p.Name+".toml", got)
			})
		}
	}
}

// TestSnippetTables checks the decoded tables, not only the text.
func TestSnippetTables(t *testing.T) {
	plan := loadPlan(t, "testdata/snippets.toml")
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

func TestTOMLString(t *testing.T) {
	for in, want := range map[string]string{
		`plain`:       `"plain"`,
		`q"uote`:      `"q\"uote"`,
		`back\slash`:  `"back\\slash"`,
		"tab\tnl\n":   `"tab\tnl\n"`,
		"bell\a\x7f":  `"bell\u0007\u007F"`,
		"$env{X_Y}":   `"$env{X_Y}"`,
		"unicode é ✓": `"unicode é ✓"`,
	} {
		if got := tomlString(in); got != want {
			t.Errorf("tomlString(%q) = %s, want %s", in, got, want)
		}
		var v struct{ S string }
		if err := toml.Unmarshal([]byte("S = "+tomlString(in)), &v); err != nil || v.S != in {
			t.Errorf("tomlString(%q) does not round-trip: %q, %v", in, v.S, err)
		}
	}
}
