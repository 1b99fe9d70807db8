package cli

import (
	"fmt"
	"io"

	"github.com/wso2ks/wso2ks/pkg/verify"
)

// writeReport prints findings grouped by product and store, in the order found, then a line
// per product with its counts, then the totals. quiet leaves PASS findings out, and the
// headers with nothing left under them. SKIP is counted only where there is one, so the
// report of an audit that skipped nothing reads as it always has.
func writeReport(w io.Writer, r *verify.Report, quiet bool) {
	product, store := "", "\x00"
	for _, f := range r.Findings {
		if quiet && f.Severity == verify.Pass {
			continue
		}
		if f.Product+f.Target != product {
			product, store = f.Product+f.Target, "\x00"
			fmt.Fprintf(w, "%s (%s)\n", f.Product, f.Target)
		}
		if f.Store != store {
			store = f.Store
			name := f.Store
			if name == "" {
				name = "deployment.toml"
			}
			fmt.Fprintf(w, "  %s\n", name)
		}
		fmt.Fprintf(w, "    %s  %-22s %s\n", f.Severity, f.Rule, f.Message)
		if f.Fix != "" {
			fmt.Fprintf(w, "          fix: %s\n", f.Fix)
		}
	}
	writeProductCounts(w, r)
	fmt.Fprintf(w, "%d passed, %d warnings, %d failed", r.Summary.Pass, r.Summary.Warn, r.Summary.Fail)
	if r.Summary.Skip > 0 {
		fmt.Fprintf(w, ", %d skipped", r.Summary.Skip)
	}
	fmt.Fprintln(w)
}

// writeProductCounts prints a line of counts per product.
func writeProductCounts(w io.Writer, r *verify.Report) {
	for _, p := range r.Products {
		fmt.Fprintf(w, "%s: %d PASS, %d WARN, %d FAIL", p.Product, p.Pass, p.Warn, p.Fail)
		if p.Skip > 0 {
			fmt.Fprintf(w, ", %d SKIP", p.Skip)
		}
		fmt.Fprintln(w)
	}
}
