package emit

import (
	"bytes"
	"strings"
	"testing"
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
