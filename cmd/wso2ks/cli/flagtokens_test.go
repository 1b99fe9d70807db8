package cli

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// flagToken is a flag as a usage line, a README row or a command line
// names it: --name or -x, at the start or after a space or one of [(|`.
var flagToken = regexp.MustCompile("(?:^|[\\s\\[(|`])(--?[a-zA-Z][a-zA-Z0-9-]*)")

// flagsIn lists the flags text names, with their dashes.
func flagsIn(text string) []string {
	var out []string
	for _, m := range flagToken.FindAllStringSubmatch(text, -1) {
		out = append(out, m[1])
	}
	return out
}

// flagOf is the flag of c a token names, a long name after "--" or a
// shorthand after "-", or nil.
func flagOf(c *cobra.Command, token string) *pflag.Flag {
	if name, ok := strings.CutPrefix(token, "--"); ok {
		return c.Flags().Lookup(name)
	}
	return c.Flags().ShorthandLookup(strings.TrimPrefix(token, "-"))
}

func TestFlagsIn(t *testing.T) {
	got := flagsIn("x [-f topology.toml] (--bundle DIR | -o D) --a-b=1 `--c` wso2ks-x a--b 1-2")
	if want := []string{"-f", "--bundle", "-o", "--a-b", "--c"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}
