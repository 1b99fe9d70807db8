package cli

import (
	"fmt"
	"io"

	"github.com/wso2ks/wso2ks/pkg/verify"
)

// verifyOutput prints report as --output asks and returns errVerifyFailed (exit 1) when a
// rule failed: the end of verify and of verify --connect. group and lead shape the text
// report (writeReport).
func verifyOutput(opts *VerifyOptions, report *verify.Report, group func(verify.Finding) string, lead string) error {
	if opts.Output == "json" {
		if err := writeJSON(opts.F.Stdout, report); err != nil {
			return err
		}
	} else {
		writeReport(opts.F.Stdout, report, opts.Quiet, group, lead)
	}
	if report.Failed() {
		return fmt.Errorf("%w: %d failed, %d warnings", errVerifyFailed, report.Summary.Fail, report.Summary.Warn)
	}
	return nil
}

// writeReport prints findings grouped by product, then under it by group's header (a
// store for an audit, an address for --connect), in the order found, then a line per
// product with its counts, then the totals after lead. quiet leaves PASS findings out, and
// the headers with nothing left under them. SKIP is counted only where there is one, so
// the report of an audit that skipped nothing reads as it always has.
func writeReport(w io.Writer, r *verify.Report, quiet bool, group func(verify.Finding) string, lead string) {
	product, header := "", "\x00"
	for _, f := range r.Findings {
		if quiet && f.Severity == verify.Pass {
			continue
		}
		if f.Product+f.Target != product {
			product, header = f.Product+f.Target, "\x00"
			fmt.Fprintf(w, "%s (%s)\n", f.Product, f.Target)
		}
		if h := group(f); h != header {
			header = h
			fmt.Fprintf(w, "  %s\n", h)
		}
		fmt.Fprintf(w, "    %s  %-22s %s\n", f.Severity, f.Rule, f.Message)
		if f.Fix != "" {
			fmt.Fprintf(w, "          fix: %s\n", f.Fix)
		}
	}
	for _, p := range r.Products {
		fmt.Fprintf(w, "%s: %d PASS, %d WARN, %d FAIL", p.Product, p.Pass, p.Warn, p.Fail)
		if p.Skip > 0 {
			fmt.Fprintf(w, ", %d SKIP", p.Skip)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "%s%d passed, %d warnings, %d failed", lead, r.Summary.Pass, r.Summary.Warn, r.Summary.Fail)
	if r.Summary.Skip > 0 {
		fmt.Fprintf(w, ", %d skipped", r.Summary.Skip)
	}
	fmt.Fprintln(w)
}

// storeHeader groups an audit's findings by store; deployment.toml's own have none.
func storeHeader(f verify.Finding) string {
	if f.Store == "" {
		return "deployment.toml"
	}
	return f.Store
}
