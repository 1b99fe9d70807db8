package gen

import (
	"errors"
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/wso2ks/wso2ks/pkg/infile"
	"github.com/wso2ks/wso2ks/pkg/keystore"
)

// PasswordSources is a product's [product.passwords] table: where the
// password of each store comes from instead of being generated. A value is
// "env:NAME" (an environment variable of the machine running wso2ks) or
// "file:PATH" (a file whose first line is the password, relative to the
// topology file). ${env} is expanded in both.
type PasswordSources struct {
	Primary    string `toml:"primary"`
	Internal   string `toml:"internal"`
	TLS        string `toml:"tls"`
	WSSec      string `toml:"wssec"`
	Truststore string `toml:"truststore"`
	// EncryptionKey is the product's existing [encryption] key, for
	// versions with a symmetric internal crypto provider (see
	// InternalProvider): hex digits, checked with CheckEncryptionKey.
	EncryptionKey string `toml:"encryption_key"`
}

// encryptionKeyRef is the name under which Config.supplied holds a supplied
// encryption key, beside the store roles.
const encryptionKeyRef = "encryption_key"

func (s *PasswordSources) byRole() []struct{ role, ref string } {
	return []struct{ role, ref string }{
		{RolePrimary, s.Primary}, {RoleInternal, s.Internal}, {RoleTLS, s.TLS},
		{RoleWSSec, s.WSSec}, {RoleTruststore, s.Truststore},
	}
}

// CheckPassword reports what is wrong with a password a user supplies, in
// words that never repeat it: keytool and JDK 17 refuse non-ASCII PKCS#12
// passwords, keystore-go mangles non-ASCII JKS passwords, and keytool wants
// at least six characters.
func CheckPassword(pw string) string {
	if len(pw) < keystore.MinPasswordLength {
		return fmt.Sprintf("is %d characters long; use at least %d", len(pw), keystore.MinPasswordLength)
	}
	for i := 0; i < len(pw); i++ {
		if pw[i] < 0x20 || pw[i] > 0x7e {
			return fmt.Sprintf("has a character that is not printable ASCII at position %d; use printable ASCII only", i+1)
		}
	}
	return ""
}

var envVarRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// supplied is a password the topology names, resolved for one environment.
type supplied struct {
	value  string
	source string // "env:NAME" or "file:PATH", for plan and errors
}

// resolvePasswords reads the passwords and the encryption key product p
// names for environment env and records them under env/product/role.
func (v *validator) resolvePasswords(cfg *Config, env string, p ProductConfig, o Options) error {
	if p.passwords == nil {
		return nil
	}
	for _, r := range p.passwords.byRole() {
		if r.ref == "" {
			continue
		}
		at := p.path + ".passwords." + r.role
		switch {
		case r.role == RoleWSSec && !p.WSSecurity:
			return v.errAt(at, "product %q: passwords.wssec is set but ws_security is not; remove it or set ws_security = true", p.Name)
		case r.role == RoleInternal && !o.SeparateInternal:
			return v.errAt(at, "product %q in environment %q: passwords.internal is set but separate_internal = false; remove it", p.Name, env)
		}
		sup, err := v.readSecretRef(at, p.Name, r.role, r.ref, env)
		if err != nil {
			return err
		}
		if msg := CheckPassword(sup.value); msg != "" {
			return v.errAt(at, "product %q in environment %q: the %s password from %s %s", p.Name, env, r.role, sup.source, msg)
		}
		cfg.supplied[path.Join(env, p.Name, r.role)] = sup
	}
	if ref := p.passwords.EncryptionKey; ref != "" {
		at := p.path + ".passwords." + encryptionKeyRef
		if InternalProvider(p.Kind, p.Version) != ProviderSymmetric {
			return v.errAt(at, "product %q: passwords.encryption_key is set, but %s %s %s; remove it",
				p.Name, kinds[p.Kind].title, p.Version, noKeyReason(p.Kind))
		}
		sup, err := v.readSecretRef(at, p.Name, encryptionKeyRef, ref, env)
		if err != nil {
			return err
		}
		if msg := CheckEncryptionKey(p.Kind, p.Version, sup.value); msg != "" {
			return v.errAt(at, "product %q in environment %q: the encryption key from %s %s", p.Name, env, sup.source, msg)
		}
		cfg.supplied[path.Join(env, p.Name, encryptionKeyRef)] = sup
	}
	return nil
}

// noKeyReason says why a product version has no [encryption] key.
func noKeyReason(kind Kind) string {
	if kind == MicroIntegrator {
		return "reads no [encryption] key"
	}
	return "encrypts internal data with its internal keystore, not with an [encryption] key"
}

// readSecretRef reads the value a [product.passwords] entry names:
// "env:NAME" or "file:PATH" (its first line), ${env} expanded.
func (v *validator) readSecretRef(at, product, name, ref, env string) (supplied, error) {
	kind, target, ok := strings.Cut(ref, ":")
	if !ok || (kind != "env" && kind != "file") || target == "" {
		return supplied{}, v.errAt(at, "product %q: passwords.%s must be \"env:VARIABLE\" or \"file:PATH\"; passwords themselves never go in the topology", product, name)
	}
	x, err := expandEnv(target, env)
	if err != nil {
		return supplied{}, v.errAt(at, "product %q: passwords.%s: %v", product, name, err)
	}
	var value string
	switch kind {
	case "env":
		if !envVarRe.MatchString(x) {
			return supplied{}, v.errAt(at, "product %q: passwords.%s: %q is not an environment variable name", product, name, x)
		}
		var set bool
		if v.src.Getenv != nil {
			value, set = v.src.Getenv(x)
		}
		if !set {
			return supplied{}, v.errAt(at, "product %q: passwords.%s: environment variable %s is not set; export it before running wso2ks", product, name, x)
		}
	case "file":
		if msg := badPath(x); msg != "" {
			return supplied{}, v.errAt(at, "product %q: passwords.%s: file %q %s", product, name, x, msg)
		}
		if v.src.ReadFile == nil {
			return supplied{}, v.errAt(at, "product %q: passwords.%s: files cannot be read from the built-in topology; pass a topology with -f", product, name)
		}
		full := x
		if !path.IsAbs(x) && v.src.Dir != "" {
			full = path.Join(v.src.Dir, x)
		}
		data, err := v.src.ReadFile(full, infile.Password)
		if err != nil {
			var re *infile.Error
			if errors.As(err, &re) {
				return supplied{}, v.errAt(at, "product %q: passwords.%s: file %q %s", product, name, x, re.Reason)
			}
			return supplied{}, v.errAt(at, "product %q: passwords.%s: file %q cannot be read (%v)", product, name, x, unwrapPathError(err))
		}
		value = infile.FirstLine(data)
	}
	return supplied{value: value, source: kind + ":" + x}, nil
}
