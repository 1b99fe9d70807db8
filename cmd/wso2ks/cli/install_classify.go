package cli

import (
	"errors"
	"fmt"
	"path/filepath"
	"regexp"

	"github.com/wso2ks/wso2ks/pkg/gen"
	"github.com/wso2ks/wso2ks/pkg/infile"
	"github.com/wso2ks/wso2ks/pkg/verify"
)

// What the home has for one key store role, against the bundle.
type keyState int

const (
	keyAbsent     keyState = iota // the file the configuration names does not exist
	keyDefault                    // WSO2's shipped store: nothing depends on its key
	keyOwn                        // a key of the home's own, whoever made it
	keyUnreadable                 // a password that does not resolve, a store that does not open
)

// wso2Default is the password of every store WSO2 ships (SPEC §1).
const wso2Default = "wso2carbon"

// classify says what a home's key store is. A store is WSO2's when it is
// the pack's wso2carbon file opened with the pack's password, or holds
// WSO2's published certificate.
func classify(es *verify.EffectiveStore) keyState {
	switch {
	case es.Missing:
		return keyAbsent
	case es.Unresolved != nil:
		return keyUnreadable
	case isPackStore(es.File) && es.Password == wso2Default:
		return keyDefault
	case es.OpenErr != nil || es.Key == nil || len(es.Key.Chain) == 0:
		return keyUnreadable
	case verify.IsWSO2DefaultCert(es.Key.Chain[0]):
		return keyDefault
	}
	return keyOwn
}

// placeholder reports whether a deployment.toml value is one the product
// resolves ($env{…}, $secret{…}, $ref{…}, $sys{…}) rather than the value.
func placeholder(v string) bool { return placeholderRe.MatchString(v) }

var placeholderRe = regexp.MustCompile(`\$(env|sys|secret|ref)\{`)

// isPackStore reports whether file is the key store a WSO2 pack ships:
// wso2carbon.jks, or wso2carbon.p12 from IS 7.1.
func isPackStore(file string) bool {
	b := filepath.Base(file)
	return b == "wso2carbon.jks" || b == "wso2carbon.p12"
}

// isKeyRole reports whether an effective store role is a key store install
// compares with the bundle's.
func isKeyRole(role string) bool {
	switch role {
	case gen.RoleTruststore, verify.RoleInternalAPITrust:
		return false
	}
	return true
}

// checkReadable refuses a home whose key stores install cannot read, unless
// --replace-keys: what it cannot read it cannot keep.
func (in *installer) checkReadable() error {
	for i := range in.home.eff.Stores {
		es := &in.home.eff.Stores[i]
		if !isKeyRole(es.Role) || in.opts.ReplaceKeys || classify(es) != keyUnreadable || es.File == in.home.registry {
			continue
		}
		if es.Unresolved != nil {
			return &gen.InputError{File: in.home.deployment, Msg: fmt.Sprintf("%v, so install cannot read the home's %s key to keep it; export the variables of the secrets.env the earlier install wrote (set -a; . FILE; set +a) and install again, or pass --replace-keys",
				es.Unresolved, es.Role)}
		}
		if errors.Is(es.OpenErr, infile.ErrRefused) { // a FIFO, a file over its limit
			return es.OpenErr
		}
		why := "it has no key"
		if es.OpenErr != nil {
			why = es.OpenErr.Error()
		}
		if placeholder(es.PasswordRaw) {
			return &gen.InputError{File: es.File, Msg: fmt.Sprintf("the home's %s store does not open with the password %s gives (%s), so install cannot keep its key; export the secrets.env the home runs with (set -a; . FILE; set +a) and install again, or pass --replace-keys",
				es.Role, es.PasswordRaw, why)}
		}
		return &gen.InputError{File: es.File, Msg: fmt.Sprintf("the home's %s store does not open with the passwords of %s (%s), so install cannot keep its key; correct %s in deployment.toml, or pass --replace-keys",
			es.Role, es.Table, why, es.Table)}
	}
	return nil
}
