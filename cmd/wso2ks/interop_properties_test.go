package main

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"
)

// interopProperties encodes spec in the java.util.Properties format the checker reads.
func interopProperties(spec interopSpec) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("# wso2ks interop spec, read by testdata/interop/Interop.java\n")
	put := func(key, value string) error {
		if !utf8.ValidString(value) {
			return fmt.Errorf("%s: %q is not valid UTF-8", key, value)
		}
		fmt.Fprintf(&b, "%s=%s\n", interopEscape(key, true), interopEscape(value, false))
		return nil
	}
	putList := func(key string, items []string) error {
		for _, it := range items {
			if it == "" || strings.Contains(it, ",") || strings.TrimSpace(it) != it {
				return fmt.Errorf("%s: %q cannot be a list item (empty, a comma, or surrounding space)", key, it)
			}
		}
		if len(items) == 0 {
			return nil
		}
		return put(key, strings.Join(items, ","))
	}
	putStore := func(prefix string, s interopStore) error {
		if !filepath.IsAbs(s.Path) {
			return fmt.Errorf("%s.path: %q is not an absolute path", prefix, s.Path)
		}
		for _, kv := range [][2]string{{".path", s.Path}, {".type", s.Type}, {".password", s.Password}} {
			if err := put(prefix+kv[0], kv[1]); err != nil {
				return err
			}
		}
		return nil
	}
	for i, s := range spec.Stores {
		prefix := "store." + strconv.Itoa(i)
		if err := putStore(prefix, s); err != nil {
			return nil, err
		}
		if err := put(prefix+".role", s.Role); err != nil {
			return nil, err
		}
		if s.Alias != "" {
			if err := put(prefix+".alias", s.Alias); err != nil {
				return nil, err
			}
		}
		if err := putList(prefix+".entries", s.Entries); err != nil {
			return nil, err
		}
	}
	for i, h := range spec.Handshakes {
		prefix := "handshake." + strconv.Itoa(i)
		if err := putStore(prefix+".server", h.Server); err != nil {
			return nil, err
		}
		if err := putStore(prefix+".client", h.Client); err != nil {
			return nil, err
		}
		if err := putList(prefix+".hosts", h.Hosts); err != nil {
			return nil, err
		}
	}
	return b.Bytes(), nil
}

// interopEscape escapes s as a java.util.Properties key or value, in ASCII (java.util.Properties
// escapes: \\ \t \n \r \f, the separators and comment markers, a leading space in a value, every
// space in a key, and \uXXXX UTF-16 units for anything outside printable ASCII).
func interopEscape(s string, key bool) string {
	var b strings.Builder
	for i, r := range s {
		switch r {
		case '\\':
			b.WriteString(`\\`)
		case '\t':
			b.WriteString(`\t`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\f':
			b.WriteString(`\f`)
		case '=', ':', '#', '!':
			b.WriteByte('\\')
			b.WriteRune(r)
		case ' ':
			if key || i == 0 {
				b.WriteByte('\\')
			}
			b.WriteByte(' ')
		default:
			if r < 0x20 || r > 0x7e {
				for _, u := range utf16.Encode([]rune{r}) {
					fmt.Fprintf(&b, `\u%04X`, u)
				}
			} else {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}

func TestInteropPropertiesEscaping(t *testing.T) {
	tests := []struct {
		name  string
		value string
		key   bool
		want  string
	}{
		{"plain", "/tmp/a/b.p12", false, "/tmp/a/b.p12"},
		{"separators and comments", `p:w=d#x!y`, false, `p\:w\=d\#x\!y`},
		{"backslash", `a\b`, false, `a\\b`},
		{"leading space kept", "  two", false, `\  two`},
		{"inner space", "a b", false, "a b"},
		{"space in key", "a b", true, `a\ b`},
		{"controls", "a\tb\nc\rd\fe", false, `a\tb\nc\rd\fe`},
		{"non-ASCII", "dé", false, `d\u00E9`},
		{"outside the BMP", "🔑", false, `\uD83D\uDD11`},
		{"DEL", "\x7f", false, `\u007F`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := interopEscape(tt.value, tt.key); got != tt.want {
				t.Errorf("interopEscape(%q, %v) = %s, want %s", tt.value, tt.key, got, tt.want)
			}
		})
	}
}

func TestInteropPropertiesErrors(t *testing.T) {
	store := interopStore{Path: "/x.p12", Type: "PKCS12", Password: "secret", Role: "truststore"}
	tests := []struct {
		name string
		spec interopSpec
		want string
	}{
		{"relative path", interopSpec{Stores: []interopStore{{Path: "x.p12"}}},
			`store.0.path: "x.p12" is not an absolute path`},
		{"comma in an alias", interopSpec{Stores: []interopStore{{Path: "/x.p12", Entries: []string{"a,b"}}}},
			`store.0.entries: "a,b" cannot be a list item (empty, a comma, or surrounding space)`},
		{"invalid UTF-8", interopSpec{Stores: []interopStore{{Path: "/x\xff.p12"}}},
			`store.0.path: "/x\xff.p12" is not valid UTF-8`},
		{"empty host", interopSpec{Handshakes: []interopHandshake{{Server: store, Client: store, Hosts: []string{""}}}},
			`handshake.0.hosts: "" cannot be a list item (empty, a comma, or surrounding space)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := interopProperties(tt.spec)
			if err == nil || err.Error() != tt.want {
				t.Errorf("interopProperties() error = %v, want %s", err, tt.want)
			}
		})
	}
}
