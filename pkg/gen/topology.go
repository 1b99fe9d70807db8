package gen

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/pelletier/go-toml/v2"
	"github.com/wso2ks/wso2ks/pkg/infile"
)

// DefaultTopologyName is how errors name the embedded default topology.
const DefaultTopologyName = "<default topology>"

//go:embed default.toml
var defaultTopology []byte

// DefaultTopology returns the topology used when no file is given: one WSO2
// Identity Server 7.1 node on localhost.
func DefaultTopology() []byte { return bytes.Clone(defaultTopology) }

// Topology is the decoded topology file (SPEC §3), before validation.
type Topology struct {
	Subject     Subject             `toml:"subject"`
	Defaults    Settings            `toml:"defaults"`
	TLS         TLSSettings         `toml:"tls"`
	Products    []ProductTable      `toml:"product"`
	Environment map[string]Settings `toml:"environment"`
}

// Subject holds the X.509 subject parts every certificate shares.
type Subject struct {
	Organization       string `toml:"organization"`
	OrganizationalUnit string `toml:"organizational_unit"`
	Locality           string `toml:"locality"`
	State              string `toml:"state"`
	Country            string `toml:"country"`
}

// Settings are the keys of [defaults], which an environment may override.
// A nil field was not set.
type Settings struct {
	Format           *string   `toml:"format"`
	PKCS12Profile    *string   `toml:"pkcs12_profile"`
	Key              *string   `toml:"key"`
	ValidityDays     *int      `toml:"validity_days"`
	TLSValidityDays  *int      `toml:"tls_validity_days"`
	PasswordMode     *string   `toml:"password_mode"`
	SeparateInternal *bool     `toml:"separate_internal"`
	PublicCAs        *bool     `toml:"public_cas"`
	ExtraTrusted     *[]string `toml:"extra_trusted"`
}

// TLSSettings is the [tls] table.
type TLSSettings struct {
	Issuer string `toml:"issuer"`
	Shared bool   `toml:"shared"`
	CACert string `toml:"ca_cert"`
	CAKey  string `toml:"ca_key"`
	// CAKeyPassphrase is where an encrypted ca_key's passphrase is:
	// "env:NAME" or "file:PATH", as [product.passwords] takes them.
	CAKeyPassphrase string `toml:"ca_key_passphrase"`
}

// ProductTable is one [[product]] table. The [defaults] keys may be overridden
// here too.
type ProductTable struct {
	Name       string   `toml:"name"`
	Kind       string   `toml:"kind"`
	Version    string   `toml:"version"`
	Hostnames  []string `toml:"hostnames"`
	Instances  []string `toml:"instances"`
	WSSecurity bool     `toml:"ws_security"`
	InstallDir string   `toml:"install_dir"`
	// Passwords names where store passwords come from instead of being
	// generated.
	Passwords *PasswordSources `toml:"passwords"`
	Settings
}

// Source is a topology document and what it needs from its surroundings.
type Source struct {
	// Name is how errors name the file: its path as the user gave it.
	Name string
	// Data is the file's content.
	Data []byte
	// ReadFile reads a file the topology names, of kind k (infile.Read
	// checks and caps it), by a path already made relative to the
	// topology's directory. Nil when files cannot be read (the embedded
	// default).
	ReadFile func(path string, k infile.Kind) ([]byte, error)
	// Dir is the topology file's directory; relative paths in the topology
	// are joined to it.
	Dir string
	// Getenv looks up an environment variable a [product.passwords] entry
	// names. Nil: none is set.
	Getenv func(string) (string, bool)
	// Now is the clock an external CA's validity is checked against. Nil:
	// time.Now.
	Now func() time.Time
}

// decode parses src strictly: an unknown key or a value of the wrong type is
// an InputError at its line and column.
func decode(src Source) (*Topology, positions, error) {
	// A byte order mark (Windows editors write one) says nothing in UTF-8:
	// dropped, so that positions are those an editor shows.
	src.Data = bytes.TrimPrefix(src.Data, []byte("\xef\xbb\xbf"))
	var t Topology
	dec := toml.NewDecoder(bytes.NewReader(src.Data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&t); err != nil {
		return nil, nil, decodeError(src.Name, err)
	}
	pos, keys := indexKeys(src.Data)
	if err := checkKeys(src.Name, keys); err != nil {
		return nil, nil, err
	}
	return &t, pos, nil
}

func decodeError(file string, err error) error {
	var strict *toml.StrictMissingError
	if errors.As(err, &strict) && len(strict.Errors) > 0 {
		first := strict.Errors[0]
		line, col := first.Position()
		path := first.Key()
		key := strings.Join(path, ".")
		if len(path) > 0 {
			if near := Closest(path[len(path)-1], keysAt(path)); near != "" {
				return &InputError{file, line, col, fmt.Sprintf("unknown key %q; did you mean %q? remove it or check its spelling against `wso2ks init`", key, near)}
			}
		}
		return &InputError{file, line, col, fmt.Sprintf("unknown key %q; remove it or check its spelling against `wso2ks init`", key)}
	}
	var de *toml.DecodeError
	if errors.As(err, &de) {
		line, col := de.Position()
		key := strings.Join(de.Key(), ".")
		// go-toml writes keys into some messages as they are, and a quoted
		// key may hold a newline: keep the error on one line.
		msg := escapeUnprintable(strings.TrimPrefix(de.Error(), "toml: "))
		// go-toml words these for Go programmers (struct field
		// gen.Settings.ValidityDays); say them in the topology's terms.
		if m := typeMismatch.FindStringSubmatch(msg); m != nil && key != "" {
			msg = fmt.Sprintf("key %q holds a TOML %s where %s is expected; change the value", key, m[1], tomlType(m[2]))
		} else {
			msg += "; fix the TOML syntax or the value's type"
		}
		return &InputError{file, line, col, msg}
	}
	return &InputError{File: file, Msg: "cannot decode: " + strings.TrimPrefix(err.Error(), "toml: ")}
}

// typeMismatch matches go-toml's "cannot decode TOML <toml type> into [struct
// field <T.F> of type ]<Go type>".
var typeMismatch = regexp.MustCompile(`^cannot decode TOML (.+) into (?:struct field \S+ of type )?(\S+)$`)

// tomlType names the TOML value a Go type of the topology expects.
func tomlType(goType string) string {
	switch {
	case goType == "int":
		return "an integer"
	case goType == "string":
		return "a string"
	case goType == "bool":
		return "true or false"
	case goType == "[]string":
		return "an array of strings"
	case strings.HasPrefix(goType, "[]"):
		return "an array of tables"
	default:
		return "a table"
	}
}

// escapeUnprintable writes the characters of s that a terminal would not
// print on one line as Go escapes (\n, \x00, \u2028).
func escapeUnprintable(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsPrint(r) {
			b.WriteRune(r)
			continue
		}
		q := strconv.QuoteRune(r)
		b.WriteString(q[1 : len(q)-1])
	}
	return b.String()
}
