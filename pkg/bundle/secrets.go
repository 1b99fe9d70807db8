package bundle

import (
	"bytes"
	"errors"
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/wso2ks/wso2ks/pkg/gen"
)

// secretsHeader is the first line of secrets.env; %q is the environment.
// SecretsEnvOf reads it back, and the header bundles written before the
// encryption key joined the file (oldSecretsHeader).
const (
	secretsHeader    = "# wso2ks: keystore passwords and encryption keys for environment %q. Keep this file secret.\n"
	oldSecretsHeader = "# wso2ks: keystore passwords for environment %q. Keep this file secret.\n"
)

// SecretVar is one line of secrets.env.
type SecretVar struct{ Name, Value string }

// SecretsEnv renders secrets.env: NAME=value lines that `set -a; .
// secrets.env` loads in a POSIX shell. Generated values are letters and
// digits; a supplied one with other characters is single-quoted.
func SecretsEnv(env string, vars []SecretVar) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, secretsHeader, env)
	b.WriteString("# Load it with: set -a; . ./secrets.env; set +a\n")
	for _, v := range vars {
		fmt.Fprintf(&b, "%s=%s\n", v.Name, shellQuote(v.Value))
	}
	return b.Bytes()
}

var shellSafe = regexp.MustCompile(`^[A-Za-z0-9_./+:@%,=-]+$`)

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if shellSafe.MatchString(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// ParseSecretsEnv reads the secrets.env format back: NAME=value lines whose
// value is bare or single-quoted (with '\” for a quote), an optional
// "export ", '#' comments and blank lines. Errors name the line, never a
// value.
func ParseSecretsEnv(data []byte) (map[string]string, error) {
	out := map[string]string{}
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSuffix(line, "\r")
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		trimmed = strings.TrimPrefix(trimmed, "export ")
		name, raw, ok := strings.Cut(trimmed, "=")
		if !ok || !varName.MatchString(name) {
			return nil, fmt.Errorf("line %d is not NAME=value", i+1)
		}
		value, err := shellUnquote(raw)
		if err != nil {
			return nil, fmt.Errorf("line %d (%s): %v", i+1, name, err)
		}
		if _, dup := out[name]; dup {
			return nil, fmt.Errorf("line %d: %s is set twice", i+1, name)
		}
		out[name] = value
	}
	return out, nil
}

// SecretsEnvOf returns the environment whose passwords a secrets.env holds,
// as its first line names it, and false for a file without that line (one
// written by hand).
func SecretsEnvOf(data []byte) (string, bool) {
	line, _, _ := strings.Cut(string(data), "\n")
	line = strings.TrimSuffix(line, "\r")
	for _, header := range []string{secretsHeader, oldSecretsHeader} {
		prefix, suffix, _ := strings.Cut(strings.TrimSuffix(header, "\n"), "%q")
		quoted, hasPrefix := strings.CutPrefix(line, prefix)
		quoted, hasSuffix := strings.CutSuffix(quoted, suffix)
		if !hasPrefix || !hasSuffix {
			continue
		}
		env, err := strconv.Unquote(quoted)
		return env, err == nil
	}
	return "", false
}

var varName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

func shellUnquote(raw string) (string, error) {
	var b strings.Builder
	for raw != "" {
		if raw[0] == '\'' {
			end := strings.IndexByte(raw[1:], '\'')
			if end < 0 {
				return "", errors.New("a single quote is not closed")
			}
			b.WriteString(raw[1 : 1+end])
			raw = raw[2+end:]
			continue
		}
		if raw[0] == '\\' && len(raw) > 1 {
			b.WriteByte(raw[1])
			raw = raw[2:]
			continue
		}
		if strings.ContainsRune(" \t\"$`", rune(raw[0])) {
			return "", errors.New("the value has a character a shell would interpret; single-quote it")
		}
		b.WriteByte(raw[0])
		raw = raw[1:]
	}
	return b.String(), nil
}

// ParseProperties reads the key=value lines of a Java properties file as
// the secure vault's files write them (secret-conf.properties,
// cipher-text.properties): '#' and '!' comments, blank lines, no line
// continuations.
func ParseProperties(data []byte) map[string]string {
	out := map[string]string{}
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' || line[0] == '!' {
			continue
		}
		k, v, _ := strings.Cut(line, "=")
		out[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	return out
}

// FileMap maps the path of each of b's files to its bytes.
func (b *Bundle) FileMap() map[string][]byte {
	files := make(map[string][]byte, len(b.Files))
	for _, f := range b.Files {
		files[f.Path] = f.Data
	}
	return files
}

// Passwords are the passwords of p's stores by variable (gen.PasswordVar),
// from secrets, the variables of its environment's secrets.env
// (EnvSecrets). A store without one is a bundle error that names the
// variable.
func (p *Product) Passwords(secrets map[string]string) (map[string]string, error) {
	out := make(map[string]string, len(p.Stores))
	for _, s := range p.Stores {
		v := gen.PasswordVar(p.Name, s.Role)
		if secrets[v] == "" {
			return nil, Errorf("%s has no %s, the password of %s; regenerate the bundle", path.Join(p.Env, SecretsName), v, s.Path)
		}
		out[v] = secrets[v]
	}
	return out, nil
}

// EnvSecrets reads environment env's secrets.env from files (a FileMap):
// its variables. A missing or malformed file is a bundle error that names
// it (never a value).
func EnvSecrets(files map[string][]byte, env string) (map[string]string, error) {
	file := path.Join(env, SecretsName)
	data, ok := files[file]
	if !ok {
		return nil, Errorf("%s is missing from the bundle", file)
	}
	values, err := ParseSecretsEnv(data)
	if err != nil {
		return nil, Errorf("%s: %v", file, err)
	}
	return values, nil
}
