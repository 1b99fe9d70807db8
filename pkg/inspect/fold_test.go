package inspect

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// TestFoldOnlyPublicCAs: a truststore of public CAs only, folded, prints
// "entries": [] rather than null.
func TestFoldOnlyPublicCAs(t *testing.T) {
	ca := &Certificate{NotAfter: "2030-01-01T00:00:00Z", notAfter: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)}
	kept, f := fold([]Entry{{Alias: "public-a", Kind: KindTrusted, PublicCA: true, Certificate: ca}})
	if f == nil || f.Count != 1 {
		t.Fatalf("folded %+v, want one public CA", f)
	}
	data, err := json.Marshal(Store{Entries: kept})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"entries":[]`) {
		t.Errorf("got %s, want \"entries\":[]", data)
	}
}
