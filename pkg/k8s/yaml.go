package k8s

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// yaml renders o. Every key and value that comes from data is a quoted YAML
// scalar; Secret data is base64 on one line; maps are in key order.
func (o *k8sObject) yaml(namespace string) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# wso2ks: %s\napiVersion: v1\nkind: %s\nmetadata:\n  name: %s\n", o.comment, o.kind, yamlQuote(o.name))
	if namespace != "" {
		fmt.Fprintf(&b, "  namespace: %s\n", yamlQuote(namespace))
	}
	b.WriteString("  labels:\n")
	for _, k := range sortedKeys(o.labels) {
		yamlEntry(&b, "    ", k, yamlQuote(o.labels[k])+"\n")
	}
	if o.kind == "Secret" {
		b.WriteString("type: Opaque\n")
	}
	b.WriteString("data:\n")
	for _, k := range sortedKeys(o.data) {
		if o.kind == "Secret" {
			yamlEntry(&b, "  ", k, yamlQuote(base64.StdEncoding.EncodeToString(o.data[k]))+"\n")
		} else {
			yamlEntry(&b, "  ", k, yamlText(string(o.data[k]), "    "))
		}
	}
	return b.Bytes()
}

// yamlMaxImplicitKey is the longest key YAML lets stand before ": ": an
// implicit key is at most 1024 Unicode characters (YAML 1.2.2, section
// 7.4.2), and parsers stop looking for the ':' after that. Counted in
// bytes, which are never fewer.
const yamlMaxImplicitKey = 1024

// yamlEntry writes one entry of a block mapping at indent: key, quoted,
// and value, already rendered and ending in a newline. A key too long to
// stand before ": " takes YAML's explicit form, "? key" then ": value".
// wso2ks's own keys (labels, file names) are short; this keeps any key
// valid YAML.
func yamlEntry(b *bytes.Buffer, indent, key, value string) {
	q := yamlQuote(key)
	if len(q) <= yamlMaxImplicitKey {
		fmt.Fprintf(b, "%s%s: %s", indent, q, value)
		return
	}
	fmt.Fprintf(b, "%s? %s\n%s: %s", indent, q, indent, value)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// yamlQuote writes s as a double-quoted YAML scalar, which YAML 1.1 and 1.2
// parsers read back as the same string whatever it holds.
func yamlQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case yamlPlain(r):
			b.WriteRune(r)
		case r <= 0xff:
			fmt.Fprintf(&b, `\x%02X`, r)
		default:
			fmt.Fprintf(&b, `\u%04X`, r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// yamlPlain reports whether r may stand as itself in YAML text: printable
// (YAML 1.2 §5.1) and not what YAML 1.1 reads as a line break, nor a byte
// order mark.
func yamlPlain(r rune) bool {
	switch {
	case r == 0x85, r == 0x2028, r == 0x2029, r == 0xfeff, r == utf8.RuneError:
		return false
	case r >= 0x20 && r <= 0x7e, r >= 0xa0 && r <= 0xd7ff, r >= 0xe000 && r <= 0xfffd, r >= 0x10000:
		return true
	}
	return false
}

// yamlText writes multi-line text as a literal block scalar (readable in
// `kubectl get -o yaml` and in a diff) when it can be read back exactly,
// with the chomping indicator that keeps its trailing newlines, and as a
// quoted scalar otherwise. The result ends with a newline.
func yamlText(s, indent string) string {
	if !blockSafe(s) {
		return yamlQuote(s) + "\n"
	}
	body := strings.TrimRight(s, "\n")
	chomp := "" // clip: exactly one trailing newline
	switch n := len(s) - len(body); {
	case n == 0:
		chomp = "-"
	case n > 1:
		chomp = "+"
	}
	var b strings.Builder
	b.WriteString("|" + chomp + "\n")
	for _, line := range strings.Split(body, "\n") {
		if line != "" {
			b.WriteString(indent + line)
		}
		b.WriteByte('\n')
	}
	b.WriteString(strings.Repeat("\n", max(len(s)-len(body)-1, 0)))
	return b.String()
}

// blockSafe: printable text whose lines neither start (the first one) nor
// end with a blank, so that indentation and chomping give it back as it is.
func blockSafe(s string) bool {
	body := strings.TrimLeft(s, "\n")
	if strings.TrimSpace(s) == "" || strings.HasPrefix(body, " ") {
		return false
	}
	for _, line := range strings.Split(s, "\n") {
		if strings.HasSuffix(line, " ") {
			return false
		}
		for _, r := range line {
			if !yamlPlain(r) {
				return false
			}
		}
	}
	return true
}
