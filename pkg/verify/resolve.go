package verify

import (
	"fmt"
	"strings"
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
