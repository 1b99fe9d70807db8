package bundle

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"strings"

	"github.com/wso2ks/wso2ks/pkg/gen"
)

// File is one file of a bundle, by path relative to the bundle directory.
type File struct {
	Path string
	Data []byte
	// Mode is the file's permission bits; zero means FileMode.
	Mode fs.FileMode
}

// Bundle is every file generate writes, in memory.
type Bundle struct {
	Files []File
	// Manifest is what manifest.json holds.
	Manifest Manifest
}

// Names of the bundle's own files (SPEC §4).
const (
	ManifestName = "manifest.json"
	SecretsName  = "secrets.env"
	SnippetName  = "deployment.snippet.toml"
)

// Permissions of everything a bundle holds: stores, passwords and snippets
// with passwords are secrets, so nothing is readable by others.
const (
	FileMode = 0o600
	DirMode  = 0o700
	// KeyFileMode is for a bare private key file (an internal CA's key):
	// read-only even for its owner, so that nothing overwrites it by mistake.
	KeyFileMode = 0o400
)

// ErrExists is returned when the bundle directory exists, is not empty and
// force was not given; ErrNotDir when it is a file.
var (
	ErrExists = errors.New("bundle directory exists and is not empty")
	ErrNotDir = errors.New("is a file, not a directory")
)

// ErrBundle marks a bundle that cannot be used as one: no manifest.json, a
// store it names that is missing, a secrets.env without a password.
var ErrBundle = errors.New("invalid bundle")

type bundleError struct{ msg string }

func (e *bundleError) Error() string        { return e.msg }
func (e *bundleError) Is(target error) bool { return target == ErrBundle }

// Errorf is an ErrBundle with the message format and args make: a bundle
// that cannot be used as one, said at the file to fix.
func Errorf(format string, args ...any) error {
	return &bundleError{fmt.Sprintf(format, args...)}
}

// The names of a bundle are Kubernetes names: every environment and
// product name is a DNS-1123 label, and every file name a manifest lists is
// a valid Secret key, so that 'wso2ks k8s' can turn any bundle into
// manifests, and every name is a safe path element.

// labelMax is the length of an RFC 1123 label.
const labelMax = 63

var (
	dns1123Label = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)
	k8sDataKey   = regexp.MustCompile(`^[-._a-zA-Z0-9]+$`)
)

// ValidName reports whether s is a DNS-1123 label: a valid name for a
// bundle's environment or product, and for a Kubernetes namespace or object.
func ValidName(s string) bool { return len(s) <= labelMax && dns1123Label.MatchString(s) }

// validDataKey is Kubernetes' rule for Secret and ConfigMap keys.
func validDataKey(k string) bool {
	return k8sDataKey.MatchString(k) && k != "." && !strings.HasPrefix(k, "..")
}

// A product's snippet is TOML whose first line names the product it was
// made for; in vault mode the secure vault's files sit beside it.

// SnippetHeader is what the first line of a snippet says of the product it
// was made for (templates/*.toml.tmpl): "# wso2ks: keystores for WSO2
// Identity Server 7.1.0, product "iam", environment "dev".".
type SnippetHeader struct {
	Kind         gen.Kind
	Version      string // major.minor.patch
	Product, Env string
}

// Title names the product and version as the header does: "WSO2 Identity
// Server 7.1.0".
func (h SnippetHeader) Title() string { return h.Kind.Title() + " " + h.Version }

var snippetHeader = regexp.MustCompile(`^# wso2ks: keystores for (WSO2 [A-Za-z ]+) (\d+\.\d+\.\d+), product "([^"]+)", environment "([^"]+)"\.`)

// ParseSnippetHeader reads the first line of a snippet; false when it does
// not name a product wso2ks knows (a snippet written by hand).
func ParseSnippetHeader(snippet []byte) (SnippetHeader, bool) {
	line, _, _ := bytes.Cut(snippet, []byte("\n"))
	m := snippetHeader.FindSubmatch(line)
	if m == nil {
		return SnippetHeader{}, false
	}
	for _, k := range []gen.Kind{gen.IdentityServer, gen.APIManager, gen.MicroIntegrator} {
		if k.Title() == string(m[1]) {
			return SnippetHeader{Kind: k, Version: string(m[2]), Product: string(m[3]), Env: string(m[4])}, true
		}
	}
	return SnippetHeader{}, false
}

// QuoteTOML quotes s as a TOML basic string, as a snippet spells its
// strings (and merge the keys it names in messages).
func QuoteTOML(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// VaultFiles are the secure vault's files a product of a vault-mode bundle
// has (IS and APIM keep them in repository/conf/security, MI in
// conf/security). They hold ciphertexts and references, no password: the
// server reads the cipher store's password from password-tmp, which an
// entrypoint writes from the passwords Secret.
func VaultFiles(env, product string) []string {
	var out []string
	for _, dir := range []string{"repository/conf/security", "conf/security"} {
		for _, name := range []string{gen.SecretConfName, gen.CipherTextName} {
			out = append(out, path.Join(env, product, dir, name))
		}
	}
	return out
}
