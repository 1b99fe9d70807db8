package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/deploytoml"
	"github.com/wso2ks/wso2ks/pkg/gen"
	"github.com/wso2ks/wso2ks/pkg/infile"
)

// checkMergeHome refuses a snippet made for another product or version
// than the home the deployment.toml sits in, as install does for a bundle
// (deploytoml.CheckHome): the snippet's first line (h, when ok) names its
// product, and a home names its own by its directory (wso2is-7.1.0) or its
// start script. A file outside a home is left to deploytoml.MergeTables,
// which tells the product family from the file's tables.
func checkMergeHome(deployment, snippetFile string, h bundle.SnippetHeader, ok bool) error {
	if !ok {
		return nil
	}
	file, err := filepath.Abs(deployment)
	if err != nil {
		return nil
	}
	if real, err := filepath.EvalSymlinks(file); err == nil {
		file = real
	}
	seen := map[string]bool{}
	for _, k := range []gen.Kind{gen.IdentityServer, gen.APIManager, gen.MicroIntegrator} {
		l, _ := deploytoml.LayoutOf(string(k))
		home, found := strings.CutSuffix(filepath.ToSlash(file), "/"+l.Deployment)
		if !found || seen[home] {
			continue
		}
		seen[home] = true
		home = filepath.FromSlash(home)
		exists := func(rel string) bool {
			_, err := os.Stat(filepath.Join(home, filepath.FromSlash(rel)))
			return err == nil
		}
		var hm *deploytoml.HomeMismatch
		if err := deploytoml.CheckHome(home, string(h.Kind), h.Version, exists); errors.As(err, &hm) {
			is := fmt.Sprintf("is a %s %s pack (its directory's name)", hm.Kind.Title(), hm.Version)
			if hm.Script != "" {
				is = fmt.Sprintf("has %s, so it is a %s home", hm.Script, hm.Kind.Title())
			}
			return &gen.InputError{File: deployment, Msg: fmt.Sprintf(
				"the home %s %s, and %s is for %s; generate the snippet for the home's product and version (kind and version in the topology) and merge that, or give the deployment.toml of a %s home",
				home, is, snippetFile, h.Title(), h.Title())}
		}
	}
	return nil
}

// checkMergeOrder refuses `merge DEPLOYMENT_TOML SNIPPET`: SNIPPET's first
// line does not name a product (snippetOurs false), and DEPLOYMENT_TOML's
// does (a snippet wso2ks wrote). Merging would otherwise put a home's
// tables into the snippet. It runs before merge takes its lock, so it
// reads DEPLOYMENT_TOML itself.
func checkMergeOrder(f *Factory, opts *MergeOptions, snippetOurs bool) error {
	if snippetOurs {
		return nil
	}
	second, err := f.ReadFile(opts.Deployment, infile.Deployment)
	if err != nil {
		return nil // readMergeInput words it
	}
	if _, ok := bundle.ParseSnippetHeader(second); !ok {
		return nil
	}
	return &usageError{fmt.Sprintf("the arguments are swapped: %s is a snippet wso2ks wrote and %s is not; give the snippet first: wso2ks merge %s %s",
		opts.Deployment, opts.Snippet, opts.Deployment, opts.Snippet)}
}
