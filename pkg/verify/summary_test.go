package verify

import (
	"encoding/json"
	"testing"
)

// TestTally: the summary counts every severity, and the products count theirs in the order
// of each product's first finding, instances under one label together.
func TestTally(t *testing.T) {
	r := &Report{Findings: []Finding{
		{Product: "dev/iam", Target: "ks", Severity: Pass},
		{Product: "dev/iam", Target: "ks", Severity: Warn},
		{Product: "dev/apim", Target: "ks", Severity: Fail},
		{Product: "dev/apim", Target: "ks", Severity: Skip},
		{Product: "dev/iam", Target: "ks2", Severity: Pass},
		{Product: "dev/iam", Target: "ks, ks2", Severity: Fail},
	}}
	r.Tally()
	data, err := json.Marshal(struct {
		Summary  Summary          `json:"summary"`
		Products []ProductSummary `json:"products"`
	}{r.Summary, r.Products})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"summary":{"pass":2,"warn":1,"fail":2,"skip":1},"products":[{"product":"dev/iam","pass":2,"warn":1,"fail":1,"skip":0},{"product":"dev/apim","pass":0,"warn":0,"fail":1,"skip":1}]}`
	if string(data) != want {
		t.Errorf("got  %s\nwant %s", data, want)
	}
	if !r.Failed() {
		t.Error("Failed() is false with two FAILs")
	}
	// Tally starts again: twice is once.
	r.Tally()
	if r.Summary.Pass != 2 || len(r.Products) != 2 {
		t.Errorf("a second Tally counted again: %+v", r.Summary)
	}
	// A SKIP alone does not fail the report.
	r = &Report{Findings: []Finding{{Product: "x", Severity: Skip}}}
	r.Tally()
	if r.Failed() {
		t.Error("Failed() is true with a SKIP alone")
	}
}
