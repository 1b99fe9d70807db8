package verify

import (
	"strings"

	"github.com/wso2ks/wso2ks/pkg/gen"
)

// checkIgnoredKeys raises ignored-key for store keys WSO2 reads past without a word.
func (c *checker) checkIgnoredKeys() {
	mi := c.p.Kind == gen.MicroIntegrator
	tables := []string{"keystore.primary", "keystore.internal", "truststore"}
	if mi {
		tables = append(tables, "transport.http.listener.keystore", "internal_api_ssl_config.key_store", "internal_api_ssl_config.trust_store")
	} else {
		tables = append(tables, "keystore.tls")
	}
	found := false
	fail := func(format string, args ...any) {
		c.add(RuleIgnoredKey, Fail, "", format, args...)
		found = true
	}
	for _, name := range tables {
		t, ok := table(c.cfg.doc, name)
		if !ok {
			continue
		}
		// MI's listeners name the store file location; the keystore tables file_name.
		key := "file_name"
		if strings.HasPrefix(name, "transport.") || strings.HasPrefix(name, "internal_api_ssl_config.") {
			key = "location"
		}
		for _, wrong := range []string{"name", "file_name", "location"} {
			if _, ok := t[wrong]; ok && wrong != key {
				fail("[%s] %s is ignored: WSO2 reads %s", name, wrong, key)
			}
		}
		file, ok := stringValue(t, key)
		switch {
		case !ok || strings.Contains(file, "$"):
		case !mi && strings.ContainsAny(file, `/\`):
			fail("[%s] %s %q is a path: %s wants a bare file name under %s", name, key, file, c.p.Kind, gen.SecurityDir)
		case mi && !strings.ContainsAny(file, `/\`):
			fail("[%s] %s %q is a bare name: MI resolves it against MI_HOME, not %s", name, key, file, gen.SecurityDir)
		}
	}
	if _, ok := table(c.cfg.doc, "keystore.tls"); ok && mi {
		fail("[keystore.tls] is ignored by MI: its HTTPS listener reads [transport.http.listener.keystore]")
	}
	if !found {
		c.add(RuleIgnoredKey, Pass, "", "no store key WSO2 would ignore")
	}
}
