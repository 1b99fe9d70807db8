package verify

import (
	"fmt"
	"strings"

	"github.com/wso2ks/wso2ks/pkg/keystore"
)

// How a deployment.toml value is resolved as the product resolves it:
// $env{}, $secret{} and $ref{} placeholders ($sys{} is the JVM's), bounded
// in depth and count.

// resolver resolves deployment.toml values as the product does.
type resolver struct {
	p      Product
	o      Options
	doc    map[string]any
	secret func(alias string) (string, error)
	// lookups counts placeholder lookups: $ref chains fan out, so a hostile
	// deployment.toml could otherwise make resolution exponential.
	lookups int
}

// maxLookups bounds the placeholder lookups of one product's configuration.
const maxLookups = 10000

// resolve replaces every placeholder in v. It never puts a password in its error.
func (r *resolver) resolve(v string, depth int) (string, error) {
	var firstErr error
	out := placeholder.ReplaceAllStringFunc(v, func(m string) string {
		sub := placeholder.FindStringSubmatch(m)
		got, err := r.lookup(sub[1], sub[2], depth)
		if err != nil && firstErr == nil {
			firstErr = err
		}
		return got
	})
	return out, firstErr
}

func (r *resolver) lookup(kind, name string, depth int) (string, error) {
	if r.lookups++; r.lookups > maxLookups {
		return "", fmt.Errorf("$%s{%s}: more than %d placeholder lookups; simplify the $ref chains", kind, name, maxLookups)
	}
	switch kind {
	case "env":
		if v, ok := r.p.Passwords[name]; ok {
			return v, nil
		}
		if v, ok := r.o.Getenv(name); ok {
			return v, nil
		}
		return "", fmt.Errorf("$env{%s} is not set", name)
	case "secret":
		if v, ok := r.p.Passwords["WSO2KS_"+strings.ToUpper(name)]; ok {
			return v, nil
		}
		return r.secret(name)
	case "ref":
		if depth > 8 {
			return "", fmt.Errorf("$ref{%s} refers to itself", name)
		}
		i := strings.LastIndexByte(name, '.')
		if i < 0 {
			return "", fmt.Errorf("$ref{%s} names no table key", name)
		}
		t, _ := table(r.doc, name[:i])
		v, ok := stringValue(t, name[i+1:])
		if !ok {
			return "", fmt.Errorf("$ref{%s} is not set in deployment.toml", name)
		}
		return r.resolve(v, depth+1)
	}
	return "", fmt.Errorf("$%s{%s} is resolved by the JVM at start-up; wso2ks cannot check it", kind, name)
}

// tableArray returns the tables of an array of tables such as
// [[keystore.custom]].
func tableArray(doc map[string]any, dotted string) []map[string]any {
	parts := strings.Split(dotted, ".")
	parent, ok := table(doc, strings.Join(parts[:len(parts)-1], "."))
	if !ok {
		return nil
	}
	var out []map[string]any
	switch v := parent[parts[len(parts)-1]].(type) {
	case []any:
		for _, item := range v {
			if t, ok := item.(map[string]any); ok {
				out = append(out, t)
			}
		}
	case []map[string]any:
		out = v
	}
	return out
}

func countRole(stores []*storeConf, role string) int {
	n := 0
	for _, s := range stores {
		if s.Role == role || strings.HasPrefix(s.Role, role+"-") {
			n++
		}
	}
	return n
}

// resolveStore resolves a store's placeholders; false when one does not resolve.
func (c *checker) resolveStore(r *resolver, s *storeConf) bool {
	_, errs := resolveKeys(r, s)
	for _, e := range errs {
		if !isSecretError(e.err) { // secret-decrypts reports it
			c.add(RulePlaceholder, Fail, s.Role, "%s %s: %v", s.Table, e.key, e.err)
		}
	}
	return len(errs) == 0
}

// keyError is one store key whose placeholder does not resolve.
type keyError struct {
	key string
	err error
}

// resolveKeys resolves a store's placeholders key by key and returns the values, with the
// keys that do not resolve. When every key resolves it fills in s's resolved fields.
func resolveKeys(r *resolver, s *storeConf) (map[string]string, []keyError) {
	keys := []string{"file_name", "type", "password", "alias", "key_password"}
	if s.trusts() {
		keys = keys[:3]
	}
	var errs []keyError
	got := map[string]string{}
	for _, k := range keys {
		v, err := r.resolve(s.raw[k], 0)
		if err != nil {
			errs = append(errs, keyError{k, err})
		}
		got[k] = v
	}
	if len(errs) == 0 {
		s.FileName, s.Type = got["file_name"], keystore.Format(strings.ToUpper(got["type"]))
		s.File = storePath(r.p, s.FileName)
		s.Password, s.Alias, s.KeyPassword = got["password"], got["alias"], got["key_password"]
	}
	return got, errs
}
