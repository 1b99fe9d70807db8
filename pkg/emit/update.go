package emit

import (
	"bytes"
	"slices"
	"strings"

	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/gen"
)

// Update builds plan into the bundle prior was read from, following r (the
// Reconcile of plan against prior): kept keys, certificates, passwords and
// unchanged files' bytes stay; what the plan dropped goes; files the old
// bundle did not write itself (DIR/k8s, a CSR) are kept unless the new
// bundle writes the same path. It reports whether any file differs from
// what the directory holds: when none does, there is nothing to write.
func Update(plan *gen.Plan, r *Reconciliation, opt BuildOptions) (*bundle.Bundle, bool, error) {
	opt.Reuse = r
	b, err := Build(plan, opt)
	if err != nil {
		return nil, false, err
	}
	pr := r.prior
	written := map[string]bool{}
	changed := false
	for _, f := range b.Files {
		written[f.Path] = true
		if old, ok := pr.file(f.Path); !ok || !bytes.Equal(old, f.Data) {
			changed = true
		}
	}
	for p := range pr.owned {
		if !written[p] {
			changed = true // removed
		}
	}
	var kept []bundle.File
	for _, f := range pr.bundle.Bundle.Files {
		if !pr.owned[f.Path] && !written[f.Path] {
			kept = append(kept, f)
		}
	}
	slices.SortFunc(kept, func(a, b bundle.File) int { return strings.Compare(a.Path, b.Path) })
	b.Files = append(b.Files, kept...)
	return b, changed, nil
}
