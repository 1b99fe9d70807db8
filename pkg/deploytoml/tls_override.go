package deploytoml

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pelletier/go-toml/v2/unstable"
	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/gen"
)

// TLSOverride is a key of deployment.toml that chooses the key store a
// listener presents, outside [keystore.tls].
type TLSOverride struct {
	Line, Col int
	Key       string // the full dotted key
	Listener  string // ListenerTomcat, ListenerPassthru, …
	// Setting is the [keystore.tls] key it stands for (file_name, type,
	// password, alias, key_password), or "pem" or "password_file".
	Setting string
	Value   string // the value as written
	// Default: the value is WSO2's own default, which follows [keystore.tls].
	Default bool
	// TomcatBase: a relative file resolves against Tomcat's catalina.base,
	// which wso2server.sh sets to <home>/lib/tomcat (carbon-kernel v4.10.42
	// distribution/kernel/carbon-home/bin/wso2server.sh l.310); otherwise
	// against the home, the server's working directory.
	TomcatBase bool
	path       []string
}

// PEM reports whether the override puts a PEM file in place of a key store.
func (o TLSOverride) PEM() bool { return o.Setting == settingPEM }

// PasswordFile reports whether the override reads a password from a file.
func (o TLSOverride) PasswordFile() bool { return o.Setting == settingPasswordFile }

// TLSOverrides lists the keys of deployment that choose the key store of an
// IS or APIM listener ([keystore.tls] aside), in file order. An empty kind
// means unknown: every table is searched. MI has none: its listener reads
// [transport.http.listener.keystore] itself.
func TLSOverrides(deployment []byte, kind gen.Kind) ([]TLSOverride, error) {
	if kind == gen.MicroIntegrator {
		return nil, nil
	}
	keys, err := tomlKeys(deployment)
	if err != nil {
		return nil, err
	}
	var out []TLSOverride
	for _, k := range keys {
		if k.header {
			continue
		}
		for _, t := range overrideTables {
			if t.apim && kind == gen.IdentityServer || len(k.path) != len(t.path)+1 || !hasPrefix(k.path, t.path) {
				continue
			}
			name := k.path[len(t.path)]
			if t.tomcat {
				name = tomcatName(name, t.keys)
			}
			setting, ok := t.keys[name]
			if !ok {
				continue
			}
			def, hasDefault := t.defaults[name]
			out = append(out, TLSOverride{Line: k.line, Col: k.col, Key: dotted(k.path), Listener: t.listener,
				Setting: setting, Value: k.text, Default: hasDefault && k.kind == unstable.String && k.str == def,
				TomcatBase: t.tomcat, path: k.path})
		}
	}
	return out, nil
}

// tomcatName returns the attribute of keys that Tomcat would set for name.
func tomcatName(name string, keys map[string]string) string {
	for k := range keys {
		if capitalize(k) == capitalize(name) {
			return k
		}
	}
	return name
}

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// checkOverrides refuses a deployment.toml that keeps a listener on another
// store than the [keystore.tls] (or [keystore.primary], its default) the
// snippet sets: keys that choose the store elsewhere and are not WSO2's own
// defaults (TLSOverrides). Keys in tables merge replaces are not counted:
// the snippet's tables take their place. The product is the snippet's, as
// its header names it; a snippet without one is IS or APIM unless it sets
// MI's listener table.
func checkOverrides(d, s *mergeInput, h bundle.SnippetHeader, known bool) error {
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
