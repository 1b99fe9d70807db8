package gen

import "fmt"

// settings checks the keys that are set in one [defaults]-like table.
func (v *validator) settings(at string, s Settings) error {
	check := func(key string, val *string, allowed ...string) error {
		if val != nil && !oneOf(*val, allowed...) {
			return v.errAt(at+"."+key, "%s %q is unknown; use one of %s", key, *val, quoteList(allowed))
		}
		return nil
	}
	if err := check("format", s.Format, "auto", "jks", "pkcs12"); err != nil {
		return err
	}
	if err := check("pkcs12_profile", s.PKCS12Profile, "modern", "legacy"); err != nil {
		return err
	}
	if err := check("key", s.Key, keyTypes...); err != nil {
		return err
	}
	if err := check("password_mode", s.PasswordMode, PasswordPlain, PasswordEnv, PasswordVault); err != nil {
		return err
	}
	if d := s.ValidityDays; d != nil && (*d < 1 || *d > maxValidityDays) {
		return v.errAt(at+".validity_days", "validity_days %d is out of range; use 1 to %d", *d, maxValidityDays)
	}
	if d := s.TLSValidityDays; d != nil && (*d < 1 || *d > maxTLSValidityDays) {
		return v.errAt(at+".tls_validity_days", "tls_validity_days %d is out of range; use 1 to %d (clients refuse longer TLS certificates)", *d, maxTLSValidityDays)
	}
	if s.ExtraTrusted != nil {
		total := 0
		for i, f := range *s.ExtraTrusted {
			certs, err := v.readPEMCerts(fmt.Sprintf("%s.extra_trusted.%d", at, i), f)
			if err != nil {
				return err
			}
			if total += len(certs); total > MaxExtraTrusted {
				return v.errAt(fmt.Sprintf("%s.extra_trusted.%d", at, i), "extra_trusted gives more than %d certificates with %q; trust the CAs that issue them instead of each certificate", MaxExtraTrusted, f)
			}
		}
	}
	return nil
}

// nameFields lists the product's hostnames and instances with their keys.
func (p ProductConfig) nameFields() []struct {
	field string
	names []string
} {
	return []struct {
		field string
		names []string
	}{{"hostnames", p.Hostnames}, {"instances", p.Instances}}
}

// options resolves the settings for product p in environment e.
func (c *Config) options(e EnvConfig, p ProductConfig) Options {
	o := Options{Format: "auto", PKCS12Profile: "modern", Key: "rsa-2048", ValidityDays: defaultValidityDays,
		TLSValidityDays: defaultTLSValidityDays, PasswordMode: PasswordPlain, SeparateInternal: true, PublicCAs: true}
	for _, s := range []Settings{c.defaults, p.settings, e.settings} {
		set(&o.Format, s.Format)
		set(&o.PKCS12Profile, s.PKCS12Profile)
		set(&o.Key, s.Key)
		set(&o.ValidityDays, s.ValidityDays)
		set(&o.TLSValidityDays, s.TLSValidityDays)
		set(&o.PasswordMode, s.PasswordMode)
		set(&o.SeparateInternal, s.SeparateInternal)
		set(&o.PublicCAs, s.PublicCAs)
		if s.ExtraTrusted != nil {
			o.ExtraTrusted = nil
			for _, f := range *s.ExtraTrusted {
				o.ExtraTrusted = append(o.ExtraTrusted, c.extra[f]...)
			}
		}
	}
	switch o.Format {
	case "auto":
		o.Format = defaultFormat(p.Kind, p.Version)
	case "jks":
		o.Format = FormatJKS
	case "pkcs12":
		o.Format = FormatPKCS12
	}
	return o
}

func set[T any](dst *T, src *T) {
	if src != nil {
		*dst = *src
	}
}
