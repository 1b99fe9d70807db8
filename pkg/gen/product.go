package gen

import (
	"crypto/x509/pkix"
	"path"
	"slices"
	"strings"
)

// planProduct lays out one product's stores in one environment.
func (c *Config) planProduct(e EnvConfig, pc ProductConfig) Product {
	o := c.options(e, pc)
	p := Product{Name: pc.Name, Kind: pc.Kind, Version: pc.Version.String(), version: pc.Version,
		Dir: path.Join(e.Name, pc.Name), Format: o.Format, PasswordMode: o.PasswordMode, InstallDir: pc.InstallDir,
		Hostnames: []string{}, Instances: []string{}} // [] in plan --output json, never null
	if o.Format == FormatPKCS12 {
		p.PKCS12 = o.PKCS12Profile
	}
	for _, h := range pc.Hostnames {
		x, _ := expandEnv(h, e.Name) // checked by Load
		p.Hostnames = append(p.Hostnames, x)
	}
	for _, h := range pc.Instances {
		x, _ := expandEnv(h, e.Name)
		p.Instances = append(p.Instances, x)
	}
	subject := c.subjectFor(p.Hostnames[0])
	sharedBy := p.Instances
	if len(sharedBy) == 0 {
		sharedBy = nil
	}
	keyStore := func(role, key string, days int, sans []string) Store {
		s := p.newStore(role)
		s.Alias, s.Key, s.ValidityDays, s.SANs = role, key, days, sans
		s.KeyID = path.Join(e.Name, pc.Name, role)
		s.SharedBy = sharedBy
		s.subject = subject
		s.Subject = subject.String()
		return s
	}
	p.Stores = append(p.Stores, keyStore(RolePrimary, PrimaryKey, o.ValidityDays, nil))
	if o.SeparateInternal {
		p.Stores = append(p.Stores, keyStore(RoleInternal, PrimaryKey, o.ValidityDays, nil))
	}
	p.Stores = append(p.Stores, keyStore(RoleTLS, o.Key, o.TLSValidityDays, tlsSANs(p.Hostnames, p.Instances)))
	if pc.WSSecurity {
		p.WSSecTable = wssecTable(pc.Kind, pc.Version)
		p.Stores = append(p.Stores, keyStore(RoleWSSec, o.Key, o.ValidityDays, nil))
	}
	ts := p.newStore(RoleTruststore)
	if o.PublicCAs {
		ts.Entries = append(ts.Entries, publicRoots()...)
	}
	for i, x := range o.ExtraTrusted {
		ts.Entries = append(ts.Entries, TrustEntry{Alias: extraAlias(x.File, i), Source: x.File, DER: x.Cert.Raw})
	}
	p.Stores = append(p.Stores, ts)
	for i := range p.Stores {
		s := &p.Stores[i]
		if sup, ok := c.supplied[path.Join(e.Name, pc.Name, s.Role)]; ok {
			s.supplied, s.PasswordSource = sup.value, sup.source
		}
	}
	planVault(&p)
	planEncryption(&p)
	if sup, ok := c.supplied[path.Join(e.Name, pc.Name, encryptionKeyRef)]; ok && p.Encryption != nil {
		p.Encryption.supplied, p.Encryption.KeySource = sup.value, sup.source
	}
	return p
}

func (p *Product) newStore(role string) Store {
	ext := "jks"
	if p.Format == FormatPKCS12 {
		ext = "p12"
	}
	base := role
	if role == RoleTruststore {
		base = TruststoreBase
	}
	file := base + "." + ext
	s := Store{Role: role, FileName: file, Path: path.Join(p.Dir, SecurityDir, file), Type: p.Format,
		PasswordVar: PasswordVar(p.Name, role), PasswordSource: "generated"}
	if p.PasswordMode == PasswordVault {
		s.SecretAlias = SecretAlias(p.Name, role)
	}
	return s
}

// tlsSANs is the SAN set of a tls certificate: every hostname and instance,
// and localhost, which the products use to call themselves.
func tlsSANs(hostnames, instances []string) []string {
	var sans []string
	for _, h := range slices.Concat(hostnames, instances, []string{"localhost"}) {
		h = strings.ToLower(h)
		if !slices.Contains(sans, h) {
			sans = append(sans, h)
		}
	}
	return sans
}

func (c *Config) subjectFor(cn string) pkix.Name {
	n := pkix.Name{CommonName: cn, Organization: []string{c.Subject.Organization}}
	if c.Subject.OrganizationalUnit != "" {
		n.OrganizationalUnit = []string{c.Subject.OrganizationalUnit}
	}
	if c.Subject.Locality != "" {
		n.Locality = []string{c.Subject.Locality}
	}
	if c.Subject.State != "" {
		n.Province = []string{c.Subject.State}
	}
	if c.Subject.Country != "" {
		n.Country = []string{c.Subject.Country}
	}
	return n
}

// shareTLS replaces every product's tls key with one key for the whole
// environment whose SAN covers every product.
func (c *Config) shareTLS(env *Environment) {
	var hosts, instances, products []string
	for _, p := range env.Products {
		hosts = append(hosts, p.Hostnames...)
		instances = append(instances, p.Instances...)
		products = append(products, p.Name)
	}
	sans := tlsSANs(hosts, instances)
	for i := range env.Products {
		s := env.Products[i].Store(RoleTLS)
		s.KeyID = path.Join(env.Name, SharedTLSOwner, RoleTLS)
		s.SANs = sans
		s.SharedBy = products
		s.subject = c.subjectFor(hosts[0])
		s.Subject = s.subject.String()
	}
}

// internalCA plans the environment's CA ([tls] issuer = "internal-ca") and
// has it sign every tls and wssec certificate. Primary and internal stay
// self-signed: they sign and encrypt, and no TLS peer ever sees them.
func (c *Config) planCA(env *Environment) {
	dir := path.Join(env.Name, CADir)
	if ext := c.External; ext != nil {
		env.CA = &CA{KeyID: path.Join(env.Name, RoleCA), Subject: ext.Signer.Subject.String(), Key: IssuerExternalCA,
			Alias: env.Name + "-" + RoleCA, CertPath: path.Join(dir, "ca.crt"), subject: ext.Signer.Subject, external: ext}
	} else {
		subject := c.subjectFor(c.Subject.Organization + " " + env.Name + " CA")
		env.CA = &CA{KeyID: path.Join(env.Name, RoleCA), Subject: subject.String(), Key: CAKey, ValidityDays: CAValidityDays,
			Alias: env.Name + "-" + RoleCA, CertPath: path.Join(dir, "ca.crt"), KeyPath: path.Join(dir, "ca.key"), subject: subject}
	}
	for i := range env.Products {
		for j := range env.Products[i].Stores {
			if s := &env.Products[i].Stores[j]; s.Role == RoleTLS || s.Role == RoleWSSec {
				s.IssuerKeyID = env.CA.KeyID
			}
		}
	}
}
