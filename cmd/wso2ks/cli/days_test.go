package cli

import "testing"

func TestParseDays(t *testing.T) {
	for _, tc := range []struct {
		value string
		want  int
		err   string
	}{
		{value: "30d", want: 30},
		{value: "0d", want: 0},
		{value: "36500d", want: 36500},
		{value: "007d", want: 7},
		{value: "36501d", err: `--flag "36501d" is out of range; give 0d to 36500d`},
		{value: "-1d", err: `--flag "-1d" is out of range; give 0d to 36500d`},
		{value: "99999999999999999999d", err: `--flag "99999999999999999999d" is out of range; give 0d to 36500d`},
		{value: "30", err: `--flag "30" is not a number of days; write it like 30d`},
		{value: "4w", err: `--flag "4w" is not a number of days; write it like 30d`},
		{value: "1.5d", err: `--flag "1.5d" is not a number of days; write it like 30d`},
		{value: "", err: `--flag "" is not a number of days; write it like 30d`},
		{value: " 30d", err: `--flag " 30d" is not a number of days; write it like 30d`},
	} {
		t.Run(tc.value, func(t *testing.T) {
			got, err := parseDays("--flag", tc.value, 36500)
			switch {
			case tc.err != "" && (err == nil || err.Error() != tc.err):
				t.Errorf("error %v, want %q", err, tc.err)
			case tc.err == "" && (err != nil || got != tc.want):
				t.Errorf("got %d, %v; want %d", got, err, tc.want)
			}
			if _, ok := err.(*usageError); err != nil && !ok {
				t.Errorf("error %T, want a *usageError (exit 2)", err)
			}
		})
	}
}
