package k8s

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/wso2ks/wso2ks/internal/testkit"
	"sigs.k8s.io/yaml"
)

// TestYAMLLongKey: a key of up to 1024 characters quoted stands before
// ": "; a longer one takes the explicit "? " form, which parsers read back
// (FuzzK8sYAMLScalars found the limit; its corpus holds both sides).
func TestYAMLLongKey(t *testing.T) {
	for _, tt := range []struct {
		key  string
		want string
	}{
		{strings.Repeat("k", 1022), "  \"" + strings.Repeat("k", 1022) + "\": \"v\"\n"},
		{strings.Repeat("k", 1023), "  ? \"" + strings.Repeat("k", 1023) + "\"\n  : \"v\"\n"},
	} {
		var b bytes.Buffer
		yamlEntry(&b, "  ", tt.key, "\"v\"\n")
		if b.String() != tt.want {
			t.Errorf("key of %d: got %.40q…, want %.40q…", len(tt.key), b.String(), tt.want)
		}
		checkYAMLRoundTrip(t, tt.key)
	}
}

// yamlCases are strings that trip up hand-written YAML.
var yamlCases = []string{
	"", "a", "a\n", "a\n\n", "a\n\n\n", "\na\n", "\n\n", "  lead\n", "trail \n", " ", "tab\there\n",
	"crlf\r\n", "# comment\n", "key: value\n", "- item\n", "---\n...\n", "é ü 日本\n", "\u2028\n", "\u0085x",
	"\x00\x7f", "\"quoted\" \\ back\n", "|\n", ">\n", "a\n b\n", "%YAML 1.2\n", "@x\n", "`x\n", "true", "null",
	"~", "1e3", "0x1F", "yes", "-", ".inf", "&a *a !!str", "{[]}", "\ufeffbom\n", "\x1b[31m", "\uffff", "\U0001F600\n",
}

// TestK8sYAMLScalars round-trips awkward keys and values through the YAML
// writer and the reader kubectl uses.
func TestK8sYAMLScalars(t *testing.T) {
	for _, s := range yamlCases {
		checkYAMLRoundTrip(t, s)
	}
}

func FuzzK8sYAMLScalars(f *testing.F) {
	for _, s := range yamlCases {
		f.Add(s)
	}
	f.Fuzz(checkYAMLRoundTrip)
}

func checkYAMLRoundTrip(t *testing.T, s string) {
	if !utf8.ValidString(s) {
		t.Skip("the writer is given UTF-8 only")
	}
	for _, kind := range []string{"ConfigMap", "Secret"} {
		o := &k8sObject{kind: kind, name: "n", comment: "c", labels: map[string]string{s: s}, data: map[string][]byte{s: []byte(s), "k": []byte(s)}}
		out := o.yaml("ns")
		var doc testkit.K8sDoc
		if err := yaml.UnmarshalStrict(out, &doc); err != nil {
			t.Fatalf("%s of %q does not decode: %v\n%s", kind, s, err, out)
		}
		got := doc.Data["k"]
		if kind == "Secret" {
			raw, _ := base64.StdEncoding.DecodeString(got)
			got = string(raw)
		}
		if got != s || doc.Metadata.Labels[s] != s {
			t.Errorf("%s: %q came back as %q (label %q)\n%s", kind, s, got, doc.Metadata.Labels[s], out)
		}
	}
}
