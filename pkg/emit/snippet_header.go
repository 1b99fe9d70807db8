package emit

import (
	"bytes"
	"regexp"

	"github.com/wso2ks/wso2ks/pkg/gen"
)

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
