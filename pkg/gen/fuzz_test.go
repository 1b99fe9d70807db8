package gen

import (
	"errors"
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/pkg/infile"
)

// FuzzLoad feeds arbitrary documents to the loader. Whatever the bytes, Load
// must not panic, must fail only with a one-line *InputError, and what it
// accepts must plan. The seed corpus in testdata/fuzz/FuzzLoad holds the
// examples, the default topology and broken documents.
func FuzzLoad(f *testing.F) {
	f.Add(DefaultTopology())
	errNoFiles := errors.New("open: no files while fuzzing")
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := Load(Source{
			Name:     "topology.toml",
			Data:     data,
			ReadFile: func(string, infile.Kind) ([]byte, error) { return nil, errNoFiles },
			Dir:      "conf",
		})
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error is a %T, not an *InputError: %v", err, err)
			}
			if !errors.Is(err, ErrInput) {
				t.Fatalf("errors.Is(%v, ErrInput) = false", err)
			}
			if msg := err.Error(); strings.ContainsAny(msg, "\r\n") {
				t.Fatalf("error is not one line: %q", msg)
			}
			if ie.File != "topology.toml" {
				t.Fatalf("error names file %q: %v", ie.File, err)
			}
			return
		}
		if len(cfg.Products) == 0 || len(cfg.Environments) == 0 {
			t.Fatalf("Load accepted %d products in %d environments", len(cfg.Products), len(cfg.Environments))
		}
		if _, err := cfg.Plan(nil); err != nil {
			t.Fatalf("Load accepted the topology but Plan failed: %v", err)
		}
	})
}
