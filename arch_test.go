package wso2ks_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/wso2ks/wso2ks"

// layers is the package map (docs/architecture.md): each package of the
// module and the packages of the module it may import. Data flows down: the
// CLI calls the lifecycle, which calls the builder and the bundle store,
// which call the codecs and certs; nothing imports what is above it. A
// package missing here fails the test, so that the map stays whole.
var layers = map[string][]string{
	"pkg/certs":    nil,
	"pkg/infile":   nil,
	"pkg/lock":     nil,
	"pkg/keystore": {"pkg/certs"},
	// gen reads keytool's minimum password length from keystore.
	"pkg/gen":        {"pkg/certs", "pkg/infile", "pkg/keystore"},
	"pkg/bundle":     {"pkg/gen", "pkg/keystore", "pkg/infile", "internal/crashpoint"},
	"pkg/deploytoml": {"pkg/bundle", "pkg/keystore", "pkg/gen"},
	"pkg/emit":       {"pkg/gen", "pkg/certs", "pkg/keystore", "pkg/bundle", "templates"},
	"pkg/k8s":        {"pkg/bundle", "pkg/gen"},
	"pkg/helm":       {"pkg/bundle", "pkg/gen", "pkg/k8s"},
	"pkg/inspect":    {"pkg/keystore"},
	"pkg/lifecycle":  {"pkg/emit", "pkg/bundle", "pkg/keystore", "pkg/gen", "pkg/certs"},
	"pkg/verify":     {"pkg/keystore", "pkg/bundle", "pkg/deploytoml", "pkg/gen", "pkg/infile", "pkg/certs"},
	"templates":      nil,
	"docs":           nil,
	// The JSON Schemas of every --output json (docs/schemas), embedded for tests.
	"docs/schemas":        nil,
	"cmd/wso2ks/cli":      {"pkg/*", "internal/crashpoint", "docs"},
	"cmd/wso2ks":          {"cmd/wso2ks/cli"},
	"internal/crashpoint": nil,
	// The test helpers: only tests import them.
	"internal/testca":  nil,
	"internal/testkit": {"pkg/bundle", "pkg/gen", "pkg/keystore", "internal/testca"},
}

// TestLayers fails when a package imports a package of the module that
// layers does not allow it, and when a package is not in layers. Test
// files may import more (a package's tests may build what they read with
// the package above it), but never the test helpers from outside a test.
func TestLayers(t *testing.T) {
	imports := moduleImports(t)
	var dirs []string
	for dir := range imports {
		dirs = append(dirs, dir)
	}
	sort.Strings(dirs)
	for _, dir := range dirs {
		allowed, known := layers[dir]
		if !known {
			t.Errorf("%s is not in the package map: add it to layers in arch_test.go and to docs/architecture.md", dir)
			continue
		}
		for _, imp := range imports[dir] {
			if !allows(allowed, imp) {
				t.Errorf("%s imports %s, which the package map does not allow (it may import: %s)", dir, imp, strings.Join(allowed, ", "))
			}
		}
	}
	for dir := range layers {
		if _, ok := imports[dir]; !ok {
			t.Errorf("layers names %s, which holds no Go package", dir)
		}
	}
}

func allows(allowed []string, imp string) bool {
	for _, a := range allowed {
		if a == imp || strings.HasSuffix(a, "/*") && strings.HasPrefix(imp, strings.TrimSuffix(a, "*")) && !strings.HasPrefix(imp, "internal/test") {
			return true
		}
	}
	return false
}

// moduleImports returns, by package directory relative to the module, the
// packages of the module its non-test files import (of every operating
// system: build constraints are not applied).
func moduleImports(t *testing.T) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); p != "." && (strings.HasPrefix(name, ".") || name == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		dir := filepath.ToSlash(filepath.Dir(p))
		if _, ok := out[dir]; !ok {
			out[dir] = nil
		}
		for _, spec := range f.Imports {
			path, _ := strconv.Unquote(spec.Path.Value)
			rel, ok := strings.CutPrefix(path, module+"/")
			if ok && !slices.Contains(out[dir], rel) {
				out[dir] = append(out[dir], rel)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestLayersCatchUpwardImports checks that the check fails where it must:
// a codec importing the builder, the builder importing the lifecycle.
func TestLayersCatchUpwardImports(t *testing.T) {
	for _, tc := range []struct{ dir, imp string }{
		{"pkg/keystore", "pkg/bundle"},
		{"pkg/emit", "pkg/lifecycle"},
		{"pkg/bundle", "pkg/emit"},
		{"pkg/k8s", "pkg/emit"},
		{"pkg/gen", "pkg/bundle"},
		{"cmd/wso2ks/cli", "internal/testkit"},
	} {
		if allows(layers[tc.dir], tc.imp) {
			t.Errorf("%s may import %s", tc.dir, tc.imp)
		}
	}
	if _, err := os.Stat("go.mod"); err != nil {
		t.Fatalf("the test runs from the module root: %v", err)
	}
}
