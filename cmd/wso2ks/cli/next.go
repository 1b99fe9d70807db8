package cli

import (
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/gen"
	"github.com/wso2ks/wso2ks/pkg/helm"
	"github.com/wso2ks/wso2ks/pkg/k8s"
)

// What every writing command ends with: lines that start "next: ", each
// naming the environment and product it is about, specific to what the
// command wrote. No line holds a password: the password lines name the
// file and the variable that hold it.

// nextf prints one next-step line.
func nextf(w io.Writer, format string, args ...any) {
	fmt.Fprintf(w, "next: "+format+"\n", args...)
}

// productsOf is the env/product of each bundle path (dev/iam/repository/…),
// in the order they first appear.
func productsOf(paths ...[]string) []string {
	var out []string
	for _, ps := range paths {
		for _, p := range ps {
			parts := strings.SplitN(path.Clean(filepath.ToSlash(p)), "/", 3)
			if len(parts) < 3 {
				continue
			}
			if ep := parts[0] + "/" + parts[1]; !slices.Contains(out, ep) {
				out = append(out, ep)
			}
		}
	}
	return out
}

// installNext is the line that puts the stores of env/product ep of the
// bundle dir into the product's home.
func installNext(w io.Writer, dir, ep, then string) {
	env, product, _ := strings.Cut(ep, "/")
	nextf(w, "wso2ks install --bundle %s --env %s --product %s --home WSO2_HOME%s", dir, env, product, then)
}

// redeployNext says what must be redeployed after the stores of products
// (env/product) in the bundle dir changed: install them into each home
// and restart, and, when dir holds the manifests of 'wso2ks k8s', write
// them again and roll the pods.
func redeployNext(w io.Writer, dir string, products []string) {
	for _, ep := range products {
		installNext(w, dir, ep, ", then restart "+ep+" (one node at a time)")
	}
	if len(products) == 0 {
		return
	}
	if fi, err := os.Stat(filepath.Join(dir, k8s.Dir)); err != nil || !fi.IsDir() {
		return
	}
	manifests := filepath.Join(dir, k8s.Dir)
	nextf(w, "%s is stale: wso2ks k8s %s --force (add --helm as before), kubectl apply -f %s, then roll the pods of %s",
		manifests, dir, filepath.Join(manifests, "<env>"), strings.Join(products, ", "))
}

// passwordsNext says how the passwords of product p reach it in env and
// vault mode (plain mode: deployment.toml holds them). secrets is the
// environment's secrets.env.
func passwordsNext(w io.Writer, p *gen.Product, secrets string) {
	cipher := ""
	if p.Vault != nil {
		cipher = p.Vault.CipherRole
	}
	modeNext(w, p.Dir, p.Name, p.PasswordMode, cipher, secrets, "WSO2_HOME")
}

// modeNext is passwordsNext for env/product ep in mode, whose secure vault
// (vault mode) opens with the store of role cipher.
func modeNext(w io.Writer, ep, product, mode, cipher, secrets, home string) {
	load := fmt.Sprintf("set -a; . %s; set +a", secrets)
	switch {
	case mode == gen.PasswordEnv:
		nextf(w, "%s reads its passwords from the environment: %s before starting it", ep, load)
	case mode == gen.PasswordVault && cipher != "":
		nextf(w, "%s opens its secure vault with the %s store's password: %s; umask 077; printf '%%s\\n' \"$%s\" > %s before starting it",
			ep, cipher, load, gen.PasswordVar(product, cipher), filepath.Join(home, "password-tmp"))
	}
}

// printK8sWritten lists the manifests --k8s wrote.
func printK8sWritten(w io.Writer, opts *GenerateOptions, b *bundle.Bundle) {
	if !opts.K8s {
		return
	}
	fmt.Fprintf(w, "  %s/  Kubernetes manifests (Secrets: keep them secret):\n", k8s.Dir)
	for _, file := range b.Files {
		if strings.HasPrefix(file.Path, k8s.Dir+"/") {
			fmt.Fprintf(w, "    %s\n", strings.TrimPrefix(file.Path, k8s.Dir+"/"))
		}
	}
}

// generateNext says how each product of the new bundle reaches its home
// (or its cluster, with the chart of its --helm overlay from charts) and
// gets its passwords.
func generateNext(w io.Writer, opts *GenerateOptions, plan *gen.Plan, charts map[string]string) {
	nextf(w, "wso2ks verify %s", opts.Dir)
	for _, env := range plan.Environments {
		for i := range env.Products {
			p := &env.Products[i]
			if opts.K8s {
				k8sNext(w, filepath.Join(opts.Dir, k8s.Dir), p.Dir, charts[p.Dir], opts.Namespace, false)
				continue
			}
			installNext(w, opts.Dir, p.Dir, fmt.Sprintf(" (or copy its files into the home and wso2ks merge %s DEPLOYMENT_TOML)",
				filepath.Join(opts.Dir, filepath.FromSlash(p.Dir), bundle.SnippetName)))
			passwordsNext(w, p, secretsPath(opts.Dir, env.Name))
		}
	}
}

// secretsPath is the secrets.env of env in the bundle dir.
func secretsPath(dir, env string) string {
	return filepath.Join(dir, env, bundle.SecretsName)
}

// k8sNext is how env/product ep reaches its cluster from the manifests in
// dir: apply its objects, install or upgrade its chart's release with its
// overlay in namespace (one command for both, as the README and the
// overlay's header give it: --reuse-values keeps the values the user set
// on the command line), and, when the manifests were written again
// (upgrade), roll its pods.
func k8sNext(w io.Writer, dir, ep, chart, namespace string, upgrade bool) {
	env, product, _ := strings.Cut(ep, "/")
	envDir := filepath.Join(dir, env)
	files := make([]string, 0, 3)
	for _, kind := range []string{"keystores", "passwords", "config"} {
		files = append(files, "-f "+filepath.Join(envDir, product+"-"+kind+".yaml"))
	}
	nextf(w, "%s: kubectl apply %s", ep, strings.Join(files, " "))
	if chart != "" {
		nextf(w, "%s: %s", ep, helm.UpgradeCommand(product, chart, namespace, filepath.Join(envDir, product+"-values.yaml")))
	}
	if upgrade {
		nextf(w, "%s: roll its pods unless they roll by themselves (kubectl rollout restart): they keep the old stores until they restart", ep)
	}
}
