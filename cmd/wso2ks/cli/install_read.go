package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/pelletier/go-toml/v2"
	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/deploytoml"
	"github.com/wso2ks/wso2ks/pkg/gen"
	"github.com/wso2ks/wso2ks/pkg/infile"
	"github.com/wso2ks/wso2ks/pkg/keystore"
	"github.com/wso2ks/wso2ks/pkg/verify"
)

// homeState is what the home runs with, read before anything is decided.
type homeState struct {
	deployment string // the path of deployment.toml
	eff        *verify.Effective
	// record is what an earlier install wrote; nil when none did (or an
	// older wso2ks did).
	record *deploytoml.InstallRecord
	// used says why the home may hold data (usedHome), "" for a fresh pack.
	used string
	// registry is the WS-Security store an earlier install wrote for the
	// registry, which no table names: replaced when it cannot be read.
	registry string
}

// key is the home's own key store of role (not WSO2's, readable), or nil.
func (h *homeState) key(role string) *verify.EffectiveStore {
	if es := h.eff.Store(role); es != nil && classify(es) == keyOwn {
		return es
	}
	return nil
}

// readHome reads the home's deployment.toml as the server would, opening
// every store it names with the passwords it gives: $env{…} from the
// environment (or the bundle's secrets.env), $secret{…} through the secure
// vault, $ref{…} from the file. A key store it cannot read is refused here,
// before any key is made.
func (in *installer) readHome() error {
	home := in.opts.Home
	deployment := filepath.Join(home, filepath.FromSlash(in.layout.Deployment))
	doc, err := checkTOML(deployment)
	if err != nil {
		return err
	}
	var v gen.Version
	fmt.Sscanf(in.version, "%d.%d.%d", &v.Major, &v.Minor, &v.Patch)
	p := verify.Product{Target: home, Name: in.product, Kind: gen.Kind(in.kind), Version: v, HasVersion: true,
		Root: home, Config: deployment, Passwords: in.knownPasswords()}
	o := verify.Options{Getenv: in.f.Getenv, Now: in.f.Now(),
		VaultPasswordHint: func(role string) string { return gen.PasswordVar(in.product, role) + " is not set" }}
	eff, err := verify.ReadEffective(p, o)
	if err != nil {
		return err
	}
	in.home = &homeState{deployment: deployment, eff: eff, used: usedHome(home, doc)}
	in.reasons = map[string]string{}
	record := filepath.Join(home, filepath.FromSlash(deploytoml.InstallRecordPath))
	switch data, err := infile.Read(record, infile.HomeFile); {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return readError(record, err)
	default:
		if in.home.record, err = deploytoml.ParseInstallRecord(data); err != nil {
			return &gen.InputError{File: record, Msg: "is not the record an earlier wso2ks install wrote; remove it and install again (its truststore entries are then all kept)"}
		}
	}
	in.registryWSSec()
	if err := in.checkReadable(); err != nil {
		return err
	}
	return in.checkTrustReadable()
}

// registryWSSec adds to the home's stores the WS-Security store an earlier
// install wrote where deployment.toml has no table for it (IS before 7.1,
// APIM, MI before 4.4: the store is uploaded to the registry, SPEC §1), so
// that it is kept or its replacement said. Its password is only in the
// environment (or the bundle's secrets.env); without it the store is
// replaced, and the output says so.
func (in *installer) registryWSSec() {
	h := in.home
	if h.eff.Store(gen.RoleWSSec) != nil || h.record == nil {
		return
	}
	for _, r := range h.record.Stores {
		file := filepath.Join(in.opts.Home, filepath.FromSlash(r.Path))
		if r.Role != gen.RoleWSSec {
			continue
		}
		if _, err := os.Stat(file); err != nil {
			return
		}
		es := verify.EffectiveStore{Role: gen.RoleWSSec, Table: "the WS-Security store of the registry", File: file, Type: keystore.JKS}
		if strings.HasSuffix(file, ".p12") {
			es.Type = keystore.PKCS12
		}
		name := gen.PasswordVar(in.product, gen.RoleWSSec)
		pw, ok := in.knownPasswords()[name]
		if !ok {
			es.Unresolved = fmt.Errorf("%s is not set", name)
		} else if es.Data, es.OpenErr = infile.Read(file, infile.KeyStore); es.OpenErr == nil {
			es.Password, es.KeyPassword = pw, pw
			es.Store, es.OpenErr = keystore.Decode(es.Type, es.Data, pw)
			switch {
			case es.OpenErr != nil:
			case len(es.Store.Keys) != 1:
				es.OpenErr = fmt.Errorf("it holds %d keys, not one", len(es.Store.Keys))
			default:
				es.Key, es.Alias = &es.Store.Keys[0], es.Store.Keys[0].Alias
			}
		}
		h.registry = file
		h.eff.Stores = append(h.eff.Stores, es)
		return
	}
}

// knownPasswords are the passwords the home's placeholders may name:
// --bundle's secrets.env, each overridden by the variable of the same name
// in the environment, which is what the server runs with. A password that
// is not the home's only fails to open its store; the encryption key has
// no such check, so it comes from the environment (or the vault) alone.
func (in *installer) knownPasswords() map[string]string {
	out := map[string]string{}
	if in.b != nil {
		for _, f := range in.b.Files {
			if f.Path == path.Join(in.env, bundle.SecretsName) {
				if pw, err := bundle.ParseSecretsEnv(f.Data); err == nil {
					out = pw
				}
			}
		}
	} else {
		for _, s := range in.plan.Environments[0].Products[0].Stores {
			out[s.PasswordVar] = ""
		}
	}
	out[gen.EncryptionKeyVar(in.product)] = ""
	for name := range out {
		if v, ok := in.f.Getenv(name); ok {
			out[name] = v
		} else if out[name] == "" {
			delete(out, name)
		}
	}
	return out
}

// checkTOML parses deployment.toml, and refuses one that is not TOML with
// the line and column of the mistake.
func checkTOML(file string) (map[string]any, error) {
	data, err := infile.Read(file, infile.Deployment)
	if err != nil {
		return nil, readError(file, err)
	}
	var doc map[string]any
	var de *toml.DecodeError
	if err := toml.Unmarshal(data, &doc); errors.As(err, &de) {
		line, col := de.Position()
		return nil, &gen.InputError{File: file, Line: line, Column: col, Msg: de.Error() + "; fix the TOML syntax"}
	} else if err != nil {
		return nil, &gen.InputError{File: file, Msg: err.Error() + "; fix the TOML syntax"}
	}
	return doc, nil
}

// rel names a file of the home relative to it, as install's output does.
func (in *installer) rel(file string) string {
	if r, err := filepath.Rel(in.opts.Home, file); err == nil && !strings.HasPrefix(r, "..") {
		return filepath.ToSlash(r)
	}
	return file
}

// homeKind is the kind, and so the size limit, of a file install reads in
// a home (or a copy of one beside it).
func homeKind(name string) infile.Kind {
	base := strings.ToLower(filepath.Base(name))
	switch {
	case strings.Contains(base, ".p12"), strings.Contains(base, ".pfx"), strings.Contains(base, ".jks"):
		return infile.KeyStore
	case strings.Contains(base, ".toml"):
		return infile.Deployment
	case strings.Contains(base, ".properties"):
		return infile.Properties
	}
	return infile.HomeFile
}

// readError is what a failed read of a home's file says: a refusal
// (a FIFO, a file over its limit) as it is, exit 2; anything else an I/O
// failure naming the file.
func readError(file string, err error) error {
	if errors.Is(err, infile.ErrRefused) {
		return err
	}
	return fmt.Errorf("read %s: %w", file, err)
}
