package emit

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/wso2ks/wso2ks/pkg/gen"
)

// Kubernetes output (issue 3, point 5). For every environment and product of
// a bundle K8sManifests makes three objects, one per file, so that
// `kubectl apply -f k8s/<env>/` applies an environment and a GitOps diff shows
// one object per file:
//
//	<env>/<product>-keystores.yaml  Secret wso2ks-<env>-<product>-keystores: the
//	                                store files, keyed by file name, to mount
//	                                (subPath per key) in repository/resources/security/
//	<env>/<product>-passwords.yaml  Secret wso2ks-<env>-<product>-passwords: the
//	                                product's secrets.env variables, for envFrom
//	<env>/<product>-config.yaml     wso2ks-<env>-<product>-config holding
//	                                deployment.snippet.toml, to merge into
//	                                deployment.toml, and in vault mode the secure
//	                                vault's secret-conf.properties and
//	                                cipher-text.properties
//
// The snippet is not a key of the passwords Secret: envFrom turns every key of
// a Secret into an environment variable (or skips it with a warning event), so
// that Secret holds variables only. The config object is a ConfigMap when its
// files hold no password — env mode, where the snippet says $env{…}, which the
// passwords Secret resolves, and vault mode, where it says $secret{…} and
// holds ciphertexts — and a Secret of the same name when they do (plain mode).
// That is decided from the bytes, not from a mode the bundle does not record:
// files that contain any password of their environment's secrets.env make a
// Secret, so a password never lands in a ConfigMap (a short supplied password
// that happens to occur in the text only makes it a Secret needlessly).

// K8sDir is the directory inside a bundle that holds the manifests: where
// `wso2ks k8s` writes by default. The paths K8sManifests returns are relative
// to it.
const K8sDir = "k8s"

// K8sOptions shape the manifests.
type K8sOptions struct {
	// Namespace is metadata.namespace; empty leaves it out, so that kubectl
	// uses its current namespace.
	Namespace string
}

const (
	// k8sNameMax is the length of an RFC 1123 label, which Kubernetes
	// requires of namespaces and allows for every object name here; label
	// values have the same limit.
	k8sNameMax = 63
	// k8sHashLen hex digits of SHA-256 keep a shortened name unique.
	k8sHashLen = 8
	// k8sObjectMax: the API server refuses a Secret or ConfigMap whose keys
	// and values add up to more than 1 MiB.
	k8sObjectMax = 1 << 20
)

var (
	dns1123Label = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)
	k8sDataKey   = regexp.MustCompile(`^[-._a-zA-Z0-9]+$`)
)

// ValidK8sName reports whether s is a DNS-1123 label: a valid namespace and
// object name.
func ValidK8sName(s string) bool { return len(s) <= k8sNameMax && dns1123Label.MatchString(s) }

// validDataKey is Kubernetes' rule for Secret and ConfigMap keys.
func validDataKey(k string) bool {
	return k8sDataKey.MatchString(k) && k != "." && !strings.HasPrefix(k, "..")
}

// k8sName is wso2ks-<env>-<product>-<component>. One longer than a label is
// cut and given a hash of env and product, so it stays unique and is the
// same on every run; the three objects of a product share that hash.
func k8sName(env, product, component string) string {
	name := "wso2ks-" + env + "-" + product + "-" + component
	if len(name) <= k8sNameMax {
		return name
	}
	sum := sha256.Sum256([]byte(env + "/" + product))
	hash := hex.EncodeToString(sum[:])[:k8sHashLen]
	keep := k8sNameMax - len("wso2ks-") - len(hash) - len(component) - 2
	mid := strings.TrimRight((env + "-" + product)[:keep], "-")
	return "wso2ks-" + mid + "-" + hash + "-" + component
}

// k8sObject is one Secret or ConfigMap.
type k8sObject struct {
	kind, name, component, comment string
	labels                         map[string]string
	data                           map[string][]byte
}

// K8sManifests returns the Kubernetes manifests of bundle b: for each
// environment and product a keystores Secret, a passwords Secret and the
// config object (see above), as files under K8sDir.
func K8sManifests(b *Bundle, opts K8sOptions) ([]File, error) {
	if opts.Namespace != "" && !ValidK8sName(opts.Namespace) {
		return nil, fmt.Errorf("namespace %q is not a DNS-1123 label", opts.Namespace)
	}
	if err := checkManifest(b.Manifest, ManifestName); err != nil {
		return nil, err
	}
	files := make(map[string][]byte, len(b.Files))
	for _, f := range b.Files {
		files[f.Path] = f.Data
	}
	var out []File
	owner := map[string]string{} // object name → environment/product
	secrets := map[string]*envSecrets{}
	for _, p := range manifestProducts(b.Manifest) {
		sec := secrets[p.env]
		if sec == nil {
			var err error
			if sec, err = readSecretsEnv(path.Join(p.env, SecretsName), files); err != nil {
				return nil, err
			}
			secrets[p.env] = sec
		}
		objs, err := p.objects(files, sec)
		if err != nil {
			return nil, err
		}
		for _, o := range objs {
			who := p.env + "/" + p.name
			if prev, dup := owner[o.name]; dup {
				return nil, badBundle("%s and %s both give the Kubernetes name %q; rename an environment or a product", prev, who, o.name)
			}
			owner[o.name] = who
			out = append(out, File{Path: path.Join(p.env, p.name+"-"+o.component+".yaml"), Data: o.yaml(opts.Namespace)})
		}
	}
	return out, nil
}

// k8sProduct is one product of one environment, with its stores in
// manifest order.
type k8sProduct struct {
	env, name string
	stores    []ManifestStore
}

func manifestProducts(m Manifest) []*k8sProduct {
	var out []*k8sProduct
	index := map[string]*k8sProduct{}
	for _, s := range m.Stores {
		id := s.Env + "/" + s.Product
		if index[id] == nil {
			index[id] = &k8sProduct{env: s.Env, name: s.Product}
			out = append(out, index[id])
		}
		index[id].stores = append(index[id].stores, s)
	}
	return out
}

func (p *k8sProduct) objects(files map[string][]byte, sec *envSecrets) ([]*k8sObject, error) {
	where := fmt.Sprintf("product %q in environment %q", p.name, p.env)
	stores, passwords := map[string][]byte{}, map[string][]byte{}
	for _, s := range p.stores {
		data, ok := files[s.Path]
		if !ok {
			return nil, badBundle("%s is missing from the bundle", s.Path)
		}
		stores[path.Base(s.Path)] = data
		v := gen.PasswordVar(s.Product, s.Role)
		pw := sec.values[v]
		if pw == "" {
			return nil, badBundle("%s has no %s, the password of %s; regenerate the bundle", sec.file, v, s.Path)
		}
		passwords[v] = []byte(pw)
	}
	snippetPath := path.Join(p.env, p.name, SnippetName)
	snippet, ok := files[snippetPath]
	if !ok {
		return nil, badBundle("%s is missing from the bundle", snippetPath)
	}
	config := &k8sObject{kind: "ConfigMap", component: "config", data: map[string][]byte{SnippetName: snippet},
		comment: fmt.Sprintf("deployment.toml tables of %s: merge them into the product's deployment.toml.", where)}
	var vault []string
	for _, f := range vaultFiles(p.env, p.name) {
		if data, ok := files[f]; ok {
			if config.data[path.Base(f)] != nil {
				return nil, badBundle("product %q in environment %q has two %s; keep the one of its kind", p.name, p.env, path.Base(f))
			}
			config.data[path.Base(f)] = data
			vault = append(vault, path.Base(f))
			config.comment = fmt.Sprintf("deployment.toml tables of %s: merge them into the product's deployment.toml; put %s in %s/ of the product home.",
				where, strings.Join(vault, " and "), strings.TrimPrefix(path.Dir(f), p.env+"/"+p.name+"/"))
		}
	}
	for name, data := range config.data {
		if !utf8.Valid(data) {
			return nil, badBundle("%s of %s is not UTF-8 text", name, where)
		}
		if sec.appearsIn(data) {
			config.kind = "Secret"
		}
	}
	if config.kind == "Secret" {
		config.comment += " This file holds passwords (plain mode): keep it secret."
	}
	objs := []*k8sObject{
		{kind: "Secret", component: "keystores", data: stores,
			comment: fmt.Sprintf("keystores of %s: mount each key (subPath) in repository/resources/security/. Keep this file secret.", where)},
		{kind: "Secret", component: "passwords", data: passwords,
			comment: fmt.Sprintf("store passwords of %s, for envFrom. Keep this file secret.", where)},
		config,
	}
	kind := productKind(snippet, p.env, p.name)
	for _, o := range objs {
		o.name = k8sName(p.env, p.name, o.component)
		o.labels = map[string]string{
			"app.kubernetes.io/component":  o.component,
			"app.kubernetes.io/managed-by": "wso2ks",
			"app.kubernetes.io/part-of":    "wso2",
			"wso2ks.io/environment":        p.env,
			"wso2ks.io/product":            p.name,
		}
		if kind != "" {
			o.labels["app.kubernetes.io/name"] = kind
		}
		size := 0
		for k, v := range o.data {
			size += len(k) + len(v)
		}
		if size > k8sObjectMax {
			return nil, badBundle("the %s of %s hold %d bytes, more than the %d a Kubernetes %s can; leave out the public CAs (public_cas = false) or ship the stores another way",
				o.component, where, size, k8sObjectMax, o.kind)
		}
	}
	return objs, nil
}

// vaultFiles are the secure vault's files a product of a vault-mode bundle
// has (IS and APIM keep them in repository/conf/security, MI in
// conf/security). They hold ciphertexts and references, no password: the
// server reads the cipher store's password from password-tmp, which an
// entrypoint writes from the passwords Secret.
func vaultFiles(env, product string) []string {
	var out []string
	for _, dir := range []string{"repository/conf/security", "conf/security"} {
		for _, name := range []string{gen.SecretConfName, gen.CipherTextName} {
			out = append(out, path.Join(env, product, dir, name))
		}
	}
	return out
}

// productKind reads the product kind (wso2is…) from the first line of its
// snippet, which names the product ("# wso2ks: keystores for WSO2 Identity
// Server 7.1.0, product …"); "" when the line does not say, and the
// app.kubernetes.io/name label is then left out.
func productKind(snippet []byte, env, product string) string {
	line, _, _ := bytes.Cut(snippet, []byte("\n"))
	rest, ok := strings.CutPrefix(string(line), "# wso2ks: keystores for ")
	if !ok || !strings.HasSuffix(rest, fmt.Sprintf(", product %q, environment %q.", product, env)) {
		return ""
	}
	for kind, title := range titles {
		if strings.HasPrefix(rest, title+" ") {
			return string(kind)
		}
	}
	return ""
}

// yaml renders o. Every key and value that comes from data is a quoted YAML
// scalar; Secret data is base64 on one line; maps are in key order.
func (o *k8sObject) yaml(namespace string) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# wso2ks: %s\napiVersion: v1\nkind: %s\nmetadata:\n  name: %s\n", o.comment, o.kind, yamlQuote(o.name))
	if namespace != "" {
		fmt.Fprintf(&b, "  namespace: %s\n", yamlQuote(namespace))
	}
	b.WriteString("  labels:\n")
	for _, k := range sortedKeys(o.labels) {
		fmt.Fprintf(&b, "    %s: %s\n", yamlQuote(k), yamlQuote(o.labels[k]))
	}
	if o.kind == "Secret" {
		b.WriteString("type: Opaque\n")
	}
	b.WriteString("data:\n")
	for _, k := range sortedKeys(o.data) {
		fmt.Fprintf(&b, "  %s: ", yamlQuote(k))
		if o.kind == "Secret" {
			b.WriteString(yamlQuote(base64.StdEncoding.EncodeToString(o.data[k])) + "\n")
		} else {
			b.WriteString(yamlText(string(o.data[k]), "    "))
		}
	}
	return b.Bytes()
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// yamlQuote writes s as a double-quoted YAML scalar, which YAML 1.1 and 1.2
// parsers read back as the same string whatever it holds.
func yamlQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case yamlPlain(r):
			b.WriteRune(r)
		case r <= 0xff:
			fmt.Fprintf(&b, `\x%02X`, r)
		default:
			fmt.Fprintf(&b, `\u%04X`, r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// yamlPlain reports whether r may stand as itself in YAML text: printable
// (YAML 1.2 §5.1) and not what YAML 1.1 reads as a line break, nor a byte
// order mark.
func yamlPlain(r rune) bool {
	switch {
	case r == 0x85, r == 0x2028, r == 0x2029, r == 0xfeff, r == utf8.RuneError:
		return false
	case r >= 0x20 && r <= 0x7e, r >= 0xa0 && r <= 0xd7ff, r >= 0xe000 && r <= 0xfffd, r >= 0x10000:
		return true
	}
	return false
}

// yamlText writes multi-line text as a literal block scalar (readable in
// `kubectl get -o yaml` and in a diff) when it can be read back exactly,
// with the chomping indicator that keeps its trailing newlines, and as a
// quoted scalar otherwise. The result ends with a newline.
func yamlText(s, indent string) string {
	if !blockSafe(s) {
		return yamlQuote(s) + "\n"
	}
	body := strings.TrimRight(s, "\n")
	chomp := "" // clip: exactly one trailing newline
	switch n := len(s) - len(body); {
	case n == 0:
		chomp = "-"
	case n > 1:
		chomp = "+"
	}
	var b strings.Builder
	b.WriteString("|" + chomp + "\n")
	for _, line := range strings.Split(body, "\n") {
		if line != "" {
			b.WriteString(indent + line)
		}
		b.WriteByte('\n')
	}
	b.WriteString(strings.Repeat("\n", max(len(s)-len(body)-1, 0)))
	return b.String()
}

// blockSafe: printable text whose lines neither start (the first one) nor
// end with a blank, so that indentation and chomping give it back as it is.
func blockSafe(s string) bool {
	body := strings.TrimLeft(s, "\n")
	if strings.TrimSpace(s) == "" || strings.HasPrefix(body, " ") {
		return false
	}
	for _, line := range strings.Split(s, "\n") {
		if strings.HasSuffix(line, " ") {
			return false
		}
		for _, r := range line {
			if !yamlPlain(r) {
				return false
			}
		}
	}
	return true
}

// ErrBundle marks a bundle that cannot be used as one: no manifest.json, a
// store it names that is missing, a secrets.env without a password.
var ErrBundle = errors.New("invalid bundle")

type bundleError struct{ msg string }

func (e *bundleError) Error() string        { return e.msg }
func (e *bundleError) Is(target error) bool { return target == ErrBundle }

func badBundle(format string, args ...any) error {
	return &bundleError{fmt.Sprintf(format, args...)}
}

// envSecrets is one environment's secrets.env, parsed.
type envSecrets struct {
	file   string
	values map[string]string
}

func readSecretsEnv(file string, files map[string][]byte) (*envSecrets, error) {
	data, ok := files[file]
	if !ok {
		return nil, badBundle("%s is missing from the bundle", file)
	}
	values, err := ParseSecretsEnv(data)
	if err != nil {
		return nil, badBundle("%s: %v", file, err)
	}
	return &envSecrets{file: file, values: values}, nil
}

// appearsIn reports whether any password of the environment is in data.
func (s *envSecrets) appearsIn(data []byte) bool {
	for _, v := range s.values {
		if bytes.Contains(data, []byte(v)) {
			return true
		}
	}
	return false
}

var roles = []string{gen.RolePrimary, gen.RoleInternal, gen.RoleTLS, gen.RoleWSSec, gen.RoleTruststore}

// checkManifest checks what the manifest says before any file is looked
// up by it: names that make Kubernetes names and safe paths, store paths
// inside their product's directory, file names that are Secret keys.
// file names the manifest in errors.
func checkManifest(m Manifest, file string) error {
	if len(m.Stores) == 0 {
		return badBundle("%s lists no stores; regenerate the bundle with 'wso2ks generate'", file)
	}
	keys := map[string]bool{}
	for i, s := range m.Stores {
		at := fmt.Sprintf("%s: store %d", file, i+1)
		switch {
		case !ValidK8sName(s.Env):
			return badBundle("%s: environment %q is not a lower-case name of letters, digits and '-'", at, s.Env)
		case !ValidK8sName(s.Product):
			return badBundle("%s: product %q is not a lower-case name of letters, digits and '-'", at, s.Product)
		case !slices.Contains(roles, s.Role):
			return badBundle("%s: role %q is unknown; want one of %s", at, s.Role, strings.Join(roles, ", "))
		case !strings.HasPrefix(s.Path, s.Env+"/"+s.Product+"/") || path.Clean(s.Path) != s.Path:
			return badBundle("%s: path %q is not inside %s/%s/", at, s.Path, s.Env, s.Product)
		case !validDataKey(path.Base(s.Path)):
			return badBundle("%s: file name %q cannot be a Kubernetes Secret key (letters, digits, '-', '_' and '.')", at, path.Base(s.Path))
		}
		key := s.Env + "/" + s.Product + "/" + path.Base(s.Path)
		if keys[key] {
			return badBundle("%s: a second store named %s for product %q in environment %q", at, path.Base(s.Path), s.Product, s.Env)
		}
		keys[key] = true
	}
	return nil
}

// ReadBundle reads the bundle that Write put at dir: manifest.json, every
// store it names, each environment's secrets.env and each product's
// snippet. A missing or malformed piece is an ErrBundle naming the file.
// Files are read through an os.Root, so neither a path in the manifest nor
// a symbolic link takes the reader outside dir; they must be regular files.
func ReadBundle(dir string) (*Bundle, error) {
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, badBundle("%s: no such bundle directory; give the directory 'wso2ks generate -o' wrote", dir)
	case err != nil:
		return nil, err
	case !st.IsDir():
		return nil, badBundle("%s is a file, not a bundle directory", dir)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	read := func(rel string) ([]byte, error) {
		name := filepath.FromSlash(rel)
		st, err := root.Lstat(name)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return nil, badBundle("%s is missing; regenerate the bundle with 'wso2ks generate'", filepath.Join(dir, name))
		case err != nil:
			return nil, err
		case !st.Mode().IsRegular():
			return nil, badBundle("%s is not a regular file; a bundle holds only the files 'wso2ks generate' writes", filepath.Join(dir, name))
		}
		return root.ReadFile(name)
	}
	manifest := filepath.Join(dir, ManifestName)
	if _, err := root.Lstat(ManifestName); errors.Is(err, fs.ErrNotExist) {
		return nil, badBundle("%s has no %s; give the directory 'wso2ks generate -o' wrote", dir, ManifestName)
	}
	data, err := read(ManifestName)
	if err != nil {
		return nil, err
	}
	b := &Bundle{Files: []File{{ManifestName, data}}}
	if err := json.Unmarshal(data, &b.Manifest); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			line := 1 + bytes.Count(data[:se.Offset], []byte("\n"))
			return nil, badBundle("%s:%d: %v; regenerate the bundle with 'wso2ks generate'", manifest, line, err)
		}
		return nil, badBundle("%s: %v; regenerate the bundle with 'wso2ks generate'", manifest, err)
	}
	if err := checkManifest(b.Manifest, manifest); err != nil {
		return nil, err
	}
	var paths []string
	for _, s := range b.Manifest.Stores {
		paths = append(paths, s.Path)
	}
	for _, p := range manifestProducts(b.Manifest) {
		paths = append(paths, path.Join(p.env, p.name, SnippetName))
		if secrets := path.Join(p.env, SecretsName); !slices.Contains(paths, secrets) {
			paths = append(paths, secrets)
		}
	}
	for _, p := range manifestProducts(b.Manifest) {
		for _, f := range vaultFiles(p.env, p.name) {
			if _, err := root.Lstat(filepath.FromSlash(f)); err == nil {
				paths = append(paths, f)
			}
		}
	}
	for _, p := range paths {
		data, err := read(p)
		if err != nil {
			return nil, err
		}
		b.Files = append(b.Files, File{p, data})
	}
	return b, nil
}
