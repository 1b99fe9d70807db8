package inspect

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
)

// WriteText prints r for a reader: each target's products, each product's stores with their
// roles, a block for each key entry and one line for each trusted certificate.
func WriteText(w io.Writer, r *Report) {
	group := "\x00"
	for _, s := range r.Stores {
		if s.Product == "" {
			// A store file given as PATH: no product, no roles.
			group = "\x00"
			fmt.Fprintf(w, "%s: %s, %s\n", s.Path, s.Type, Count(len(s.Entries), "entry", "entries"))
		} else {
			if g := s.Target + "\x00" + label(s); g != group {
				group = g
				fmt.Fprintf(w, "%s (%s)\n", label(s), s.Target)
			}
			fmt.Fprintf(w, "  %s: %s, %s, %s\n", strings.Join(s.Roles, ", "), shownPath(s), s.Type, Count(len(s.Entries), "entry", "entries"))
		}
		if s.Note != "" {
			fmt.Fprintf(w, "    note: %s\n", s.Note)
		}
		width, until := aliasWidth(s.Entries), untilWidth(s.Entries)
		for _, e := range s.Entries {
			if e.Kind == KindKey {
				writeKey(w, e)
			} else {
				writeTrusted(w, e, width, until)
			}
		}
		if f := s.PublicCAs; f != nil {
			fmt.Fprintf(w, "    %s, earliest expiry %s (%s); --all lists them\n", Count(f.Count, "public CA", "public CAs"), date(f.EarliestNotAfter), f.EarliestAlias)
		}
	}
	fmt.Fprintln(w, summaryLine(r))
}

func label(s Store) string {
	if s.Env != "" {
		return s.Env + "/" + s.Product
	}
	return s.Product
}

// shownPath is the store's path relative to the target it was found under.
func shownPath(s Store) string {
	if rel, err := filepath.Rel(s.Target, s.Path); err == nil && rel != "." && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return s.Path
}

func writeKey(w io.Writer, e Entry) {
	line := fmt.Sprintf("    %s: key entry, chain of %d", e.Alias, e.ChainLength)
	if e.ChainLength == 0 {
		line = fmt.Sprintf("    %s: key entry", e.Alias)
	}
	if e.Created != "" {
		line += ", created " + e.Created
	}
	fmt.Fprintln(w, line)
	c := e.Certificate
	if c == nil {
		fmt.Fprintln(w, "      certificate not shown without the store's password")
		return
	}
	row := func(name, value string) {
		if value != "" {
			fmt.Fprintf(w, "      %-10s %s\n", name, value)
		}
	}
	row("subject", c.Subject)
	issuer := c.Issuer
	if c.Issuer == c.Subject {
		issuer += " (self-signed)"
	}
	row("issuer", issuer)
	row("SANs", strings.Join(c.SANs, ", "))
	row("key", c.Key)
	row("usage", strings.Join(c.KeyUsage, ", "))
	row("ext usage", strings.Join(c.ExtKeyUsage, ", "))
	row("serial", c.Serial)
	row("valid", fmt.Sprintf("%s to %s (%s)", c.NotBefore, c.NotAfter, days(c.DaysLeft)))
	row("SHA-256", Colons(c.SHA256))
}

func writeTrusted(w io.Writer, e Entry, width, until int) {
	if e.Certificate == nil {
		fmt.Fprintf(w, "    %-*s  trusted, certificate not shown\n", width, e.Alias)
		return
	}
	fmt.Fprintf(w, "    %-*s  %-*s  %s\n", width, e.Alias, until, untilText(e.Certificate), e.Certificate.Subject)
}

func untilText(c *Certificate) string {
	return fmt.Sprintf("until %s (%s)", date(c.NotAfter), days(c.DaysLeft))
}

func untilWidth(entries []Entry) int {
	n := 0
	for _, e := range entries {
		if e.Kind == KindTrusted && e.Certificate != nil {
			n = max(n, len(untilText(e.Certificate)))
		}
	}
	return n
}

func aliasWidth(entries []Entry) int {
	n := 0
	for _, e := range entries {
		if e.Kind == KindTrusted {
			n = max(n, len(e.Alias))
		}
	}
	return n
}

func days(n int) string {
	switch {
	case n < 0:
		return "expired"
	case n == 1:
		return "1 day left"
	}
	return fmt.Sprintf("%d days left", n)
}

// date is the day of an RFC 3339 time.
func date(rfc3339 string) string {
	d, _, _ := strings.Cut(rfc3339, "T")
	return d
}

// Count is n with its noun: "1 day", "30 days".
func Count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// Colons writes a hex fingerprint as keytool does: upper case, bytes separated by colons.
func Colons(hexDigits string) string {
	var b strings.Builder
	for i := 0; i < len(hexDigits); i += 2 {
		if i > 0 {
			b.WriteByte(':')
		}
		b.WriteString(strings.ToUpper(hexDigits[i:min(i+2, len(hexDigits))]))
	}
	return b.String()
}

func summaryLine(r *Report) string {
	if r.ExpiringWithinDays > 0 && r.Summary.Entries == 0 {
		return "nothing expires within " + Count(r.ExpiringWithinDays, "day", "days")
	}
	line := fmt.Sprintf("%s, %s", Count(r.Summary.Stores, "store", "stores"), Count(r.Summary.Entries, "entry", "entries"))
	if r.ExpiringWithinDays > 0 {
		line += " expiring within " + Count(r.ExpiringWithinDays, "day", "days")
	}
	if r.Summary.Expired > 0 {
		line += fmt.Sprintf("; %d expired", r.Summary.Expired)
	}
	return line
}
