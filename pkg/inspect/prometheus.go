package inspect

import (
	"fmt"
	"io"
	"strings"
)

// Metric names of the Prometheus output.
const (
	MetricNotAfter = "wso2ks_certificate_not_after_seconds"
	MetricVerified = "wso2ks_store_verified"
)

// WritePrometheus prints r in Prometheus's text exposition format, as node_exporter's textfile
// collector reads it: one gauge per certificate, its notAfter as Unix seconds, labelled with
// the store (env, product, role, path) and the certificate (alias, serial, subject); and one
// gauge per store, 1 when its integrity was verified. A series that would repeat one already
// written (the same store reached through two PATHs) is written once: the collector refuses a
// file with a duplicate.
func WritePrometheus(w io.Writer, r *Report) {
	fmt.Fprintf(w, "# HELP %s When the certificate of a key store entry expires (its notAfter), in seconds since 1970.\n", MetricNotAfter)
	fmt.Fprintf(w, "# TYPE %s gauge\n", MetricNotAfter)
	seen := map[string]bool{}
	for _, s := range r.Stores {
		for _, e := range s.Entries {
			c := e.Certificate
			if c == nil {
				continue
			}
			labels := storeLabels(s) + fmt.Sprintf(`,alias="%s",serial="%s",subject="%s"`, escape(e.Alias), escape(c.Serial), escape(c.Subject))
			if line := fmt.Sprintf("%s{%s} %d\n", MetricNotAfter, labels, c.notAfter.Unix()); !seen[line] {
				seen[line] = true
				io.WriteString(w, line)
			}
		}
	}
	fmt.Fprintf(w, "# HELP %s 1 when the store opened with its password (its integrity checked), 0 when not.\n", MetricVerified)
	fmt.Fprintf(w, "# TYPE %s gauge\n", MetricVerified)
	for _, s := range r.Stores {
		v := 0
		if s.Verified {
			v = 1
		}
		if line := fmt.Sprintf("%s{%s} %d\n", MetricVerified, storeLabels(s), v); !seen[line] {
			seen[line] = true
			io.WriteString(w, line)
		}
	}
}

func storeLabels(s Store) string {
	return fmt.Sprintf(`env="%s",product="%s",role="%s",path="%s"`,
		escape(s.Env), escape(s.Product), escape(strings.Join(s.Roles, ",")), escape(s.Path))
}

// escape writes a label value as the exposition format wants it: backslash, double quote and
// line feed escaped.
func escape(v string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(v)
}
