package helm

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path"
	"strings"

	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/gen"
	"github.com/wso2ks/wso2ks/pkg/k8s"
	"sigs.k8s.io/yaml"
)

// StoresHashAnnotation is the pod annotation an overlay sets, where its
// chart takes pod annotations, to the hash of the product's keystores and
// passwords Secrets: when renew or rotate changes them, `helm upgrade`
// with the new overlay changes the pod template and so rolls the pods,
// which would otherwise keep the old stores (subPath mounts never update).
const StoresHashAnnotation = "wso2ks.io/stores-sha256"

// Options shape the overlays.
type Options struct {
	// Namespace is the one the Secrets were written for (k8s.Options),
	// which the install command in each header passes to helm.
	Namespace string
	// APIMChart is the APIM chart of the overlays, one of APIMCharts;
	// empty is all-in-one.
	APIMChart string
}

// overlay is one product's values overlay while it is built.
type overlay struct {
	chart   Chart
	p       *bundle.Product
	where   string
	secrets map[string]string // the environment's secrets.env
	vault   map[string]string // wso2ks's [secrets] alias → ciphertext; nil unless vault mode
	values  map[string]any
	secret  bool     // the values hold a password
	notes   []string // header paragraphs after the install commands
	names   struct{ keystores, passwords string }
}

// Overlays returns, for every environment and product of b, the values
// overlay <env>/<product>-values.yaml for WSO2's chart of its kind, and
// the chart each is for by env/product, as helm takes it (Chart.Ref).
func Overlays(b *bundle.Bundle, opts Options) (overlays []bundle.File, charts map[string]string, err error) {
	if opts.APIMChart == "" {
		opts.APIMChart = APIMAllInOne
	}
	if !ValidAPIMChart(opts.APIMChart) {
		return nil, nil, fmt.Errorf("APIM chart %q is not one of %s", opts.APIMChart, strings.Join(APIMCharts, ", "))
	}
	if err := bundle.CheckManifest(b.Manifest, bundle.ManifestName); err != nil {
		return nil, nil, err
	}
	files := b.FileMap()
	charts = map[string]string{}
	secrets := map[string]map[string]string{}
	for _, p := range b.Manifest.Products() {
		if secrets[p.Env] == nil {
			values, err := bundle.EnvSecrets(files, p.Env)
			if err != nil {
				return nil, nil, err
			}
			secrets[p.Env] = values
		}
		f, c, err := productOverlay(p, files, secrets[p.Env], opts)
		if err != nil {
			return nil, nil, err
		}
		overlays = append(overlays, f)
		charts[p.Env+"/"+p.Name] = c.Ref()
	}
	return overlays, charts, nil
}

// productOverlay writes the values overlay of product p for its chart c.
func productOverlay(p *bundle.Product, files map[string][]byte, secrets map[string]string, opts Options) (f bundle.File, c Chart, err error) {
	where := fmt.Sprintf("product %q in environment %q", p.Name, p.Env)
	kind, version := gen.Kind(p.Stores[0].Kind), p.Stores[0].Version
	if kind.Title() == "" {
		return f, c, bundle.Errorf("%s does not record the kind of %s; update the bundle with 'wso2ks generate --update'", bundle.ManifestName, where)
	}
	if c, err = chartFor(kind, version, opts.APIMChart, where); err != nil {
		return f, c, err
	}
	o := &overlay{chart: c, p: p, where: where, secrets: secrets, values: map[string]any{}}
	o.names.keystores = k8s.ObjectName(p.Env, p.Name, "keystores")
	o.names.passwords = k8s.ObjectName(p.Env, p.Name, "passwords")
	if _, err := p.Passwords(secrets); err != nil {
		return f, c, err
	}
	for _, f := range bundle.VaultFiles(p.Env, p.Name) {
		if path.Base(f) == gen.CipherTextName && files[f] != nil {
			o.vault = bundle.ParseProperties(files[f])
		}
	}
	host, err := o.hostname()
	if err != nil {
		return f, c, err
	}
	for _, key := range c.hostnames {
		o.setAt(key, host)
	}
	switch kind {
	case gen.IdentityServer:
		err = o.identityServer()
	case gen.APIManager:
		err = o.apiManager(storesHash(p, files, secrets))
	case gen.MicroIntegrator:
		err = o.microIntegrator(storesHash(p, files, secrets))
	}
	if err != nil {
		return f, c, err
	}
	if _, file, ok := o.store(gen.RoleWSSec); ok {
		o.notes = append(o.notes, fmt.Sprintf("The chart has no slot for a WS-Security store: %s is in the Secret %s, but the chart does not mount it.", file, o.names.keystores))
	}
	body, err := yaml.Marshal(o.values)
	if err != nil {
		return f, c, err
	}
	return bundle.File{Path: path.Join(p.Env, p.Name+"-values.yaml"), Data: append(o.header(opts.Namespace), body...)}, c, nil
}

// storesHash is the SHA-256 of what the product's keystores and passwords
// Secrets hold: its store files and their passwords, and its encryption
// key. The pod annotation StoresHashAnnotation carries it.
func storesHash(p *bundle.Product, files map[string][]byte, secrets map[string]string) string {
	h := sha256.New()
	item := func(name string, data []byte) {
		fmt.Fprintf(h, "%s %d %d\n", name, len(name), len(data))
		h.Write(data)
	}
	for _, s := range p.Stores {
		item(path.Base(s.Path), files[s.Path])
		item(gen.PasswordVar(p.Name, s.Role), []byte(secrets[gen.PasswordVar(p.Name, s.Role)]))
	}
	item(gen.EncryptionKeyVar(p.Name), []byte(secrets[gen.EncryptionKeyVar(p.Name)]))
	return hex.EncodeToString(h.Sum(nil))
}

// hostname is the product's hostname, the first of the topology's: the
// common name of its primary certificate (gen.Config.subjectFor), which,
// unlike a tls certificate, is never shared or imported.
func (o *overlay) hostname() (string, error) {
	if s, _, ok := o.store(gen.RolePrimary); ok {
		for _, rdn := range strings.Split(s.Subject, ",") {
			if cn, ok := strings.CutPrefix(rdn, "CN="); ok && cn != "" {
				return cn, nil
			}
		}
	}
	return "", bundle.Errorf("the manifest gives %s no primary certificate with a common name, its hostname; regenerate the bundle", o.where)
}
