package k8s

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path"
	"strings"

	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/gen"
	"sigs.k8s.io/yaml"
)

// StoresHashAnnotation is the pod annotation an overlay sets, where its
// chart takes pod annotations, to the hash of the product's keystores and
// passwords Secrets: when renew or rotate changes them, `helm upgrade`
// with the new overlay changes the pod template and so rolls the pods,
// which would otherwise keep the old stores (subPath mounts never update).
const StoresHashAnnotation = "wso2ks.io/stores-sha256"

// overlay is one product's values overlay while it is built.
type overlay struct {
	chart   Chart
	p       *bundle.Product
	where   string
	sec     *envSecrets
	vault   map[string]string // wso2ks's [secrets] alias → ciphertext; nil unless vault mode
	values  map[string]any
	secret  bool     // the values hold a password
	notes   []string // header paragraphs after the install commands
	secrets struct{ keystores, passwords string }
	hash    string
}

// helmValues writes the values overlay of product p for its chart: the
// chart mounts p's keystores Secret and reads what it can of the passwords
// Secret, both made by productObjects (objs).
func helmValues(p *bundle.Product, objs []*k8sObject, files map[string][]byte, sec *envSecrets, opts Options) (bundle.File, error) {
	where := fmt.Sprintf("product %q in environment %q", p.Name, p.Env)
	kind, version := gen.Kind(p.Stores[0].Kind), p.Stores[0].Version
	c, err := chartFor(kind, version, opts.APIMChart, where)
	if err != nil {
		return bundle.File{}, bundle.Errorf("%v", err)
	}
	o := &overlay{chart: c, p: p, where: where, sec: sec, values: map[string]any{}}
	h := sha256.New()
	for _, obj := range objs {
		switch obj.component {
		case "keystores":
			o.secrets.keystores = obj.name
		case "passwords":
			o.secrets.passwords = obj.name
		default:
			continue
		}
		for _, k := range sortedKeys(obj.data) {
			fmt.Fprintf(h, "%s %d %d\n", k, len(k), len(obj.data[k]))
			h.Write(obj.data[k])
		}
	}
	o.hash = hex.EncodeToString(h.Sum(nil))
	for _, f := range bundle.VaultFiles(p.Env, p.Name) {
		if path.Base(f) == gen.CipherTextName && files[f] != nil {
			o.vault = bundle.ParseProperties(files[f])
		}
	}
	host, err := o.hostname()
	if err != nil {
		return bundle.File{}, err
	}
	for _, key := range c.hostnames {
		o.setAt(key, host)
	}
	switch kind {
	case gen.IdentityServer:
		err = o.identityServer()
	case gen.APIManager:
		err = o.apiManager()
	case gen.MicroIntegrator:
		err = o.microIntegrator()
	}
	if err != nil {
		return bundle.File{}, err
	}
	if _, file, ok := o.store(gen.RoleWSSec); ok {
		o.notes = append(o.notes, fmt.Sprintf("The chart has no slot for a WS-Security store: %s is in the Secret %s, but the chart does not mount it.", file, o.secrets.keystores))
	}
	body, err := yaml.Marshal(o.values)
	if err != nil {
		return bundle.File{}, err
	}
	return bundle.File{Path: path.Join(p.Env, p.Name+"-values.yaml"), Data: append(o.header(opts.Namespace), body...)}, nil
}

// header is the comment that opens the overlay: the chart it is for, how to
// install it, and what the chart leaves to the user.
func (o *overlay) header(namespace string) []byte {
	var b bytes.Buffer
	ns := ""
	if namespace != "" {
		ns = " -n " + namespace
	}
	file := path.Join(o.p.Env, o.p.Name+"-values.yaml")
	comment := func(text string) {
		for _, line := range wrap(text, 76) {
			b.WriteString(strings.TrimRight("# "+line, " ") + "\n")
		}
	}
	// The first line is one line, whatever its length, like a snippet's.
	fmt.Fprintf(&b, "# wso2ks: values for WSO2's %s Helm chart %s, product %q, environment %q.\n", o.chart.Name, o.chart.Version, o.p.Name, o.p.Env)
	comment(fmt.Sprintf("The release deploys %s %s; wso2ks read it at %s.", o.chart.Kind.Title(), o.chart.Product, o.chart.Source))
	if o.secret {
		comment("THIS FILE HOLDS PASSWORDS: mode 0600, keep it out of git (docs/kubernetes.md says how).")
	} else {
		comment("This file holds no password: the chart reads them from the Secrets it names.")
	}
	comment("From the directory that holds " + o.p.Env + "/, apply the Secrets, then install the chart with this file:")
	b.WriteString("#   kubectl apply -f " + o.p.Env + "/\n")
	b.WriteString("#   helm repo add wso2 https://helm.wso2.com\n")
	fmt.Fprintf(&b, "#   helm install RELEASE wso2/%s --version %s%s -f %s\n", o.chart.Name, o.chart.Version, ns, file)
	for _, n := range o.notes {
		b.WriteString("#\n")
		comment(n)
	}
	return b.Bytes()
}

// wrap breaks text into lines of at most width bytes at spaces (a longer
// word stands on its own line).
func wrap(text string, width int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(text) {
		if line != "" && len(line)+1+len(w) > width {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	return append(lines, line)
}

// set puts v at the path of keys in the values, making the maps between.
func (o *overlay) set(v any, keys ...string) {
	m := o.values
	for _, k := range keys[:len(keys)-1] {
		next, ok := m[k].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[k] = next
		}
		m = next
	}
	m[keys[len(keys)-1]] = v
}

// setAt is set with a dotted path (keys without dots).
func (o *overlay) setAt(dotted string, v any) { o.set(v, strings.Split(dotted, ".")...) }

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

// store is p's store of role, and its file name (the keystores Secret's key).
func (o *overlay) store(role string) (bundle.ManifestStore, string, bool) {
	for _, s := range o.p.Stores {
		if s.Role == role {
			return s, path.Base(s.Path), true
		}
	}
	return bundle.ManifestStore{}, "", false
}

// need refuses a product without one of the stores the chart mounts.
func (o *overlay) need(roles ...string) error {
	for _, role := range roles {
		if _, _, ok := o.store(role); ok {
			continue
		}
		fix := "regenerate the bundle"
		if role == gen.RoleInternal {
			fix = "set separate_internal = true for the product in the topology and regenerate"
		}
		return bundle.Errorf("%s has no %s store, which WSO2's %s chart mounts; %s", o.where, role, o.chart.Name, fix)
	}
	return nil
}

// only refuses a store whose type the chart does not write.
func (o *overlay) only(format string, why string, roles ...string) error {
	for _, role := range roles {
		if s, file, ok := o.store(role); ok && s.Type != format {
			return bundle.Errorf("%s: WSO2's %s chart %s, and %s is %s; set format = %q for the product in the topology and regenerate",
				o.where, o.chart.Name, why, file, s.Type, strings.ToLower(format))
		}
	}
	return nil
}

// password is what the overlay gives as the password of the store of
// role: its ciphertext in vault mode, else the password itself (and the
// overlay is then secret).
func (o *overlay) password(role string) (string, error) {
	return o.secretValue(gen.SecretAlias(o.p.Name, role), gen.PasswordVar(o.p.Name, role))
}

// requireEncryptionKey refuses a product whose bundle has no [encryption]
// key: the chart would deploy WSO2's published default.
func (o *overlay) requireEncryptionKey() error {
	if v := gen.EncryptionKeyVar(o.p.Name); o.sec.values[v] == "" {
		return bundle.Errorf("%s has no %s, the encryption key of %s that WSO2's %s chart needs; update the bundle with 'wso2ks generate --update'",
			o.sec.file, v, o.where, o.chart.Name)
	}
	return nil
}

// encryptionKey is password's counterpart for the [encryption] key.
func (o *overlay) encryptionKey() (string, error) {
	if err := o.requireEncryptionKey(); err != nil {
		return "", err
	}
	return o.secretValue(gen.EncryptionSecretAlias(o.p.Name), gen.EncryptionKeyVar(o.p.Name))
}

func (o *overlay) secretValue(alias, variable string) (string, error) {
	if o.vault == nil {
		o.secret = true
		return o.sec.values[variable], nil
	}
	if c := o.vault[alias]; c != "" {
		return c, nil
	}
	return "", bundle.Errorf("the %s of %s has no %s; regenerate the bundle", gen.CipherTextName, o.where, alias)
}
