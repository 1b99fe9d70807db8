package verify

import (
	"crypto/x509"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/wso2ks/wso2ks/pkg/gen"
	"github.com/wso2ks/wso2ks/pkg/infile"
	"github.com/wso2ks/wso2ks/pkg/keystore"
)

// checker audits one product.
type checker struct {
	p        Product
	o        Options
	cfg      *config
	stores   map[string]*openStore
	findings []Finding
	vault    *vaultKey
	// homePasswords: a home's password files may give the vault store's password (an audit
	// reads them; install does not).
	homePasswords bool
	tlsEntry      *keystore.KeyEntry
	// leaves holds the leaf certificate of each key store role that opened.
	leaves map[string]*x509.Certificate
}

// openStore is a store file read and decoded once per product.
type openStore struct {
	data  []byte
	store *keystore.DecodedStore
	err   error
	// byKeyPassword: the keys opened with key_password, not the store password.
	byKeyPassword bool
}

func (c *checker) add(rule string, sev Severity, store, format string, args ...any) {
	f := Finding{Rule: rule, Severity: sev, Target: c.p.Target, Product: c.p.label(), Store: store,
		Message: fmt.Sprintf(format, args...)}
	if sev != Pass {
		f.Fix = ruleByID(rule).Fix
	}
	c.findings = append(c.findings, f)
}

// rel names a file relative to the product's root, as the configuration does.
func (c *checker) rel(file string) string {
	if r, err := filepath.Rel(c.p.Root, file); err == nil && !strings.HasPrefix(r, "..") {
		return filepath.ToSlash(r)
	}
	return file
}

func (c *checker) run() error {
	data, err := readInput(c.o.FS, c.p.Config, infile.Deployment)
	if err != nil {
		return err
	}
	c.cfg, err = readConfig(c.o.FS, c.p, data)
	if err != nil {
		return err
	}
	c.checkIgnoredKeys()
	r := &resolver{p: c.p, o: c.o, doc: c.cfg.doc, secret: c.decryptSecret}
	c.checkVaultStore(r)
	c.checkSecrets()
	c.checkEncryptionKey(r)
	resolved := map[*storeConf]bool{}
	for _, s := range c.cfg.stores {
		resolved[s] = c.resolveStore(r, s)
	}
	c.checkTLSEffective(r, data, resolved[c.cfg.store(gen.RoleTLS)])
	for _, s := range c.cfg.stores {
		if !s.trusts() {
			c.checkKeyStore(s, resolved[s])
		}
	}
	for _, s := range c.cfg.stores {
		if s.trusts() {
			c.checkTrustStore(s, resolved[s])
		}
	}
	return nil
}

// open reads and decodes a store, raising store-opens, file-mode and default-password.
func (c *checker) open(s *storeConf, resolved bool) *openStore {
	if !resolved && strings.Contains(s.FileName, "$") {
		return nil // placeholder has said why; there is no file name to look at
	}
	info, err := c.o.FS.Stat(s.File)
	if err != nil || !info.Mode().IsRegular() {
		c.add(RuleStoreOpens, Fail, s.Role, "%s (file_name %q of %s) is not a file", c.rel(s.File), s.FileName, s.Table)
		return nil
	}
	if perm := info.Mode().Perm(); perm&0o077 != 0 {
		c.add(RuleFileMode, Warn, s.Role, "%s is mode %04o: group or others can read it", c.rel(s.File), uint32(perm))
	} else {
		c.add(RuleFileMode, Pass, s.Role, "%s is mode %04o", c.rel(s.File), uint32(perm))
	}
	if !resolved {
		return nil
	}
	if s.Password == wso2Default || !s.trusts() && s.KeyPassword == wso2Default {
		c.add(RuleDefaultPass, Fail, s.Role, "%s uses WSO2's default password", s.Table)
	} else {
		c.add(RuleDefaultPass, Pass, s.Role, "%s does not use WSO2's default password", s.Table)
	}
	if s.Type != keystore.JKS && s.Type != keystore.PKCS12 {
		c.add(RuleStoreOpens, Fail, s.Role, "%s type %q is neither JKS nor PKCS12", s.Table, s.Type)
		return nil
	}
	o := c.decode(s)
	if o.err != nil {
		c.add(RuleStoreOpens, Fail, s.Role, "%s does not open as %s with the password of %s: %v", c.rel(s.File), s.Type, s.Table, o.err)
		return nil
	}
	c.add(RuleStoreOpens, Pass, s.Role, "%s opens as %s", c.rel(s.File), s.Type)
	return o
}

// decode reads and decodes a resolved store once per product: first with the store password,
// then, for a JKS key store whose keys do not open with it, with key_password.
func (c *checker) decode(s *storeConf) *openStore {
	key := string(s.Type) + "\x00" + s.File + "\x00" + s.Password
	if o, ok := c.stores[key]; ok {
		return o
	}
	o := &openStore{}
	data, err := c.o.FS.ReadFile(s.File, infile.KeyStore)
	o.data = data
	if err == nil {
		// A key that does not open with the store password IS and APIM open with key_password;
		// a truststore's password opens all it holds.
		keyPassword := s.KeyPassword
		if s.trusts() {
			keyPassword = ""
		}
		o.store, o.byKeyPassword, err = keystore.DecodeKeyPassword(s.Type, data, s.Password, keyPassword)
	}
	o.err = err
	c.stores[key] = o
	return o
}

// keyEntry is the key entry the product uses from store: the one under the store's alias, or
// where no alias need be configured (MI's listener before 4.2, WS-Security stores) the store's
// only key. Nil when there is none.
func keyEntry(s *storeConf, store *keystore.DecodedStore) *keystore.KeyEntry {
	var entry *keystore.KeyEntry
	for i := range store.Keys {
		if strings.EqualFold(store.Keys[i].Alias, s.Alias) {
			entry = &store.Keys[i]
		}
	}
	if entry == nil && s.KeyAliasOptional && len(store.Keys) == 1 {
		entry = &store.Keys[0]
	}
	return entry
}

func (c *checker) checkKeyStore(s *storeConf, resolved bool) {
	if s.serves() && resolved {
		// A configuration rule: it holds whether or not the store opens.
		if s.Password != s.KeyPassword {
			c.add(RuleTLSPassword, Fail, s.Role, "%s password and key_password differ", s.Table)
		} else {
			c.add(RuleTLSPassword, Pass, s.Role, "%s password equals key_password", s.Table)
		}
	}
	o := c.open(s, resolved)
	if o == nil {
		return
	}
	store := o.store
	entry := keyEntry(s, store)
	var aliases []string
	for _, k := range store.Keys {
		aliases = append(aliases, k.Alias)
	}
	switch {
	case entry == nil:
		c.add(RuleKeyAlias, Fail, s.Role, "%s has no key entry %q (its keys: %s)", c.rel(s.File), s.Alias, listOrNone(aliases))
	case s.KeyPassword != s.Password && !o.byKeyPassword:
		// keystore.Decode opened every key with the store password, so key_password cannot open it.
		c.add(RuleKeyAlias, Fail, s.Role, "key %q opens with the store password, not with key_password of %s", entry.Alias, s.Table)
	default:
		c.add(RuleKeyAlias, Pass, s.Role, "key %q opens with key_password", entry.Alias)
	}
	if s.serves() {
		c.checkTLS(s, store, entry)
	}
	if entry == nil || len(entry.Chain) == 0 {
		return
	}
	c.leaves[s.Role] = entry.Chain[0]
	c.checkChain(s.Role, entry.Chain)
	if s.Role == gen.RolePrimary || s.Role == gen.RoleInternal {
		c.checkCipherKey(s.Role, entry.Chain[0])
	}
}

func (c *checker) checkTLS(s *storeConf, store *keystore.DecodedStore, entry *keystore.KeyEntry) {
	if n := len(store.Keys); n != 1 {
		c.add(RuleTLSSingleKey, Fail, s.Role, "%s holds %d private keys, want exactly one", c.rel(s.File), n)
	} else {
		c.add(RuleTLSSingleKey, Pass, s.Role, "%s holds one private key", c.rel(s.File))
	}
	if entry == nil || len(entry.Chain) == 0 {
		return
	}
	if s.Role == gen.RoleTLS {
		c.tlsEntry = entry
	}
	c.checkSAN(s.Role, entry.Chain[0])
}

func (c *checker) checkTrustStore(s *storeConf, resolved bool) {
	o := c.open(s, resolved)
	if o == nil {
		return
	}
	store := o.store
	c.checkVisible(s, o)
	if c.tlsEntry != nil {
		leaf := c.tlsEntry.Chain[0]
		trusted := ""
		// Up the chain the store carries, as long as each link is signed by
		// the next: an external CA's root signs the intermediate, not the leaf.
	chain:
		for i, cert := range c.tlsEntry.Chain {
			if i > 0 && c.tlsEntry.Chain[i-1].CheckSignatureFrom(cert) != nil {
				break
			}
			for _, t := range store.Trusted {
				if t.Cert.Equal(cert) || cert.CheckSignatureFrom(t.Cert) == nil {
					trusted = t.Alias
					break chain
				}
			}
		}
		if trusted == "" {
			c.add(RuleTrustsTLS, Fail, s.Role, "%s trusts neither the tls certificate (%s) nor its issuer", c.rel(s.File), leaf.Subject)
		} else {
			c.add(RuleTrustsTLS, Pass, s.Role, "%s trusts the tls certificate through %q", c.rel(s.File), trusted)
		}
	}
	if c.p.Kind == gen.APIManager {
		if slices.ContainsFunc(store.Trusted, func(t keystore.TrustedCert) bool {
			return strings.EqualFold(t.Alias, gen.GatewayCertificateAlias)
		}) {
			c.add(RuleGatewayAlias, Pass, s.Role, "%s has %s", c.rel(s.File), gen.GatewayCertificateAlias)
		} else {
			c.add(RuleGatewayAlias, Fail, s.Role, "%s has no %s entry", c.rel(s.File), gen.GatewayCertificateAlias)
		}
	}
	c.checkTrustExpiry(s, store)
}

func listOrNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}
