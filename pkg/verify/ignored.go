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
		tables = append(tables, "transport.http.listener.keystore", "internal_api_ssl_config.key_store")
	} else {
		tables = append(tables, "keystore.tls")
	}
	found := false
	for _, name := range tables {
		t, ok := table(c.cfg.doc, name)
		if !ok {
			continue
		}
		if _, ok := t["name"]; ok {
			c.add(RuleIgnoredKey, Fail, "", "[%s] name is ignored: WSO2 reads file_name", name)
			found = true
		}
		file, ok := stringValue(t, "file_name")
		switch {
		case !ok:
		case !mi && strings.ContainsAny(file, `/\`):
			c.add(RuleIgnoredKey, Fail, "", "[%s] file_name %q is a path: %s wants a bare file name under %s", name, file, c.p.Kind, gen.SecurityDir)
			found = true
		case mi && !strings.ContainsAny(file, `/\`) && !strings.Contains(file, "$"):
			c.add(RuleIgnoredKey, Fail, "", "[%s] file_name %q is a bare name: MI resolves it against MI_HOME, not %s", name, file, gen.SecurityDir)
			found = true
		}
	}
	if _, ok := table(c.cfg.doc, "keystore.tls"); ok && mi {
		c.add(RuleIgnoredKey, Fail, "", "[keystore.tls] is ignored by MI: its HTTPS listener reads [transport.http.listener.keystore]")
		found = true
	}
	if !found {
		c.add(RuleIgnoredKey, Pass, "", "no store key WSO2 would ignore")
	}
}
