package bundle

import (
	"bytes"
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/wso2ks/wso2ks/pkg/gen"
)

// A product's snippet is TOML whose first line names the product it was
// made for; in vault mode the secure vault's files sit beside it.

// SnippetHeader is what the first line of a snippet says of the product it
// was made for (templates/*.toml.tmpl): "# wso2ks: keystores for WSO2
// Identity Server 7.1.0, product "iam", environment "dev".".
type SnippetHeader struct {
	Kind         gen.Kind
	Version      string // major.minor.patch
	Product, Env string
}

// Title names the product and version as the header does: "WSO2 Identity
// Server 7.1.0".
func (h SnippetHeader) Title() string { return h.Kind.Title() + " " + h.Version }

var snippetHeader = regexp.MustCompile(`^# wso2ks: keystores for (WSO2 [A-Za-z ]+) (\d+\.\d+\.\d+), product "([^"]+)", environment "([^"]+)"\.`)

// ParseSnippetHeader reads the first line of a snippet; false when it does
// not name a product wso2ks knows (a snippet written by hand).
func ParseSnippetHeader(snippet []byte) (SnippetHeader, bool) {
	line, _, _ := bytes.Cut(snippet, []byte("\n"))
	m := snippetHeader.FindSubmatch(line)
	if m == nil {
		return SnippetHeader{}, false
	}
	for _, k := range []gen.Kind{gen.IdentityServer, gen.APIManager, gen.MicroIntegrator} {
		if k.Title() == string(m[1]) {
			return SnippetHeader{Kind: k, Version: string(m[2]), Product: string(m[3]), Env: string(m[4])}, true
		}
	}
	return SnippetHeader{}, false
}

// QuoteTOML quotes s as a TOML basic string, as a snippet spells its
// strings (and merge the keys it names in messages).
func QuoteTOML(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// VaultFiles are the secure vault's files a product of a vault-mode bundle
// has (IS and APIM keep them in repository/conf/security, MI in
// conf/security). They hold ciphertexts and references, no password: the
// server reads the cipher store's password from password-tmp, which an
// entrypoint writes from the passwords Secret.
func VaultFiles(env, product string) []string {
	var out []string
	for _, dir := range []string{"repository/conf/security", "conf/security"} {
		for _, name := range []string{gen.SecretConfName, gen.CipherTextName} {
			out = append(out, path.Join(env, product, dir, name))
		}
	}
	return out
}
