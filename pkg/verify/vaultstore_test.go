package verify

import (
	"slices"
	"strings"
	"testing"
)

// secretConfFile is a secret-conf.properties as the cipher tool writes it; an empty value
// leaves its key out.
func secretConfFile(location, typ, alias string) []byte {
	var b strings.Builder
	b.WriteString("secVault.enabled=true\nsecretRepositories=file\n")
	for _, kv := range [][2]string{{"location", location}, {"type", typ}, {"alias", alias}} {
		if kv[1] != "" {
			b.WriteString("keystore.identity." + kv[0] + "=" + kv[1] + "\n")
		}
	}
	b.WriteString("keystore.identity.store.password=identity.store.password\n")
	return []byte(b.String())
}

// only returns the findings of one rule.
func only(r *Report, rule string) []Finding {
	var out []Finding
	for _, f := range r.Findings {
		if f.Rule == rule {
			out = append(out, f)
		}
	}
	return out
}

// TestVaultKeystore: keystore.identity.* of secret-conf.properties against the cipher store of
// deployment.toml, with the exact finding.
func TestVaultKeystore(t *testing.T) {
	const isConf, miConf = "repository/conf/security/secret-conf.properties", "conf/security/secret-conf.properties"
	const pass = "repository/conf/security/secret-conf.properties names the internal store repository/resources/security/internal.p12, with its type and alias"
	const tail = ": the secure vault would decrypt with another key than the cipher tool encrypted with"
	for _, tc := range []struct {
		name string
		base func() *fixture
		// conf is where the file goes, data its content; root replaces HOME in data.
		conf, data string
		fixture    func(*fixture)
		disabled   bool // secVault.enabled=false
		severity   Severity
		message    string
	}{
		{name: "carbon.home", data: "${carbon.home}/repository/resources/security/internal.p12|PKCS12|internal",
			severity: Pass, message: pass},
		{name: "absolute in the home", data: "HOME/repository/resources/security/internal.p12|pkcs12|INTERNAL",
			severity: Pass, message: pass},
		{name: "relative", data: "repository/resources/security/internal.p12|PKCS12|internal",
			severity: Pass, message: pass},
		{name: "install_dir elsewhere", data: "/home/wso2carbon/wso2is-7.1.0/repository/resources/security/internal.p12|PKCS12|internal",
			severity: Pass, message: "repository/conf/security/secret-conf.properties names the internal store repository/resources/security/internal.p12 under /home/wso2carbon/wso2is-7.1.0, with its type and alias"},
		{name: "other file", data: "${carbon.home}/repository/resources/security/primary.p12|PKCS12|internal",
			severity: Fail, message: `repository/conf/security/secret-conf.properties keystore.identity.location "${carbon.home}/repository/resources/security/primary.p12" is not repository/resources/security/internal.p12, the internal store of [keystore.internal]` + tail},
		{name: "other file elsewhere", data: "/opt/wso2is/repository/resources/security/primary.p12|PKCS12|internal",
			severity: Fail, message: `repository/conf/security/secret-conf.properties keystore.identity.location "/opt/wso2is/repository/resources/security/primary.p12" is not repository/resources/security/internal.p12, the internal store of [keystore.internal]` + tail},
		{name: "same name in another directory", data: "${carbon.home}/repository/resources/internal.p12|PKCS12|internal",
			severity: Fail, message: `repository/conf/security/secret-conf.properties keystore.identity.location "${carbon.home}/repository/resources/internal.p12" is not repository/resources/security/internal.p12, the internal store of [keystore.internal]` + tail},
		{name: "type and alias", data: "${carbon.home}/repository/resources/security/internal.p12|JKS|primary",
			severity: Fail, message: `repository/conf/security/secret-conf.properties keystore.identity.type "JKS" is not "PKCS12", the type of [keystore.internal]; keystore.identity.alias "primary" is not "internal", the alias of [keystore.internal]` + tail},
		// WSO2's documentation leaves type and alias out; only the location is compared then.
		{name: "location only", data: "repository/resources/security/internal.p12||",
			severity: Pass, message: "repository/conf/security/secret-conf.properties names the internal store repository/resources/security/internal.p12"},
		{name: "location and alias", data: "repository/resources/security/internal.p12||internal",
			severity: Pass, message: "repository/conf/security/secret-conf.properties names the internal store repository/resources/security/internal.p12, with its alias"},
		{name: "no location with [secrets]", data: "||", fixture: func(fx *fixture) { fx.deployment += "\n[secrets]\nunused = \"AAAA\"\n" },
			severity: Fail, message: "repository/conf/security/secret-conf.properties has no keystore.identity.location, and deployment.toml has [secrets]: the secure vault has no key to decrypt them with"},
		{name: "no internal table: primary", data: "${carbon.home}/repository/resources/security/internal.p12|PKCS12|internal",
			fixture: func(fx *fixture) {
				i := strings.Index(fx.deployment, "[keystore.internal]")
				j := strings.Index(fx.deployment, "[keystore.tls]")
				fx.deployment = fx.deployment[:i] + fx.deployment[j:]
			}, severity: Fail,
			message: `repository/conf/security/secret-conf.properties keystore.identity.location "${carbon.home}/repository/resources/security/internal.p12" is not repository/resources/security/primary.p12, the primary store of [keystore.primary]; keystore.identity.alias "internal" is not "primary", the alias of [keystore.primary]` + tail},
		{name: "disabled with [secrets]", data: "${carbon.home}/repository/resources/security/internal.p12|PKCS12|internal",
			fixture: func(fx *fixture) { fx.deployment += "\n[secrets]\nunused = \"AAAA\"\n" }, disabled: true, severity: Fail,
			message: "repository/conf/security/secret-conf.properties sets secVault.enabled=false, and deployment.toml has [secrets]: nothing decrypts them; set it to true"},
		{name: "mi", base: goodMI, conf: miConf, data: "${carbon.home}/repository/resources/security/internal.p12|PKCS12|internal",
			severity: Pass, message: "conf/security/secret-conf.properties names the internal store repository/resources/security/internal.p12, with its type and alias"},
		{name: "mi relative, as wso2ks writes it", base: goodMI, conf: miConf, data: "repository/resources/security/internal.p12|PKCS12|internal",
			severity: Pass, message: "conf/security/secret-conf.properties names the internal store repository/resources/security/internal.p12, with its type and alias"},
		{name: "mi other file", base: goodMI, conf: miConf, data: "${carbon.home}/repository/resources/security/tls.p12|PKCS12|internal",
			severity: Fail, message: `conf/security/secret-conf.properties keystore.identity.location "${carbon.home}/repository/resources/security/tls.p12" is not repository/resources/security/internal.p12, the internal store of [keystore.internal]` + tail},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.base == nil {
				tc.base = goodIS
			}
			if tc.conf == "" {
				tc.conf = isConf
			}
			fx := tc.base()
			if tc.fixture != nil {
				tc.fixture(fx)
			}
			h := fx.build(t)
			// The home's path is known once written; write the file after.
			dir := h.write(t)
			parts := strings.Split(strings.ReplaceAll(tc.data, "HOME", dir), "|")
			data := secretConfFile(parts[0], parts[1], parts[2])
			if tc.disabled {
				data = []byte(strings.Replace(string(data), "secVault.enabled=true", "secVault.enabled=false", 1))
			}
			conf := &home{name: fx.name, files: map[string][]byte{tc.conf: data}}
			conf.writeInto(t, dir)
			r := audit(t, Options{}, dir)
			got := only(r, RuleVaultStore)
			if len(got) != 1 || got[0].Severity != tc.severity || got[0].Message != tc.message || got[0].Store != "" {
				t.Fatalf("vault-keystore findings %+v\nwant one %s: %s", got, tc.severity, tc.message)
			}
			if tc.severity == Fail && got[0].Fix != ruleByID(RuleVaultStore).Fix {
				t.Errorf("fix %q", got[0].Fix)
			}
			// It breaks that rule alone.
			want := []string{}
			if tc.severity == Fail {
				want = []string{RuleVaultStore}
			}
			if b := bad(r, Fail); !slices.Equal(b, want) {
				t.Errorf("FAIL rules %v, want %v", b, want)
			}
			if b := bad(r, Warn); len(b) > 0 {
				t.Errorf("WARN rules %v", b)
			}
		})
	}
	// No vault configured: no file, or a pack's file with the keys commented out.
	for name, data := range map[string][]byte{
		"absent":      nil,
		"commented":   []byte("#keystore.identity.location=repository/resources/security/wso2carbon.jks\n#keystore.identity.type=JKS\n"),
		"no location": secretConfFile("", "PKCS12", "internal"),
		"disabled":    []byte("secVault.enabled=false\nkeystore.identity.location=repository/resources/security/wso2carbon.jks\n"),
	} {
		t.Run(name, func(t *testing.T) {
			h := goodIS().build(t)
			if data != nil {
				h.files[isConf] = data
			}
			r := audit(t, Options{}, h.write(t))
			if got := only(r, RuleVaultStore); len(got) != 0 {
				t.Errorf("no vault configured: %+v", got)
			}
			if got := bad(r, Fail); len(got) != 0 {
				t.Errorf("FAIL rules %v", got)
			}
		})
	}
}
