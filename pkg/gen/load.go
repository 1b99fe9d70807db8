package gen

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// Load decodes and validates a topology. Every error is an *InputError that
// names the file and, where it can, the line and column.
func Load(src Source) (*Config, error) {
	t, pos, err := decode(src)
	if err != nil {
		return nil, err
	}
	v := &validator{src: src, pos: pos, extra: map[string][]ExtraCert{}}
	if err := v.checkCounts(t); err != nil {
		return nil, err
	}
	cfg := &Config{Source: src.Name, Subject: t.Subject, TLS: t.TLS, defaults: t.Defaults, extra: v.extra,
		supplied: map[string]supplied{}}
	if err := v.subject(t.Subject); err != nil {
		return nil, err
	}
	ext, err := v.tls(&cfg.TLS)
	if err != nil {
		return nil, err
	}
	cfg.External = ext
	if err := v.settings("defaults", t.Defaults); err != nil {
		return nil, err
	}
	if len(t.Products) == 0 {
		return nil, &InputError{File: src.Name, Msg: "no [[product]] table; add one with name, kind, version and hostnames (see `wso2ks init`)"}
	}
	for i, p := range t.Products {
		pc, err := v.product(i, p)
		if err != nil {
			return nil, err
		}
		if slices.ContainsFunc(cfg.Products, func(o ProductConfig) bool { return o.Name == pc.Name }) {
			return nil, v.errAt(pc.path+".name", "product name %q is used twice; give each [[product]] its own name", pc.Name)
		}
		if cfg.TLS.Shared && pc.Name == SharedTLSOwner {
			return nil, v.errAt(pc.path+".name", "product name %q is reserved when [tls] shared = true; rename the product", pc.Name)
		}
		cfg.Products = append(cfg.Products, pc)
	}
	envs, err := v.environments(t.Environment)
	if err != nil {
		return nil, err
	}
	cfg.Environments = envs
	// Resolve every combination now, so that a bad override or a hostname
	// that is invalid only once ${env} is expanded fails at load time.
	for _, e := range cfg.Environments {
		for _, p := range cfg.Products {
			for _, f := range p.nameFields() {
				for j, h := range f.names {
					at := fmt.Sprintf("%s.%s.%d", p.path, f.field, j)
					x, err := expandEnv(h, e.Name)
					if err != nil {
						return nil, v.errAt(at, "product %q: %v", p.Name, err)
					}
					if msg := checkHost(x); msg != "" {
						if x == h {
							return nil, v.errAt(at, "product %q: %s", p.Name, msg)
						}
						return nil, v.errAt(at, "product %q in environment %q: %s", p.Name, e.Name, msg)
					}
				}
			}
			o := cfg.options(e, p)
			if ext != nil {
				if err := v.checkCAValidity(ext, o.TLSValidityDays, "tls certificate", "tls_validity_days"); err != nil {
					return nil, err
				}
				if p.WSSecurity {
					if err := v.checkCAValidity(ext, o.ValidityDays, "wssec certificate", "validity_days"); err != nil {
						return nil, err
					}
				}
			}
			if err := v.resolvePasswords(cfg, e.Name, p, o); err != nil {
				return nil, err
			}
		}
	}
	return cfg, nil
}

func (v *validator) subject(s Subject) error {
	if strings.TrimSpace(s.Organization) == "" {
		return v.errAt("subject.organization", "[subject] organization is required; set it to your organisation's name (it goes into every certificate)")
	}
	// In file order, so that the same file always gives the same error.
	for _, f := range []struct{ key, val string }{
		{"organization", s.Organization}, {"organizational_unit", s.OrganizationalUnit},
		{"locality", s.Locality}, {"state", s.State},
	} {
		// X.520 upper bounds are 64 characters for these attributes.
		if len(f.val) > 64 || strings.IndexFunc(f.val, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0 {
			return v.errAt("subject."+f.key, "[subject] %s must be at most 64 printable characters", f.key)
		}
	}
	// Bytes, not runes: "Ī" is two bytes that both pass unicode.IsLetter.
	capital := func(b byte) bool { return 'A' <= b && b <= 'Z' }
	if c := s.Country; c != "" && (len(c) != 2 || !capital(c[0]) || !capital(c[1])) {
		return v.errAt("subject.country", "[subject] country %q must be a two-letter ISO 3166 code in capitals, e.g. \"LK\"", c)
	}
	return nil
}

func (v *validator) tls(t *TLSSettings) (*ExternalCA, error) {
	switch t.Issuer {
	case "":
		t.Issuer = IssuerSelfSigned
	case IssuerSelfSigned, IssuerInternalCA:
	case IssuerExternalCA:
		return v.externalCA(t)
	default:
		return nil, v.errAt("tls.issuer", "[tls] issuer %q is unknown; use \"self-signed\", \"internal-ca\" or \"external-ca\"", t.Issuer)
	}
	if t.CACert != "" || t.CAKey != "" || t.CAKeyPassphrase != "" {
		at := "tls.ca_cert"
		switch {
		case t.CACert != "":
		case t.CAKey != "":
			at = "tls.ca_key"
		default:
			at = "tls.ca_key_passphrase"
		}
		return nil, v.errAt(at, "[tls] ca_cert, ca_key and ca_key_passphrase go with issuer = \"external-ca\"; remove them")
	}
	return nil, nil
}

func (v *validator) product(i int, p ProductTable) (ProductConfig, error) {
	at := fmt.Sprintf("product.%d", i)
	pc := ProductConfig{Name: p.Name, Kind: Kind(p.Kind), Hostnames: p.Hostnames, Instances: p.Instances,
		WSSecurity: p.WSSecurity, InstallDir: p.InstallDir, settings: p.Settings, passwords: p.Passwords, path: at}
	if msg := checkName("product name", p.Name); msg != "" {
		return pc, v.errAt(at+".name", "%s", msg)
	}
	if _, ok := kinds[pc.Kind]; !ok {
		if p.Kind == "" {
			return pc, v.errAt(at+".kind", "product %q has no kind; set kind to %s", p.Name, kindNames())
		}
		return pc, v.errAt(at+".kind", "product %q: kind %q is unknown; use %s", p.Name, p.Kind, kindNames())
	}
	if p.Version == "" {
		return pc, v.errAt(at+".version", "product %q has no version; set version to the product's release, e.g. \"7.1.0\"", p.Name)
	}
	ver, err := parseVersion(pc.Kind, p.Version)
	if err != nil {
		return pc, v.errAt(at+".version", "product %q: %v", p.Name, err)
	}
	pc.Version = ver
	if len(p.Hostnames) == 0 {
		return pc, v.errAt(at+".hostnames", "product %q has no hostnames; list at least one (the first is the certificate's CN)", p.Name)
	}
	if err := v.checkNameCount(at, p.Name, p.Hostnames, p.Instances); err != nil {
		return pc, err
	}
	seen := map[string]string{}
	for _, f := range pc.nameFields() {
		for j, h := range f.names {
			if prev, dup := seen[strings.ToLower(h)]; dup {
				return pc, v.errAt(fmt.Sprintf("%s.%s.%d", at, f.field, j), "product %q: %q is listed twice (also in %s); list each name once", p.Name, h, prev)
			}
			seen[strings.ToLower(h)] = f.field
		}
	}
	if pc.InstallDir, err = v.installDir(at+".install_dir", p.Name, p.InstallDir); err != nil {
		return pc, err
	}
	if err := v.settings(at, p.Settings); err != nil {
		return pc, err
	}
	return pc, nil
}

func (v *validator) environments(m map[string]Settings) ([]EnvConfig, error) {
	if len(m) == 0 {
		return []EnvConfig{{Name: "default"}}, nil
	}
	var envs []EnvConfig
	for name, s := range m {
		envs = append(envs, EnvConfig{Name: name, settings: s, path: "environment." + name})
	}
	// The order the file gives them, which is the order operators think in
	// (dev, staging, prod); names break ties for determinism. Checked in
	// that order too, so that the same file always gives the same error.
	slices.SortFunc(envs, func(a, b EnvConfig) int {
		pa, pb := v.pos.find(a.path), v.pos.find(b.path)
		if pa.line != pb.line {
			return pa.line - pb.line
		}
		if pa.col != pb.col { // environment = { prod = {}, dev = {} }
			return pa.col - pb.col
		}
		return strings.Compare(a.Name, b.Name)
	})
	for _, e := range envs {
		if msg := checkName("environment name", e.Name); msg != "" {
			return nil, v.errAt(e.path, "%s", msg)
		}
		if err := v.settings(e.path, e.settings); err != nil {
			return nil, err
		}
	}
	return envs, nil
}

func quoteList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}
