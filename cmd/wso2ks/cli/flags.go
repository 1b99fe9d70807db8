package cli

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// The flag convention (docs/cli.md#flags): a spelling means one thing in
// every command.
//
//	--output FORMAT   the format of what a command prints: text or json
//	                  (inspect also prometheus); never a path
//	-o PATH           where a command writes; its long name says what
//	                  PATH is: --output-dir (generate, k8s) or
//	                  --output-file (init)
//	--within Nd       the window before certificates expire (renew,
//	                  verify, inspect)
//	--env, --product  environments and products by name, repeatable
//	                  where a command acts on several
//
// A spelling that scripts may use and that the convention replaced keeps
// working, hidden from help, with a note on stderr (oldFlag).

// formatsKey annotates --output with the formats it takes, which
// addOutput sets once for checkOutput, checkOutPath and completion.
const formatsKey = "wso2ks-formats"

// addOutput defines --output FORMAT, one of formats, the first by default.
func addOutput(c *cobra.Command, p *string, formats ...string) {
	c.Flags().StringVar(p, "output", formats[0], "print in `FORMAT`: "+orList(formats))
	if err := c.Flags().SetAnnotation("output", formatsKey, formats); err != nil {
		panic(err) // a programming error: the flag was just defined
	}
}

// outputFormats are the formats c's --output takes; none without one.
func outputFormats(c *cobra.Command) []string {
	if fl := c.Flags().Lookup("output"); fl != nil {
		return fl.Annotations[formatsKey]
	}
	return nil
}

// checkOutput refuses an --output value that is not one of its formats,
// and says where a path goes when the command writes one.
func checkOutput(c *cobra.Command, v string) error {
	formats := outputFormats(c)
	if slices.Contains(formats, v) {
		return nil
	}
	msg := fmt.Sprintf("--output %q is not a format; give %s", v, orList(formats))
	if o := c.Flags().ShorthandLookup("o"); o != nil {
		msg += fmt.Sprintf(" (--output is what is printed; -o, --%s, is where files go)", o.Name)
	}
	return &usageError{msg}
}

// reportFormats are the words --output takes somewhere, and the formats a
// kubectl user may type after -o.
var reportFormats = []string{"text", "json", "yaml", "yml", "prometheus"}

// checkNotFormat refuses an -o value that is a format word ("-o json"):
// -o names where to write, and a kubectl habit would otherwise become a
// directory named json. writes is what the command writes ("the bundle
// directory"); ./json still names a directory of that name.
func checkNotFormat(c *cobra.Command, v, writes string) error {
	if !slices.Contains(reportFormats, v) {
		return nil
	}
	fix := ""
	if slices.Contains(outputFormats(c), v) {
		fix = fmt.Sprintf("for %s output give --output %s; ", v, v)
	}
	return &usageError{fmt.Sprintf("-o %s would name %s %q, and -o is where to write, not a format: %sto name it %s give -o ./%s", v, writes, v, fix, v, v)}
}

// oldFlag hides old, a spelling the convention replaced, from help; it
// keeps working (takeOld, noteOld).
func oldFlag(c *cobra.Command, old string) {
	if err := c.Flags().MarkHidden(old); err != nil {
		panic(err) // a programming error: no such flag
	}
}

// takeOld returns the value given to old, a hidden spelling of new, and
// whether it was given. It refuses both at once.
func takeOld(c *cobra.Command, old, new string) (string, bool, error) {
	o := c.Flags().Lookup(old)
	if o == nil || !o.Changed {
		return "", false, nil
	}
	if c.Flags().Changed(new) {
		return "", false, &usageError{fmt.Sprintf("--%s is the old spelling of --%s; give only --%s", old, new, new)}
	}
	return o.Value.String(), true, nil
}

// noteOld notes that old is deprecated and what to do instead ("write
// --within 30d"). The command goes on; Run prints the note on stderr when
// it ends without an error, so that an error stays the one line.
func noteOld(f *Factory, old, instead string) {
	f.notes = append(f.notes, fmt.Sprintf("wso2ks: --%s is deprecated; %s", old, instead))
}

// shorthandSuggestion is " did you mean --NAME?" for pflag's "unknown
// shorthand flag: 'x' in -x" when exactly one visible flag of c begins
// with that letter (-o for --output in plan, verify, inspect, version).
func shorthandSuggestion(c *cobra.Command, msg string) string {
	rest, ok := strings.CutPrefix(msg, "unknown shorthand flag: '")
	if !ok || rest == "" {
		return ""
	}
	letter := rest[:1]
	var names []string
	c.Flags().VisitAll(func(fl *pflag.Flag) {
		if !fl.Hidden && fl.Name != "help" && strings.HasPrefix(fl.Name, letter) {
			names = append(names, fl.Name)
		}
	})
	if len(names) != 1 {
		return ""
	}
	return " did you mean --" + names[0] + "?"
}

// orList is "a, b or c".
func orList(words []string) string { return joinList(words, "or") }

// andList is "a, b and c".
func andList(words []string) string { return joinList(words, "and") }

// joinList joins words with commas, and conj before the last.
func joinList(words []string, conj string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " " + conj + " " + words[len(words)-1]
}
