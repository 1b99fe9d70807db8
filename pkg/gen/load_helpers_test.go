package gen

import (
	"io/fs"
	"os"
	"path"
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/pkg/infile"
)

// topoBase is a complete, valid topology of seven lines: topoSubject (lines
// 1-2) and topoProduct (lines 3-7). Cases append to it, so that their own
// lines start at line 8.
const (
	topoSubject = "[subject]\norganization = \"Example Corp\"\n"
	topoProduct = "[[product]]\nname = \"iam\"\nkind = \"wso2is\"\nversion = \"7.1.0\"\nhostnames = [\"iam.example.com\"]\n"
	topoBase    = topoSubject + topoProduct
)

// topoWithLine is topoBase with line n (4 name, 5 kind, 6 version, 7
// hostnames) replaced; an empty replacement drops the line.
func topoWithLine(n int, replacement string) string {
	lines := strings.SplitAfter(topoBase, "\n")
	lines[n-1] = replacement
	if replacement != "" {
		lines[n-1] += "\n"
	}
	return strings.Join(lines, "")
}

// fakeTopologyFiles reads the files a topology in conf/ names, from testdata.
func fakeTopologyFiles(t *testing.T) func(string, infile.Kind) ([]byte, error) {
	t.Helper()
	files := map[string][]byte{}
	for _, name := range []string{"ca.pem", "no-cert.pem", "corrupt.pem"} {
		data, err := os.ReadFile(path.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		files[path.Join("conf", name)] = data
	}
	return func(name string, _ infile.Kind) ([]byte, error) {
		if data, ok := files[name]; ok {
			return data, nil
		}
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
}

func loadExampleTopology(t *testing.T, name string) *Config {
	t.Helper()
	file := path.Join("../../examples", name)
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(Source{Name: file, Data: data, ReadFile: infile.Read, Dir: "../../examples"})
	if err != nil {
		t.Fatalf("Load(%s): %v", file, err)
	}
	return cfg
}

func mustPlan(t *testing.T, cfg *Config) *Plan {
	t.Helper()
	plan, err := cfg.Plan(nil)
	if err != nil {
		t.Fatalf("Plan: %v", err)
	}
	return plan
}

func planEnvNames(p *Plan) []string {
	var names []string
	for _, e := range p.Environments {
		names = append(names, e.Name)
	}
	return names
}

func findProduct(t *testing.T, e *Environment, name string) *Product {
	t.Helper()
	for i := range e.Products {
		if e.Products[i].Name == name {
			return &e.Products[i]
		}
	}
	t.Fatalf("environment %s has no product %s", e.Name, name)
	return nil
}

func mustStore(t *testing.T, p *Product, role string) *Store {
	t.Helper()
	s := p.Store(role)
	if s == nil {
		t.Fatalf("%s has no %s store", p.Dir, role)
	}
	return s
}

func entryAliases(s *Store) []string {
	var out []string
	for _, e := range s.Entries {
		out = append(out, e.Alias)
	}
	return out
}

func storeRoles(p *Product) []string {
	var out []string
	for _, s := range p.Stores {
		out = append(out, s.Role)
	}
	return out
}

// nonPublicAliases are a truststore's entries that are not public CAs.
func nonPublicAliases(s *Store) []string {
	var out []string
	for _, a := range entryAliases(s) {
		if !strings.HasPrefix(a, "public-") {
			out = append(out, a)
		}
	}
	return out
}

func countPublicCAs(s *Store) int {
	return len(entryAliases(s)) - len(nonPublicAliases(s))
}
