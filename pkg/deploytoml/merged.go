package deploytoml

import (
	"errors"
	"fmt"
	"math"
	"reflect"

	"github.com/pelletier/go-toml/v2"
)

// Checking what a merge made before it is returned: a failure here is a
// bug in the splice, never the user's mistake.

// verifyMerge decodes the result and checks it against both inputs. A
// failure here is a bug in the splice, not the user's mistake.
func verifyMerge(d, s *mergeInput, key keyPlan, merged []byte) error {
	var got map[string]any
	if err := toml.Unmarshal(merged, &got); err != nil {
		return fmt.Errorf("merge: the result does not decode, nothing was written (a wso2ks bug): %w", err)
	}
	gotEnc, wantEnc := got["encryption"], expectedEncryption(d.values, s.values, key)
	delete(got, "encryption")
	gotOwned, gotRest, gotSecrets := splitOwned(got)
	wantOwned, _, snipSecrets := splitOwned(s.values)
	_, wantRest, wantSecrets := splitOwned(d.values)
	delete(wantRest, "encryption")
	if m, ok := snipSecrets.(map[string]any); ok && key.skip != "" {
		snipSecrets = withoutKey(m, key.skip)
	}
	wantSecrets = overlay(wantSecrets, snipSecrets)
	switch {
	case !sameValue(gotEnc, wantEnc):
		return errors.New("merge: the result's [encryption] is not the deployment's overlaid with the snippet's, nothing was written (a wso2ks bug)")
	case !sameValue(prune(gotOwned), prune(wantOwned)):
		return errors.New("merge: the result's keystore tables differ from the snippet's, nothing was written (a wso2ks bug)")
	case !sameValue(prune(gotRest), prune(wantRest)):
		return errors.New("merge: the result changed tables merge does not own, nothing was written (a wso2ks bug)")
	case !sameValue(gotSecrets, wantSecrets):
		return errors.New("merge: the result's [secrets] are not the deployment's overlaid with the snippet's, nothing was written (a wso2ks bug)")
	}
	return nil
}

// splitOwned parts a decoded document into its owned tables, [secrets] and
// the rest.
func splitOwned(m map[string]any) (owned, rest map[string]any, secrets any) {
	owned, rest = map[string]any{}, map[string]any{}
	var walk func(path []string, m map[string]any)
	walk = func(path []string, m map[string]any) {
		for k, v := range m {
			p := append(append([]string(nil), path...), k)
			sub, isMap := v.(map[string]any)
			switch {
			case len(p) == 1 && k == "secrets":
				secrets = v
			case ownedTable(p) != nil:
				setPath(owned, p, v)
			case aboveOwned(p) && isMap:
				walk(p, sub)
			default:
				setPath(rest, p, v)
			}
		}
	}
	walk(nil, m)
	return owned, rest, secrets
}

func setPath(m map[string]any, path []string, v any) {
	for _, k := range path[:len(path)-1] {
		sub, ok := m[k].(map[string]any)
		if !ok {
			sub = map[string]any{}
			m[k] = sub
		}
		m = sub
	}
	m[path[len(path)-1]] = v
}

// overlay returns base with top's keys laid over it, tables merged deeply.
func overlay(base, top any) any {
	b, ok1 := base.(map[string]any)
	t, ok2 := top.(map[string]any)
	if !ok1 || !ok2 {
		if top == nil {
			return base
		}
		return top
	}
	out := map[string]any{}
	for k, v := range b {
		out[k] = v
	}
	for k, v := range t {
		out[k] = overlay(b[k], v)
	}
	return out
}

// prune drops empty tables, which removing owned tables may leave behind
// ([transport.http.listener] once its keystore is gone).
func prune(v any) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	out := map[string]any{}
	for k, sub := range m {
		sub = prune(sub)
		if sm, ok := sub.(map[string]any); ok && len(sm) == 0 {
			continue
		}
		out[k] = sub
	}
	return out
}

// sameValue is reflect.DeepEqual for decoded TOML, with nan equal to nan.
func sameValue(a, b any) bool {
	switch a := a.(type) {
	case map[string]any:
		b, ok := b.(map[string]any)
		if !ok || len(a) != len(b) {
			return false
		}
		for k, v := range a {
			w, ok := b[k]
			if !ok || !sameValue(v, w) {
				return false
			}
		}
		return true
	case []any:
		b, ok := b.([]any)
		if !ok || len(a) != len(b) {
			return false
		}
		for i := range a {
			if !sameValue(a[i], b[i]) {
				return false
			}
		}
		return true
	case float64:
		b, ok := b.(float64)
		return ok && (a == b || math.IsNaN(a) && math.IsNaN(b))
	}
	return reflect.DeepEqual(a, b)
}

func withoutKey(m map[string]any, key string) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		if k != key {
			out[k] = v
		}
	}
	return out
}
