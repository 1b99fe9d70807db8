package verify

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/wso2ks/wso2ks/pkg/deploytoml"
	"github.com/wso2ks/wso2ks/pkg/gen"
)

// checkTLSEffective raises tls-effective: IS and APIM serve HTTPS from [keystore.tls] only
// through WSO2's defaults, and a key that sets Tomcat's certificate, or APIM's passthrough
// listener's store, elsewhere in deployment.toml wins over them (deploytoml.TLSOverrides). Each such
// key that names another store, type, alias or password than [keystore.tls] is a FAIL at its
// place. resolved says whether the tls store's own placeholders resolved.
func (c *checker) checkTLSEffective(r *resolver, data []byte, resolved bool) {
	if c.p.Kind == gen.MicroIntegrator {
		return // MI's listener reads [transport.http.listener.keystore], which is its tls store
	}
	overrides, err := deploytoml.TLSOverrides(data, c.p.Kind)
	if err != nil {
		return // readConfig has decoded it
	}
	tls := c.cfg.store(gen.RoleTLS)
	conf := c.rel(c.p.Config)
	failed, same := false, 0 // failed: a FAIL, or an override that does not resolve
	for _, o := range overrides {
		if o.Default || o.Listener != deploytoml.ListenerTomcat && o.Listener != deploytoml.ListenerPassthru {
			continue
		}
		place := fmt.Sprintf("%s:%d:%d: %s", conf, o.Line, o.Col, o.Key)
		problem, err := c.overrideProblem(r, o, tls, resolved)
		switch {
		case isSecretError(err):
			failed = true // not checked: secret-decrypts reports it
		case err != nil:
			c.add(RulePlaceholder, Fail, "", "%s: %v", place, err)
			failed = true
		case problem != "":
			c.add(RuleTLSEffective, Fail, "", "%s makes %s %s", place, o.Listener, problem)
			failed = true
		default:
			same++
		}
	}
	if failed {
		return
	}
	who := deploytoml.ListenerTomcat + " serves"
	if c.p.Kind == gen.APIManager {
		who = deploytoml.ListenerTomcat + " and " + deploytoml.ListenerPassthru + " serve"
	}
	switch same {
	case 0:
		c.add(RuleTLSEffective, Pass, "", "%s %s: no key of %s sets another store", who, tls.Table, conf)
	case 1:
		c.add(RuleTLSEffective, Pass, "", "%s %s: the one key of %s that sets it names the same store", who, tls.Table, conf)
	default:
		c.add(RuleTLSEffective, Pass, "", "%s %s: the %d keys of %s that set it name the same store", who, tls.Table, same, conf)
	}
}

// overrideProblem says how the override o makes its listener serve something else than the
// tls store, or "" when it names the same; an error when its placeholders do not resolve. It
// never puts a password in its text.
func (c *checker) overrideProblem(r *resolver, o deploytoml.TLSOverride, tls *storeConf, resolved bool) (string, error) {
	switch {
	case o.PEM():
		return fmt.Sprintf("serve the PEM file %q, not the store of %s", o.Value, tls.Table), nil
	case o.PasswordFile():
		return fmt.Sprintf("read its password from %q, not from %s", o.Value, tls.Table), nil
	}
	v, err := r.resolve(o.Value, 0)
	if err != nil {
		return "", err
	}
	if !resolved {
		return "", nil // the placeholder rule has said why there is nothing to compare with
	}
	switch o.Setting {
	case "file_name":
		if file := c.overrideFile(o, v); filepath.Clean(file) != filepath.Clean(tls.File) {
			return fmt.Sprintf("serve %s, not %s of %s", c.rel(file), c.rel(tls.File), tls.Table), nil
		}
	case "type":
		if !strings.EqualFold(v, string(tls.Type)) {
			return fmt.Sprintf("open its store as %s, not %s as %s says", strings.ToUpper(v), tls.Type, tls.Table), nil
		}
	case "alias":
		if !strings.EqualFold(v, tls.Alias) {
			return fmt.Sprintf("serve the key %q, not %q of %s", v, tls.Alias, tls.Table), nil
		}
	case "password":
		if v != tls.Password {
			return fmt.Sprintf("open its store with another password than %s's", tls.Table), nil
		}
	case "key_password":
		if v != tls.KeyPassword {
			return fmt.Sprintf("open its key with another password than %s's key_password", tls.Table), nil
		}
	}
	return "", nil
}

// overrideFile is where the listener looks for the store file v: ${carbon.home} is the home,
// and a relative path is relative to Tomcat's catalina.base (<home>/lib/tomcat) or, for the
// passthrough transport, to the home, the server's working directory.
func (c *checker) overrideFile(o deploytoml.TLSOverride, v string) string {
	if rest, ok := strings.CutPrefix(v, carbonHome); ok {
		return filepath.Join(c.p.Root, filepath.FromSlash(rest))
	}
	if filepath.IsAbs(filepath.FromSlash(v)) {
		return filepath.FromSlash(v)
	}
	if o.TomcatBase {
		return filepath.Join(c.p.Root, "lib", "tomcat", filepath.FromSlash(v))
	}
	return filepath.Join(c.p.Root, filepath.FromSlash(v))
}
