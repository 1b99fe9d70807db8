package cli

import (
	"strings"

	"github.com/spf13/cobra"
	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/gen"
	"github.com/wso2ks/wso2ks/pkg/helm"
)

// completer answers the shell's completion of one flag's value or of a
// command's arguments (cobra's hidden __complete command calls it).
type completer = func(c *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective)

// registerCompletions gives each command's flags and arguments their
// completions (flagCompletions, argCompletions, and --output its formats). A flag the table names and
// the command lacks is skipped here; TestCompletionCoversFlags fails on it.
func registerCompletions(root *cobra.Command, f *Factory) {
	flags := flagCompletions(f)
	for _, c := range root.Commands() {
		for name, fn := range flags[c.Name()] {
			if c.Flags().Lookup(name) != nil {
				_ = c.RegisterFlagCompletionFunc(name, fn)
			}
		}
		if formats := outputFormats(c); formats != nil {
			_ = c.RegisterFlagCompletionFunc("output", words(formats...))
		}
		if fn, ok := argCompletions[c.Name()]; ok {
			c.ValidArgsFunction = fn
		}
	}
}

// flagCompletions are the completions of every flag that takes a value, by
// command and flag name.
func flagCompletions(f *Factory) map[string]map[string]completer {
	envs, products := deploymentNames(f, false), deploymentNames(f, true)
	topology := files("toml")
	charts := words(helm.APIMCharts...)
	return map[string]map[string]completer{
		"generate": {"file": topology, "output-dir": dirs, "env": envs, "passwords": files("env"),
			"namespace": freeText, "update": dirs, "apim-chart": charts},
		"plan": {"file": topology, "env": envs, "against": dirs},
		"init": {"kind": words(kindWords()...), "output-file": topology},
		"k8s":  {"output-dir": dirs, "namespace": freeText, "apim-chart": charts},
		"install": {"home": dirs, "bundle": dirs, "file": topology, "env": envs, "product": products,
			"secrets": anyFile},
		"verify": {"password-file": anyFile, "within": freeText, "expiry-warn": freeText, "connect": freeText,
			"env": envs, "product": products, "port-offset": freeText, "timeout": freeText},
		"inspect": {"password-file": anyFile,
			"within": freeText, "expiring": freeText, "sort": words("store", "expiry")},
		"renew":       {"within": freeText, "env": envs, "product": products},
		"csr":         {"env": envs, "product": products},
		"import-cert": {"product": products, "env": envs},
		"rotate":      {"role": words(gen.RoleTLS), "product": products, "env": envs},
	}
}

// argCompletions complete the arguments of the commands that take them:
// bundle directories, the PEM chain of import-cert, merge's two TOML files.
// verify and inspect take any path (a store file, a bundle, a home), which
// is cobra's default; commands without arguments complete nothing.
var argCompletions = map[string]completer{
	"generate":    none,
	"plan":        none,
	"init":        none,
	"install":     none,
	"version":     none,
	"topology":    none, // help topics (help.go)
	"rules":       none,
	"renew":       positional(dirs),
	"csr":         positional(dirs),
	"rotate":      positional(dirs),
	"k8s":         positional(dirs),
	"import-cert": positional(dirs, files("pem")),
	"merge":       positional(files("toml"), files("toml")),
}

// words completes one of ws (a word may carry a description after a tab).
func words(ws ...string) completer {
	return func(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		return matching(ws, toComplete), cobra.ShellCompDirectiveNoFileComp
	}
}

// matching keeps the words of ws that start with prefix.
func matching(ws []string, prefix string) []string {
	var out []string
	for _, w := range ws {
		if word, _, _ := strings.Cut(w, "\t"); strings.HasPrefix(word, prefix) {
			out = append(out, w)
		}
	}
	return out
}

// kindWords are the product kinds init writes, with their names.
func kindWords() []string {
	var out []string
	for _, k := range []gen.Kind{gen.IdentityServer, gen.APIManager, gen.MicroIntegrator} {
		out = append(out, string(k)+"\t"+k.Title())
	}
	return out
}

// files completes file names ending in one of exts (and directories).
func files(exts ...string) completer {
	return func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return exts, cobra.ShellCompDirectiveFilterFileExt
	}
}

// dirs completes directory names.
func dirs(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return nil, cobra.ShellCompDirectiveFilterDirs
}

// anyFile completes any file name (a password file has no extension).
func anyFile(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return nil, cobra.ShellCompDirectiveDefault
}

// freeText completes nothing: a value such as 30d or HOST:PORT.
func freeText(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return nil, cobra.ShellCompDirectiveNoFileComp
}

// none completes no argument of a command that takes none.
var none = freeText

// positional completes the n-th argument with each[n], and nothing after.
func positional(each ...completer) completer {
	return func(c *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		if len(args) >= len(each) {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return each[len(args)](c, args, toComplete)
	}
}

// deploymentNames completes environment (or product) names from where the
// command reads them: the topology of -f (the built-in one when a command
// that defaults to it has no -f), the bundle of --bundle, or the bundle DIR
// argument. They are read as the command reads them, through f.ReadFile and
// bundle.Read, which cap what they read; a file that does not read
// completes nothing.
func deploymentNames(f *Factory, products bool) completer {
	return func(c *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		var names []string
		file, bundleDir := stringFlag(c, "file"), stringFlag(c, "bundle")
		switch {
		case file != "" || c.Flags().Lookup("file") != nil && c.Flags().Lookup("bundle") == nil:
			if cfg, err := loadConfig(f, file); err == nil && products {
				for _, p := range cfg.Products {
					names = append(names, p.Name)
				}
			} else if err == nil {
				for _, e := range cfg.Environments {
					names = append(names, e.Name)
				}
			}
		case bundleDir != "" || len(args) > 0:
			if bundleDir == "" {
				bundleDir = args[0]
			}
			if b, err := bundle.Read(bundleDir); err == nil {
				envs, prods, _ := b.Manifest.Names()
				names = envs
				if products {
					names = prods
				}
			}
		}
		return matching(names, toComplete), cobra.ShellCompDirectiveNoFileComp
	}
}

// stringFlag is the value of c's flag name, or "" when c has no such flag.
func stringFlag(c *cobra.Command, name string) string {
	if fl := c.Flags().Lookup(name); fl != nil {
		return fl.Value.String()
	}
	return ""
}
