package gen

import (
	"slices"
	"strings"
	"testing"
)

// TestLoadErrorsDeterministic loads topologies with several mistakes many
// times: the loader must report the first one in the file every time.
func TestLoadErrorsDeterministic(t *testing.T) {
	for _, c := range []struct{ name, doc, want string }{
		{
			name: "subject",
			doc: topoSubject + "locality = \"Colo\\tmbo\"\nstate = \"West\\nern\"\n" +
				topoProduct,
			want: "topology.toml:3:1: [subject] locality must be at most 64 printable characters",
		},
		{
			name: "environments",
			doc:  topoBase + "[environment.dev]\n[environment.d-]\n[environment.c-]\n[environment.b-]\n[environment.a-]\n",
			want: "topology.toml:9:2: environment name \"d-\" must start with a lower-case letter and hold only lower-case letters, digits and '-' (not at the end)",
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			for i := 0; i < 50; i++ {
				_, err := Load(Source{Name: "topology.toml", Data: []byte(c.doc)})
				if err == nil {
					t.Fatal("Load succeeded")
				}
				if err.Error() != c.want {
					t.Fatalf("run %d: got %q, want %q", i, err, c.want)
				}
			}
		})
	}
}

func TestEnvironmentOrder(t *testing.T) {
	for _, c := range []struct {
		name, envs string
		want       []string
	}{
		{"none", "", []string{"default"}},
		{"tables", "[environment.prod]\n[environment.dev]\n[environment.qa]\n", []string{"prod", "dev", "qa"}},
		{"inline table", "environment = { prod = {}, dev = {}, qa = {} }\n", []string{"prod", "dev", "qa"}},
		{"sub-tables", "[environment]\nprod = {}\ndev = {}\n", []string{"prod", "dev"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			// Top-level keys go before the first table.
			doc := topoBase
			if strings.HasPrefix(c.envs, "environment =") {
				doc = c.envs + topoBase
			} else {
				doc += c.envs
			}
			cfg, err := Load(Source{Name: "topology.toml", Data: []byte(doc)})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range cfg.Environments {
				got = append(got, e.Name)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("environments %q, want %q (file order)", got, c.want)
			}
		})
	}
}
