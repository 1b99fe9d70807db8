package gen

import (
	"errors"
	"slices"
	"testing"
)

// The rules that several expected errors quote.
const (
	dnsRule  = "is not a valid DNS name (letters, digits and '-' in dot-separated labels of at most 63 characters) or IP address"
	nameRule = "must start with a lower-case letter and hold only lower-case letters, digits and '-' (not at the end)"
)

// loadErrorCase is a topology Load must refuse with exactly want, an
// *InputError matching ErrInput.
type loadErrorCase struct {
	name    string
	toml    string
	noFiles bool // the embedded default's situation: no ReadFile
	want    string
}

// TestLoadErrors loads every case of the tables beside it: strict decoding
// (here), [subject] and [[product]], hostnames and instances, and the
// settings, [tls], extra_trusted and [environment.*] tables.
func TestLoadErrors(t *testing.T) {
	tests := slices.Concat(decodingErrorCases, subjectErrorCases, productErrorCases, hostnameErrorCases,
		settingErrorCases, tlsErrorCases, extraTrustedErrorCases, environmentErrorCases)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := Source{Name: "topology.toml", Data: []byte(tt.toml), ReadFile: fakeTopologyFiles(t), Dir: "conf"}
			if tt.noFiles {
				src.ReadFile, src.Dir = nil, ""
			}
			cfg, err := Load(src)
			if err == nil {
				t.Fatalf("Load succeeded with %d products; want error %q", len(cfg.Products), tt.want)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("error:\n got %s\nwant %s", got, tt.want)
			}
			if !errors.Is(err, ErrInput) {
				t.Errorf("errors.Is(%v, ErrInput) = false", err)
			}
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Errorf("error is a %T, not an *InputError", err)
			}
		})
	}
	if len(tests) < 25 {
		t.Errorf("only %d cases", len(tests))
	}
}

// decodingErrorCases: strict decoding.
var decodingErrorCases = []loadErrorCase{
	{
		name: "unknown key at top level",
		toml: "hostname = \"iam.example.com\"\n" + topoBase,
		want: "topology.toml:1:1: unknown key \"hostname\"; remove it or check its spelling against `wso2ks init`",
	},
	{
		name: "unknown key in subject",
		toml: topoSubject + "org_unit = \"Platform\"\n" + topoProduct,
		want: "topology.toml:3:1: unknown key \"subject.org_unit\"; remove it or check its spelling against `wso2ks init`",
	},
	{
		name: "unknown key in product",
		toml: topoBase + "hostname = \"iam.example.com\"\n",
		want: "topology.toml:8:1: unknown key \"product.hostname\"; did you mean \"hostnames\"? remove it or check its spelling against `wso2ks init`",
	},
	{
		name: "unknown key in environment",
		toml: topoBase + "[environment.prod]\n  password = \"secret\"\n",
		want: "topology.toml:9:3: unknown key \"environment.prod.password\"; did you mean \"password_mode\"? remove it or check its spelling against `wso2ks init`",
	},
	{
		name: "unknown key in defaults",
		toml: topoBase + "[defaults]\nvalidity = 825\n",
		want: "topology.toml:9:1: unknown key \"defaults.validity\"; did you mean \"validity_days\"? remove it or check its spelling against `wso2ks init`",
	},
	{
		name: "unknown table",
		toml: topoBase + "[tls.ca]\n",
		want: "topology.toml:8:2: unknown key \"tls.ca\"; remove it or check its spelling against `wso2ks init`",
	},
	{
		name: "unclosed table header",
		toml: topoBase + "[defaults\nformat = \"jks\"\n",
		want: "topology.toml:8:10: expected ']' to close table name; fix the TOML syntax or the value's type",
	},
	{
		name: "value missing",
		toml: topoBase + "[defaults]\nvalidity_days =\n",
		want: "topology.toml:9:16: unexpected character U+000A at start of value; fix the TOML syntax or the value's type",
	},
	{
		name: "key given twice",
		toml: topoBase + "name = \"iam2\"\n",
		want: "topology.toml:8:1: key name is already defined; fix the TOML syntax or the value's type",
	},
	{
		// go-toml writes the key as it is: the error must stay one line.
		name: "key with a newline given twice",
		toml: topoBase + "[defaults]\n\"a\\nb\" = 1\n\"a\\nb\" = 2\n",
		want: "topology.toml:10:1: key a\\nb is already defined; fix the TOML syntax or the value's type",
	},
	{
		name: "string for an integer",
		toml: topoBase + "[defaults]\nvalidity_days = \"ten\"\n",
		want: "topology.toml:9:17: key \"defaults.validity_days\" holds a TOML string where an integer is expected; change the value",
	},
	{
		name: "string for an array",
		toml: topoWithLine(7, "hostnames = \"iam.example.com\""),
		want: "topology.toml:7:13: key \"product.hostnames\" holds a TOML string where an array of strings is expected; change the value",
	},
	{
		name: "string for a boolean",
		toml: topoBase + "[environment.dev]\npublic_cas = \"no\"\n",
		want: "topology.toml:9:14: key \"environment.dev.public_cas\" holds a TOML string where true or false is expected; change the value",
	},
}
