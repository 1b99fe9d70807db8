package cli

import (
	"crypto"
	"fmt"

	"github.com/wso2ks/wso2ks/pkg/deploytoml"
	"github.com/wso2ks/wso2ks/pkg/gen"
	"github.com/wso2ks/wso2ks/pkg/keystore"
	"github.com/wso2ks/wso2ks/pkg/lifecycle"
	"github.com/wso2ks/wso2ks/pkg/verify"
)

// homeKeys are the home's own key stores, for -f to keep.
func (in *installer) homeKeys(p *gen.Product) lifecycle.HomeState {
	h := lifecycle.HomeState{Dir: in.opts.Home, Secrets: in.home.eff.Secrets}
	for _, role := range []string{gen.RolePrimary, gen.RoleInternal, gen.RoleTLS, gen.RoleWSSec} {
		es := in.home.key(role)
		if es == nil {
			continue
		}
		h.Keys = append(h.Keys, lifecycle.HomeKey{Role: role, Path: in.rel(es.File), Type: es.Type, Alias: es.Key.Alias,
			Key: es.Key.Key, Chain: es.Key.Chain, Password: es.Password, KeyPassword: es.KeyPassword, Data: es.Data})
	}
	if ts := in.home.eff.Store(gen.RoleTruststore); ts != nil && ts.Store != nil && ts.Password != wso2Default {
		h.TrustPassword = ts.Password
	}
	return h
}

// compareKeys holds the bundle's key stores against the home's: the home's
// own primary and internal keys are replaced only with --replace-keys; tls
// and WS-Security keys are replaced, and said so.
func (in *installer) compareKeys(stores []deploytoml.ProductStore) error {
	for i := range in.home.eff.Stores {
		es := &in.home.eff.Stores[i]
		if !isKeyRole(es.Role) {
			continue
		}
		state := classify(es)
		role := bundleRole(es.Role)
		ours := bundleKey(stores, role)
		if state == keyUnreadable {
			why := es.Unresolved
			if why == nil {
				why = es.OpenErr
			}
			in.say("keys: the bundle replaces the home's %s store %s, which install cannot read (%v)", es.Role, in.rel(es.File), why)
		}
		if state == keyDefault && role == gen.RoleInternal && in.home.used != "" && in.provider() == gen.ProviderKeystore {
			in.notes = append(in.notes, fmt.Sprintf("%s, and %s %s encrypts internal data with its internal key store ([keystore.internal], else primary): what it encrypted with WSO2's default key cannot be decrypted with the bundle's",
				in.home.used, shortTitles[gen.Kind(in.kind)], in.version))
		}
		if state != keyOwn || ours != nil && samePublic(es.Key.Key.Public(), ours.Key.Public()) {
			continue
		}
		leaf := es.Key.Chain[0]
		if (role == gen.RolePrimary || role == gen.RoleInternal) && !in.opts.ReplaceKeys {
			return &gen.InputError{File: es.File, Msg: in.keyRefusal(role, leaf.Subject.String())}
		}
		what := fmt.Sprintf("the home's %s key (%s, %s)", es.Role, in.rel(es.File), leaf.Subject)
		switch {
		case ours == nil:
			in.say("keys: %s is no longer configured: the bundle has no %s store (the file stays)", what, role)
		case in.reasons[role] != "":
			in.say("keys: the bundle replaces %s: the topology cannot keep it (%s)", what, in.reasons[role])
		default:
			in.say("keys: the bundle replaces %s", what)
		}
	}
	return nil
}

// keyRefusal says what depends on a primary or internal key, and how to
// keep it.
func (in *installer) keyRefusal(role, subject string) string {
	msg := fmt.Sprintf("the home's %s key (%s) is not the bundle's: ", role, subject)
	data := ""
	if in.provider() == gen.ProviderKeystore {
		data = fmt.Sprintf("the internal data %s %s encrypted with it", shortTitles[gen.Kind(in.kind)], in.version)
	}
	if role == gen.RolePrimary {
		msg += "signatures it made on tokens and assertions that clients still hold would no longer verify"
		// The keystore-based provider encrypts with the internal store,
		// which is primary's unless [keystore.internal] names another.
		primary, internal := in.home.eff.Store(gen.RolePrimary), in.home.eff.Store(gen.RoleInternal)
		if data != "" && internal != nil && internal.File == primary.File {
			msg += ", and " + data + " could no longer be decrypted"
		}
	} else {
		msg += "the secrets the cipher tool encrypted with it ([secrets] in deployment.toml)"
		if data != "" {
			msg += " and " + data
		}
		msg += " could no longer be decrypted"
	}
	if in.plan == nil {
		return msg + "; install a bundle made from this home's keys ('wso2ks install -f topology.toml' keeps them), or pass --replace-keys"
	}
	why := in.reasons[role]
	if why == "" {
		why = "it plans no " + role + " store of its own: separate_internal = false"
	}
	return msg + "; the topology cannot keep it (" + why + "): change the topology, or pass --replace-keys"
}

var shortTitles = map[gen.Kind]string{gen.IdentityServer: "IS", gen.APIManager: "APIM", gen.MicroIntegrator: "MI"}

// bundleRole is the bundle's store that takes the place of a home's: MI's
// internal API serves the tls store, and every WS-Security store of the
// home the bundle's one.
func bundleRole(role string) string {
	switch {
	case role == verify.RoleInternalAPI:
		return gen.RoleTLS
	case len(role) > len(gen.RoleWSSec) && role[:len(gen.RoleWSSec)+1] == gen.RoleWSSec+"-":
		return gen.RoleWSSec
	}
	return role
}

// bundleKey is the key entry of the bundle's store of role; internal falls
// back to primary, as WSO2 does when deployment.toml has no
// [keystore.internal].
func bundleKey(stores []deploytoml.ProductStore, role string) *keystore.KeyEntry {
	for _, s := range stores {
		if s.Manifest.Role == role && len(s.Store.Keys) == 1 {
			return &s.Store.Keys[0]
		}
	}
	if role == gen.RoleInternal {
		return bundleKey(stores, gen.RolePrimary)
	}
	return nil
}

func samePublic(a, b crypto.PublicKey) bool {
	k, ok := a.(interface{ Equal(crypto.PublicKey) bool })
	return ok && k.Equal(b)
}
