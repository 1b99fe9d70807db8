package cli

import (
	"fmt"
	"regexp"
	"strconv"
	"time"
)

// A window of whole days, written like 30d: --within of renew, verify and inspect.

// maxWithin bounds --within: the five digits renew has always taken (a
// duration of 99,999 days does not overflow; 106,751 would).
const maxWithin = 99999

// daysRE is a window in days, or a bare number; the sign and any number of digits are
// taken, so that an out-of-range value is refused as such, not as a misspelling.
var daysRE = regexp.MustCompile(`^(-?[0-9]+)(d?)$`)

// parseDays reads value, given to flag, as a window of whole days written like 30d, from 0 to
// max days. The error, a *usageError, names the flag and the fix.
func parseDays(flag, value string, max int) (int, error) {
	n, bare, err := parseDaysOrNumber(flag, value, max)
	if err == nil && bare {
		return 0, notDays(flag, value)
	}
	return n, err
}

// parseDaysOrNumber is parseDays that also takes a bare number of days, the spelling verify
// --expiry-warn, --within's old spelling, had before it took 30d (deprecated, kept for
// scripts); bare says it was one.
func parseDaysOrNumber(flag, value string, max int) (n int, bare bool, err error) {
	m := daysRE.FindStringSubmatch(value)
	if m == nil {
		return 0, false, notDays(flag, value)
	}
	n, err = strconv.Atoi(m[1])
	if err != nil || n < 0 || n > max {
		return 0, false, &usageError{fmt.Sprintf("%s %q is out of range; give 0d to %dd", flag, value, max)}
	}
	return n, m[2] == "", nil
}

func notDays(flag, value string) error {
	return &usageError{fmt.Sprintf("%s %q is not a number of days; write it like 30d", flag, value)}
}

// days is n days as a duration.
func days(n int) time.Duration { return time.Duration(n) * 24 * time.Hour }
