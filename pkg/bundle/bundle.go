package bundle

import (
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"strings"
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
