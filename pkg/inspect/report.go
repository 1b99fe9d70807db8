package inspect

import (
	"cmp"
	"slices"
	"time"
)

// Options shape a report.
type Options struct {
	Now time.Time
	// All lists the public CAs of truststores one by one; without it they fold into one line.
	All bool
	// Expiring, when positive, keeps only the entries whose certificate expires within it (the
	// public CAs only with All), and the stores that have one.
	Expiring time.Duration
	// SortExpiry orders the entries of each store, and the stores, by the soonest expiry; else
	// they stay in the order found (the targets as given, each product's stores as its
	// configuration lists them, each store's entries as the store holds them).
	SortExpiry bool
}

// Report is what `wso2ks inspect` prints.
type Report struct {
	Now string `json:"now"`
	// ExpiringWithinDays is the --within window in days; absent without it.
	ExpiringWithinDays int     `json:"expiring_within_days,omitempty"`
	Stores             []Store `json:"stores"`
	Summary            Summary `json:"summary"`
}

// Summary counts what the report lists.
type Summary struct {
	Stores  int `json:"stores"`
	Entries int `json:"entries"`
	// Expiring counts the listed certificates that expire within the window (0 without one);
	// Expired those already expired.
	Expiring int `json:"expiring"`
	Expired  int `json:"expired"`
}

// NewReport folds, filters and orders stores as o says.
func NewReport(stores []Store, o Options) *Report {
	r := &Report{Now: o.Now.UTC().Format(time.RFC3339), Stores: []Store{}}
	if o.Expiring > 0 {
		r.ExpiringWithinDays = int(o.Expiring / (24 * time.Hour))
	}
	deadline := o.Now.Add(o.Expiring)
	for _, s := range stores {
		// s shares its entries with the caller's store; the filter and the sort below must not
		// reorder those.
		s.Entries = slices.Clone(s.Entries)
		if !o.All {
			s.Entries, s.PublicCAs = fold(s.Entries)
		}
		if o.Expiring > 0 {
			s.Entries = slices.DeleteFunc(s.Entries, func(e Entry) bool {
				return e.Certificate == nil || !e.Certificate.notAfter.Before(deadline)
			})
			if len(s.Entries) == 0 {
				continue
			}
			s.PublicCAs = nil
		}
		if o.SortExpiry {
			slices.SortStableFunc(s.Entries, func(a, b Entry) int { return cmpExpiry(soonest(a), soonest(b)) })
		}
		r.Stores = append(r.Stores, s)
	}
	if o.SortExpiry {
		slices.SortStableFunc(r.Stores, func(a, b Store) int { return cmpExpiry(storeSoonest(a), storeSoonest(b)) })
	}
	for _, s := range r.Stores {
		r.Summary.Stores++
		for _, e := range s.Entries {
			r.Summary.Entries++
			switch c := e.Certificate; {
			case c == nil:
			case !c.notAfter.After(o.Now):
				r.Summary.Expired++
			case o.Expiring > 0 && c.notAfter.Before(deadline):
				r.Summary.Expiring++
			}
		}
	}
	return r
}

// Due reports whether any certificate listed expires within the window, or has expired.
func (r *Report) Due() bool { return r.Summary.Expiring+r.Summary.Expired > 0 }

// fold takes the public CAs out of entries into one Folded; nil when there are none.
func fold(entries []Entry) ([]Entry, *Folded) {
	var kept []Entry
	var f *Folded
	var first time.Time
	for _, e := range entries {
		if !e.PublicCA {
			kept = append(kept, e)
			continue
		}
		if f == nil {
			f = &Folded{}
		}
		f.Count++
		if t := e.Certificate.notAfter; f.Count == 1 || t.Before(first) {
			first, f.EarliestAlias, f.EarliestNotAfter = t, e.Alias, e.Certificate.NotAfter
		}
	}
	if kept == nil {
		kept = []Entry{}
	}
	return kept, f
}

// soonest is when an entry's certificate expires; zero when the store does not show it.
func soonest(e Entry) time.Time {
	if e.Certificate == nil {
		return time.Time{}
	}
	return e.Certificate.notAfter
}

func storeSoonest(s Store) time.Time {
	var t time.Time
	for _, e := range s.Entries {
		if n := soonest(e); !n.IsZero() && (t.IsZero() || n.Before(t)) {
			t = n
		}
	}
	return t
}

// cmpExpiry orders by time, the unknown (zero) last.
func cmpExpiry(a, b time.Time) int {
	switch {
	case a.IsZero() && b.IsZero():
		return 0
	case a.IsZero():
		return 1
	case b.IsZero():
		return -1
	}
	return cmp.Compare(a.UnixNano(), b.UnixNano())
}
