package emit

import (
	"fmt"
	"strings"

	"github.com/wso2ks/wso2ks/pkg/gen"
)

// checkOverrides refuses a deployment.toml that keeps a listener on another
// store than the [keystore.tls] (or [keystore.primary], its default) the
// snippet sets: keys that choose the store elsewhere and are not WSO2's own
// defaults (TLSOverrides). Keys in tables merge replaces are not counted:
// the snippet's tables take their place. The product is the snippet's, as
// its header names it; a snippet without one is IS or APIM unless it sets
// MI's listener table.
func checkOverrides(d, s *mergeInput, h SnippetHeader, known bool) error {
	_, tls := lookupTable(s.values, "keystore", "tls")
	_, primary := lookupTable(s.values, "keystore", "primary")
	if !tls && !primary {
		return nil
	}
	kind := h.Kind
	if !known {
		kind = ""
		if _, ok := lookupTable(s.values, "transport", "http", "listener", "keystore"); ok {
			kind = gen.MicroIntegrator
		}
	}
	all, err := TLSOverrides(d.src, kind)
	if err != nil {
		return nil // loadMergeInput has parsed it already
	}
	var refused []TLSOverride
	for _, o := range all {
		if !o.Default && ownedTable(o.path) == nil {
			refused = append(refused, o)
		}
	}
	if len(refused) == 0 {
		return nil
	}
	return &MergeError{"deployment", refused[0].Line, refused[0].Col, overrideMessage(refused)}
}

// lookupTable returns the table at path of a decoded document.
func lookupTable(doc map[string]any, path ...string) (map[string]any, bool) {
	for _, k := range path {
		next, ok := doc[k].(map[string]any)
		if !ok {
			return nil, false
		}
		doc = next
	}
	return doc, true
}

// overrideMessage is merge's refusal of the overrides that are not WSO2's
// defaults: the first by name, the others by place.
func overrideMessage(overrides []TLSOverride) string {
	first := overrides[0]
	var what string
	switch {
	case first.PEM():
		what = fmt.Sprintf("makes %s present a PEM file in place of the [keystore.tls] store merge writes", first.Listener)
	default:
		what = fmt.Sprintf("sets the %s of the store %s presents, and wins over the [keystore.tls] merge writes (WSO2 fills in only keys left unset)", first.Setting, first.Listener)
	}
	var also []string
	for _, o := range overrides[1:] {
		also = append(also, fmt.Sprintf("%s at %d:%d", o.Key, o.Line, o.Col))
	}
	del := "delete it"
	if len(also) > 0 {
		del = fmt.Sprintf("delete it and %s", strings.Join(also, ", "))
	}
	return fmt.Sprintf("key %s %s; %s so the server follows [keystore.tls], and merge again", first.Key, what, del)
}
