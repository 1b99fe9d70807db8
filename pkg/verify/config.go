package verify

import (
	"bytes"
	"fmt"
	"path"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/pelletier/go-toml/v2"
	"github.com/wso2ks/wso2ks/pkg/gen"
	"github.com/wso2ks/wso2ks/pkg/keystore"
)

// wso2Default is the password and alias every WSO2 pack ships with.
const wso2Default = "wso2carbon"

// Store names of MI's internal (management) API in findings: its
// [internal_api_ssl_config.key_store] and [internal_api_ssl_config.trust_store].
const (
	RoleInternalAPI      = "internal-api"
	RoleInternalAPITrust = "internal-api-truststore"
)

// storeConf is one store as the product resolves it from deployment.toml.
type storeConf struct {
	Role  string
	Table string // where its values come from, for messages
	// FileName is the configured value; File the path it resolves to.
	FileName, File string
	Type           keystore.Format
	// Raw values as written, and resolved ones (empty when unresolved).
	raw                          map[string]string
	set                          map[string]bool // keys the table itself sets
	Password, Alias, KeyPassword string
	// KeyAliasOptional: MI before 4.2 has no key_alias; the listener takes the store's key.
	KeyAliasOptional bool
}

// serves reports whether the store holds a server's HTTPS key.
func (s *storeConf) serves() bool { return s.Role == gen.RoleTLS || s.Role == RoleInternalAPI }

// trusts reports whether the store is a truststore: no keys, three settings.
func (s *storeConf) trusts() bool {
	return s.Role == gen.RoleTruststore || s.Role == RoleInternalAPITrust
}

type config struct {
	doc      map[string]any
	stores   []*storeConf // primary, internal, tls, …, truststore, internal-api-truststore
	hostname string
}

func (c *config) store(role string) *storeConf {
	for _, s := range c.stores {
		if s.Role == role {
			return s
		}
	}
	return nil
}

func table(doc map[string]any, dotted string) (map[string]any, bool) {
	cur := doc
	for _, k := range strings.Split(dotted, ".") {
		next, ok := cur[k].(map[string]any)
		if !ok {
			return nil, false
		}
		cur = next
	}
	return cur, true
}

func stringValue(t map[string]any, key string) (string, bool) {
	if t == nil {
		return "", false
	}
	v, ok := t[key]
	if !ok {
		return "", false
	}
	if s, ok := v.(string); ok {
		return s, true
	}
	return fmt.Sprint(v), true
}

// readConfig parses deployment.toml (or a snippet) and resolves the four stores with WSO2's
// defaults: primary's keys default one by one to the pack's, internal and tls to primary's.
func readConfig(fsys FS, p Product, data []byte) (*config, error) {
	var doc map[string]any
	if bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		return nil, badInput("%s:1:1: the file starts with a UTF-8 byte order mark (BOM); save it as UTF-8 without a BOM", p.Config)
	}
	if err := toml.Unmarshal(data, &doc); err != nil {
		return nil, badInput("%s: %v; fix the TOML syntax", p.Config, err)
	}
	c := &config{doc: doc}
	if !p.Snippet {
		c.hostname = "localhost" // the product's own default
	}
	if s, ok := table(doc, "server"); ok {
		if h, ok := stringValue(s, "hostname"); ok {
			c.hostname = h
		}
	}
	ext, typ := "jks", string(keystore.JKS)
	if p.Kind == gen.IdentityServer {
		// IS 7.1 moved to PKCS#12. With no version in the directory name, the
		// pack's own store says which it is.
		jks := filepath.Join(p.Root, filepath.FromSlash(gen.SecurityDir), "wso2carbon.jks")
		if p.HasVersion && p.Version.AtLeast(7, 1) || !p.HasVersion && !exists(fsys, jks) {
			ext, typ = "p12", string(keystore.PKCS12)
		}
	}
	mi := p.Kind == gen.MicroIntegrator
	fileDefault := func(name string) string {
		if mi {
			return path.Join(gen.SecurityDir, name)
		}
		return name
	}
	primaryDefaults := map[string]string{"file_name": fileDefault("wso2carbon." + ext), "type": typ,
		"password": wso2Default, "alias": wso2Default, "key_password": wso2Default}
	primary := resolveTable(doc, "keystore.primary", primaryDefaults, nil)
	primary.Role = gen.RolePrimary
	internal := resolveTable(doc, "keystore.internal", primary.raw, nil)
	internal.Role = gen.RoleInternal
	var tls *storeConf
	if mi {
		names := map[string]string{"file_name": "location", "alias": "key_alias"}
		tls = resolveTable(doc, "transport.http.listener.keystore", primary.raw, names)
		if _, ok := table(doc, "transport.http.listener.keystore"); ok {
			tls.KeyAliasOptional = !tls.set["alias"]
		}
	} else {
		tls = resolveTable(doc, "keystore.tls", primary.raw, nil)
	}
	tls.Role = gen.RoleTLS
	trust := resolveTable(doc, "truststore", map[string]string{"file_name": fileDefault("client-truststore." + ext), "type": typ, "password": wso2Default}, nil)
	trust.Role = gen.RoleTruststore
	c.stores = []*storeConf{primary, internal, tls}
	if _, ok := table(doc, "internal_api_ssl_config.key_store"); ok && mi {
		// MI's management API listener: checked like tls when configured.
		names := map[string]string{"file_name": "location", "alias": "key_alias"}
		api := resolveTable(doc, "internal_api_ssl_config.key_store", primary.raw, names)
		api.Role, api.KeyAliasOptional = RoleInternalAPI, !api.set["alias"]
		c.stores = append(c.stores, api)
	}
	// WS-Security stores: IS's [[keystore.custom]] (five keys), MI's
	// [[keystore.secondary]] (no alias: the store's one key).
	for _, name := range []string{"keystore.custom", "keystore.secondary"} {
		for i, t := range tableArray(doc, name) {
			s := resolveMap(t, fmt.Sprintf("[[%s]] #%d", name, i+1), nil, nil)
			s.Role = gen.RoleWSSec
			if n := countRole(c.stores, gen.RoleWSSec); n > 0 {
				s.Role = fmt.Sprintf("%s-%d", gen.RoleWSSec, n+1)
			}
			s.KeyAliasOptional = !s.set["alias"]
			if !s.set["key_password"] {
				s.raw["key_password"] = s.raw["password"]
			}
			c.stores = append(c.stores, s)
		}
	}
	c.stores = append(c.stores, trust)
	if _, ok := table(doc, "internal_api_ssl_config.trust_store"); ok && mi {
		// The management API's truststore: its keys default to [truststore]'s
		// (SPEC §1: MI's defaults refer to them with $ref), and it is checked like it.
		names := map[string]string{"file_name": "location"}
		apiTrust := resolveTable(doc, "internal_api_ssl_config.trust_store", trust.raw, names)
		apiTrust.Role = RoleInternalAPITrust
		c.stores = append(c.stores, apiTrust)
	}
	for _, s := range c.stores {
		s.FileName = s.raw["file_name"]
		s.Type = keystore.Format(strings.ToUpper(s.raw["type"]))
		s.File = storePath(p, s.FileName)
	}
	return c, nil
}

// resolveTable reads the five keys of a store table; names maps wso2ks's key names to the
// table's own (MI's listener says location and key_alias).
func resolveTable(doc map[string]any, name string, defaults, names map[string]string) *storeConf {
	t, present := table(doc, name)
	label := "[" + name + "]"
	if !present {
		label += " (absent: defaults)"
	}
	return resolveMap(t, label, defaults, names)
}

// resolveMap reads the five keys of one table, labelled for messages.
func resolveMap(t map[string]any, label string, defaults, names map[string]string) *storeConf {
	s := &storeConf{Table: label, raw: map[string]string{}, set: map[string]bool{}}
	for _, key := range []string{"file_name", "type", "password", "alias", "key_password"} {
		own := key
		if n, ok := names[key]; ok {
			own = n
		}
		if v, ok := stringValue(t, own); ok {
			s.raw[key] = v
			s.set[key] = true
		} else if d, ok := defaults[key]; ok {
			s.raw[key] = d
		}
	}
	return s
}

// storePath is where the product looks for a store: IS and APIM prepend
// repository/resources/security to file_name, MI resolves it against MI_HOME.
func storePath(p Product, fileName string) string {
	if filepath.IsAbs(fileName) {
		return fileName
	}
	if p.Kind == gen.MicroIntegrator {
		return filepath.Join(p.Root, filepath.FromSlash(fileName))
	}
	return filepath.Join(p.Root, filepath.FromSlash(gen.SecurityDir), filepath.FromSlash(fileName))
}

var placeholder = regexp.MustCompile(`\$(env|sys|secret|ref)\{([^}]*)\}`)
