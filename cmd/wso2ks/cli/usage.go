package cli

import (
	"strings"

	"github.com/spf13/cobra"
)

// helpWidth is the widest line of a command's Usage and Flags sections:
// a usage line or a flag's description longer than that wraps, so that
// help reads in a terminal of 100 columns.
const helpWidth = 100

func init() {
	cobra.AddTemplateFunc("wrapUse", wrapUse)
	cobra.AddTemplateFunc("helpWidth", func() int { return helpWidth })
}

// usageTemplate is cobra's default usage template with the usage line and
// the flag descriptions wrapped at helpWidth.
const usageTemplate = `Usage:{{if .Runnable}}
  {{wrapUse .UseLine}}{{end}}{{if .HasAvailableSubCommands}}
  {{.CommandPath}} [command]{{end}}{{if gt (len .Aliases) 0}}

Aliases:
  {{.NameAndAliases}}{{end}}{{if .HasExample}}

Examples:
{{.Example}}{{end}}{{if .HasAvailableSubCommands}}{{$cmds := .Commands}}

Available Commands:{{range $cmds}}{{if (or .IsAvailableCommand (eq .Name "help"))}}
  {{rpad .Name .NamePadding }} {{.Short}}{{end}}{{end}}{{end}}{{if .HasAvailableLocalFlags}}

Flags:
{{.LocalFlags.FlagUsagesWrapped helpWidth | trimTrailingWhitespaces}}{{end}}{{if .HasAvailableInheritedFlags}}

Global Flags:
{{.InheritedFlags.FlagUsagesWrapped helpWidth | trimTrailingWhitespaces}}{{end}}{{if .HasHelpSubCommands}}

Additional help topics:{{range .Commands}}{{if .IsAdditionalHelpTopicCommand}}
  {{rpad .CommandPath .CommandPathPadding}} {{.Short}}{{end}}{{end}}{{end}}{{if .HasAvailableSubCommands}}

Use "{{.CommandPath}} [command] --help" for more information about a command.{{end}}
`

// wrapUse breaks a usage line, printed after two spaces, into lines of at
// most helpWidth columns, between bracketed groups rather than inside one;
// the lines after the first are indented under the command's name.
func wrapUse(line string) string {
	const indent, more = 2, "      "
	var out strings.Builder
	width := indent
	depth, start := 0, 0
	emit := func(word string) {
		switch {
		case out.Len() == 0:
		case width+1+len(word) > helpWidth:
			out.WriteString("\n" + more)
			width = len(more)
		default:
			out.WriteByte(' ')
			width++
		}
		out.WriteString(word)
		width += len(word)
	}
	for i := 0; i <= len(line); i++ {
		if i == len(line) || line[i] == ' ' && depth == 0 {
			if word := line[start:i]; word != "" {
				emit(word)
			}
			start = i + 1
			continue
		}
		switch line[i] {
		case '[', '(':
			depth++
		case ']', ')':
			depth--
		}
	}
	return out.String()
}
