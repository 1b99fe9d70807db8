package bundle

import (
	"testing"

	"github.com/pelletier/go-toml/v2"
	"github.com/wso2ks/wso2ks/pkg/gen"
)

// TestQuoteTOML quotes awkward strings and reads them back.
func TestQuoteTOML(t *testing.T) {
	for in, want := range map[string]string{
		`plain`:       `"plain"`,
		`q"uote`:      `"q\"uote"`,
		`back\slash`:  `"back\\slash"`,
		"tab\tnl\n":   `"tab\tnl\n"`,
		"bell\a\x7f":  `"bell\u0007\u007F"`,
		"$env{X_Y}":   `"$env{X_Y}"`,
		"unicode é ✓": `"unicode é ✓"`,
	} {
		if got := QuoteTOML(in); got != want {
			t.Errorf("QuoteTOML(%q) = %s, want %s", in, got, want)
		}
		var v struct{ S string }
		if err := toml.Unmarshal([]byte("S = "+QuoteTOML(in)), &v); err != nil || v.S != in {
			t.Errorf("QuoteTOML(%q) does not round-trip: %q, %v", in, v.S, err)
		}
	}
}

// TestParseSnippetHeader reads the product and environment back from the
// first line of a snippet.
func TestParseSnippetHeader(t *testing.T) {
	tests := []struct {
		name, first string
		want        SnippetHeader
		ok          bool
	}{
		{"IS", "# wso2ks: keystores for WSO2 Identity Server 7.1.0, product \"iam\", environment \"dev\".\n",
			SnippetHeader{gen.IdentityServer, "7.1.0", "iam", "dev"}, true},
		{"APIM, CRLF", "# wso2ks: keystores for WSO2 API Manager 4.5.0, product \"apim\", environment \"prod\".\r\n",
			SnippetHeader{gen.APIManager, "4.5.0", "apim", "prod"}, true},
		{"MI", "# wso2ks: keystores for WSO2 Micro Integrator 4.4.0, product \"mi\", environment \"default\".",
			SnippetHeader{gen.MicroIntegrator, "4.4.0", "mi", "default"}, true},
		{"another product", "# wso2ks: keystores for WSO2 Enterprise Integrator 6.6.0, product \"ei\", environment \"dev\".\n", SnippetHeader{}, false},
		{"not the first line", "\n# wso2ks: keystores for WSO2 Identity Server 7.1.0, product \"iam\", environment \"dev\".\n", SnippetHeader{}, false},
		{"by hand", "[keystore.tls]\n", SnippetHeader{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ParseSnippetHeader([]byte(tt.first))
			if got != tt.want || ok != tt.ok {
				t.Errorf("got %+v, %v; want %+v, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
	if h, _ := ParseSnippetHeader([]byte("# wso2ks: keystores for WSO2 Identity Server 7.1.0, product \"iam\", environment \"dev\".\n\n[keystore.tls]\n")); h.Title() != "WSO2 Identity Server 7.1.0" {
		t.Errorf("Title() = %q", h.Title())
	}
}
