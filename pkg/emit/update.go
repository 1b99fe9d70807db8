package emit

import (
	"bytes"

	"github.com/wso2ks/wso2ks/pkg/gen"
)

// Update builds plan into the bundle prior was read from, following r (the
// Reconcile of plan against prior): kept keys, certificates, passwords and
// unchanged files' bytes stay; what the plan dropped goes; files the old
// bundle did not write itself (DIR/k8s, a CSR) are kept unless the new
// bundle writes the same path. It reports whether any file differs from
// what the directory holds: when none does, there is nothing to write.
func Update(plan *gen.Plan, r *Reconciliation, opt BuildOptions) (*Bundle, bool, error) {
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
	for _, p := range sortedKeys(pr.files) {
		if f := pr.files[p]; !pr.owned[p] && !written[p] {
			b.Files = append(b.Files, *f)
		}
	}
	return b, changed, nil
}
