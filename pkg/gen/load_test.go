package gen

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/pkg/infile"
)

// topoBase is a complete, valid topology of seven lines: topoSubject (lines
// 1-2) and topoProduct (lines 3-7). Cases append to it, so that their own
// lines start at line 8.
const (
	topoSubject = "[subject]\norganization = \"Example Corp\"\n"
	topoProduct = "[[product]]\nname = \"iam\"\nkind = \"wso2is\"\nversion = \"7.1.0\"\nhostnames = [\"iam.example.com\"]\n"
	topoBase    = topoSubject + topoProduct
)

// topoWithLine is topoBase with line n (4 name, 5 kind, 6 version, 7
// hostnames) replaced; an empty replacement drops the line.
func topoWithLine(n int, replacement string) string {
	lines := strings.SplitAfter(topoBase, "\n")
	lines[n-1] = replacement
	if replacement != "" {
		lines[n-1] += "\n"
	}
	return strings.Join(lines, "")
}

// fakeTopologyFiles reads the files a topology in conf/ names, from testdata.
func fakeTopologyFiles(t *testing.T) func(string, infile.Kind) ([]byte, error) {
	t.Helper()
	files := map[string][]byte{}
	for _, name := range []string{"ca.pem", "no-cert.pem", "corrupt.pem"} {
		data, err := os.ReadFile(path.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		files[path.Join("conf", name)] = data
	}
	return func(name string, _ infile.Kind) ([]byte, error) {
		if data, ok := files[name]; ok {
			return data, nil
		}
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
}

func TestLoadErrors(t *testing.T) {
	const dnsRule = "is not a valid DNS name (letters, digits and '-' in dot-separated labels of at most 63 characters) or IP address"
	const nameRule = "must start with a lower-case letter and hold only lower-case letters, digits and '-' (not at the end)"
	tests := []struct {
		name    string
		toml    string
		noFiles bool // the embedded default's situation: no ReadFile
		want    string
	}{
		// Strict decoding.
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
			want: "topology.toml:8:1: unknown key \"product.hostname\"; remove it or check its spelling against `wso2ks init`",
		},
		{
			name: "unknown key in environment",
			toml: topoBase + "[environment.prod]\n  password = \"secret\"\n",
			want: "topology.toml:9:3: unknown key \"environment.prod.password\"; remove it or check its spelling against `wso2ks init`",
		},
		{
			name: "unknown key in defaults",
			toml: topoBase + "[defaults]\nvalidity = 825\n",
			want: "topology.toml:9:1: unknown key \"defaults.validity\"; remove it or check its spelling against `wso2ks init`",
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

		// [subject]
		{
			name: "no subject",
			toml: topoProduct,
			want: "topology.toml: [subject] organization is required; set it to your organisation's name (it goes into every certificate)",
		},
		{
			name: "subject without organization",
			toml: "[subject]\ncountry = \"LK\"\n" + topoProduct,
			want: "topology.toml:1:2: [subject] organization is required; set it to your organisation's name (it goes into every certificate)",
		},
		{
			name: "blank organization",
			toml: "[subject]\norganization = \"  \"\n" + topoProduct,
			want: "topology.toml:2:1: [subject] organization is required; set it to your organisation's name (it goes into every certificate)",
		},
		{
			name: "country spelt out",
			toml: topoSubject + "country = \"Sri Lanka\"\n" + topoProduct,
			want: "topology.toml:3:1: [subject] country \"Sri Lanka\" must be a two-letter ISO 3166 code in capitals, e.g. \"LK\"",
		},
		{
			name: "country in lower case",
			toml: topoSubject + "country = \"lk\"\n" + topoProduct,
			want: "topology.toml:3:1: [subject] country \"lk\" must be a two-letter ISO 3166 code in capitals, e.g. \"LK\"",
		},
		{
			// "Ī" is two bytes, each a letter when read as a rune.
			name: "country not in ASCII",
			toml: topoSubject + "country = \"Ī\"\n" + topoProduct,
			want: "topology.toml:3:1: [subject] country \"Ī\" must be a two-letter ISO 3166 code in capitals, e.g. \"LK\"",
		},
		{
			name: "control character in locality",
			toml: topoSubject + "locality = \"Colo\\tmbo\"\n" + topoProduct,
			want: "topology.toml:3:1: [subject] locality must be at most 64 printable characters",
		},
		{
			name: "organization too long",
			toml: "[subject]\norganization = \"" + strings.Repeat("x", 65) + "\"\n" + topoProduct,
			want: "topology.toml:2:1: [subject] organization must be at most 64 printable characters",
		},

		// [[product]]
		{
			name: "no product",
			toml: topoSubject,
			want: "topology.toml: no [[product]] table; add one with name, kind, version and hostnames (see `wso2ks init`)",
		},
		{
			name: "product without name",
			toml: topoWithLine(4, ""),
			want: "topology.toml:3:3: product name is empty; give it a name of lower-case letters, digits and '-'",
		},
		{
			name: "product without kind",
			toml: topoWithLine(5, ""),
			want: "topology.toml:3:3: product \"iam\" has no kind; set kind to wso2is, wso2am or wso2mi",
		},
		{
			name: "product without version",
			toml: topoWithLine(6, ""),
			want: "topology.toml:3:3: product \"iam\" has no version; set version to the product's release, e.g. \"7.1.0\"",
		},
		{
			name: "product with empty version",
			toml: topoWithLine(6, "version = \"\""),
			want: "topology.toml:6:1: product \"iam\" has no version; set version to the product's release, e.g. \"7.1.0\"",
		},
		{
			name: "product without hostnames",
			toml: topoWithLine(7, ""),
			want: "topology.toml:3:3: product \"iam\" has no hostnames; list at least one (the first is the certificate's CN)",
		},
		{
			name: "product with empty hostnames",
			toml: topoWithLine(7, "hostnames = []"),
			want: "topology.toml:7:1: product \"iam\" has no hostnames; list at least one (the first is the certificate's CN)",
		},
		{
			name: "product name in capitals",
			toml: topoWithLine(4, "name = \"IAM\""),
			want: "topology.toml:4:1: product name \"IAM\" " + nameRule,
		},
		{
			name: "product name starting with a digit",
			toml: topoWithLine(4, "name = \"1iam\""),
			want: "topology.toml:4:1: product name \"1iam\" " + nameRule,
		},
		{
			name: "product name ending in a dash",
			toml: topoWithLine(4, "name = \"iam-\""),
			want: "topology.toml:4:1: product name \"iam-\" " + nameRule,
		},
		{
			name: "product name too long",
			toml: topoWithLine(4, "name = \""+strings.Repeat("a", 33)+"\""),
			want: "topology.toml:4:1: product name \"" + strings.Repeat("a", 33) + "\" is longer than 32 characters; shorten it",
		},
		{
			name: "product name used twice",
			toml: topoBase + "[[product]]\nname = \"iam\"\nkind = \"wso2am\"\nversion = \"4.5.0\"\nhostnames = [\"api.example.com\"]\n",
			want: "topology.toml:9:1: product name \"iam\" is used twice; give each [[product]] its own name",
		},
		{
			name: "unknown kind",
			toml: topoWithLine(5, "kind = \"wso2esb\""),
			want: "topology.toml:5:1: product \"iam\": kind \"wso2esb\" is unknown; use wso2is, wso2am or wso2mi",
		},
		{
			name: "version without patch",
			toml: topoWithLine(6, "version = \"7.1\""),
			want: "topology.toml:6:1: product \"iam\": version \"7.1\" is not major.minor.patch; write it as the product's release, e.g. \"7.2.0\"",
		},
		{
			name: "version with a leading zero",
			toml: topoWithLine(6, "version = \"7.01.0\""),
			want: "topology.toml:6:1: product \"iam\": version \"7.01.0\" is not major.minor.patch; write it as the product's release, e.g. \"7.2.0\"",
		},
		{
			name: "identity server before deployment.toml",
			toml: topoWithLine(6, "version = \"5.8.0\""),
			want: "topology.toml:6:1: product \"iam\": WSO2 Identity Server 5.8.0 has no deployment.toml (Carbon kernel before 4.5); configure its keystores in carbon.xml by hand, or upgrade to 5.9.0 or later",
		},
		{
			name: "api manager before deployment.toml",
			toml: topoSubject + "[[product]]\nname = \"apim\"\nkind = \"wso2am\"\nversion = \"2.6.0\"\nhostnames = [\"api.example.com\"]\n",
			want: "topology.toml:6:1: product \"apim\": WSO2 API Manager 2.6.0 has no deployment.toml (Carbon kernel before 4.5); configure its keystores in carbon.xml by hand, or upgrade to 3.0.0 or later",
		},
		{
			name: "unknown identity server series",
			toml: topoWithLine(6, "version = \"9.0.0\""),
			want: "topology.toml:6:1: product \"iam\": WSO2 Identity Server version 9.0.0 is not one wso2ks knows; use one of the 5.9, 5.10, 5.11, 6.0, 6.1, 7.0, 7.1, 7.2 series",
		},
		{
			name: "unknown micro integrator series",
			toml: topoSubject + "[[product]]\nname = \"mi\"\nkind = \"wso2mi\"\nversion = \"4.6.0\"\nhostnames = [\"mi.example.com\"]\n",
			want: "topology.toml:6:1: product \"mi\": WSO2 Micro Integrator version 4.6.0 is not one wso2ks knows; use one of the 4.0, 4.1, 4.2, 4.3, 4.4, 4.5 series",
		},
		{
			name: "relative install_dir",
			toml: topoBase + "install_dir = \"wso2is-7.1.0\"\n",
			want: "topology.toml:8:1: product \"iam\": install_dir \"wso2is-7.1.0\" must be an absolute path on the target machine",
		},

		// Hostnames and instances.
		{
			name: "underscore in hostname",
			toml: topoWithLine(7, "hostnames = [\"iam.example.com\", \"iam_1.example.com\"]"),
			want: "topology.toml:7:33: product \"iam\": hostname \"iam_1.example.com\" " + dnsRule,
		},
		{
			name: "wildcard hostname",
			toml: topoWithLine(7, "hostnames = [\"*.example.com\"]"),
			want: "topology.toml:7:14: product \"iam\": hostname \"*.example.com\" is a wildcard; list each host name (wso2ks does not issue wildcard certificates)",
		},
		{
			name: "hostname with a trailing dot",
			toml: topoWithLine(7, "hostnames = [\"iam.example.com.\"]"),
			want: "topology.toml:7:14: product \"iam\": hostname \"iam.example.com.\" ends with '.'; write it without the trailing dot",
		},
		{
			name: "empty hostname",
			toml: topoWithLine(7, "hostnames = [\"\"]"),
			want: "topology.toml:7:14: product \"iam\": hostname is empty; remove it or write a DNS name or IP address",
		},
		{
			name: "hostname too long",
			toml: topoWithLine(7, "hostnames = [\""+strings.Repeat("abcdefghi.", 26)+"com\"]"),
			want: "topology.toml:7:14: product \"iam\": hostname \"" + strings.Repeat("abcdefghi.", 26) + "com\" is longer than 253 characters; shorten it",
		},
		{
			name: "invalid instance name",
			toml: topoBase + "instances = [\"iam-0.internal\", \"iam-1..internal\"]\n",
			want: "topology.toml:8:32: product \"iam\": hostname \"iam-1..internal\" " + dnsRule,
		},
		{
			name: "hostname listed twice",
			toml: topoWithLine(7, "hostnames = [\"iam.example.com\", \"IAM.example.com\"]"),
			want: "topology.toml:7:33: product \"iam\": \"IAM.example.com\" is listed twice (also in hostnames); list each name once",
		},
		{
			name: "hostname also an instance",
			toml: topoBase + "instances = [\"iam-0.internal\", \"iam.example.com\"]\n",
			want: "topology.toml:8:32: product \"iam\": \"iam.example.com\" is listed twice (also in hostnames); list each name once",
		},
		{
			name: "instance listed twice",
			toml: topoBase + "instances = [\n  \"iam-0.internal\",\n  \"iam-0.internal\",\n]\n",
			want: "topology.toml:10:3: product \"iam\": \"iam-0.internal\" is listed twice (also in instances); list each name once",
		},
		{
			name: "unknown placeholder",
			toml: topoWithLine(7, "hostnames = [\"iam.${region}.example.com\"]"),
			want: "topology.toml:7:14: product \"iam\": \"iam.${region}.example.com\" holds an unknown placeholder \"${region}\"; only ${env} (the environment's name) is expanded",
		},
		{
			name: "stray dollar",
			toml: topoWithLine(7, "hostnames = [\"iam$1.example.com\"]"),
			want: "topology.toml:7:14: product \"iam\": \"iam$1.example.com\" holds a '$'; only ${env} (the environment's name) is expanded",
		},
		{
			// 4 + 23 + 1 + 36 = 64 characters in the first label in
			// production-europe-west1; 44 in dev.
			name: "label too long once ${env} is expanded",
			toml: topoWithLine(7, "hostnames = [\"iam-${env}-abcdefghijklmnopqrstuvwxyz0123456789.example.com\"]") +
				"[environment.dev]\n[environment.production-europe-west1]\n",
			want: "topology.toml:7:14: product \"iam\" in environment \"production-europe-west1\": hostname \"iam-production-europe-west1-abcdefghijklmnopqrstuvwxyz0123456789.example.com\" " + dnsRule,
		},

		// [defaults], product and environment settings.
		{
			name: "unknown format in defaults",
			toml: topoBase + "[defaults]\nformat = \"p12\"\n",
			want: "topology.toml:9:1: format \"p12\" is unknown; use one of \"auto\", \"jks\", \"pkcs12\"",
		},
		{
			name: "unknown format in environment",
			toml: topoBase + "[environment.prod]\nformat = \"PKCS12\"\n",
			want: "topology.toml:9:1: format \"PKCS12\" is unknown; use one of \"auto\", \"jks\", \"pkcs12\"",
		},
		{
			name: "unknown pkcs12_profile in defaults",
			toml: topoBase + "[defaults]\npkcs12_profile = \"modern2026\"\n",
			want: "topology.toml:9:1: pkcs12_profile \"modern2026\" is unknown; use one of \"modern\", \"legacy\"",
		},
		{
			name: "unknown pkcs12_profile in environment",
			toml: topoBase + "[environment.dev]\n[environment.prod]\npkcs12_profile = \"des\"\n",
			want: "topology.toml:10:1: pkcs12_profile \"des\" is unknown; use one of \"modern\", \"legacy\"",
		},
		{
			name: "unknown key type in defaults",
			toml: topoBase + "[defaults]\nkey = \"rsa-1024\"\n",
			want: "topology.toml:9:1: key \"rsa-1024\" is unknown; use one of \"rsa-2048\", \"rsa-3072\", \"rsa-4096\", \"ecdsa-p256\", \"ecdsa-p384\"",
		},
		{
			name: "unknown key type in product",
			toml: topoBase + "key = \"ed25519\"\n",
			want: "topology.toml:8:1: key \"ed25519\" is unknown; use one of \"rsa-2048\", \"rsa-3072\", \"rsa-4096\", \"ecdsa-p256\", \"ecdsa-p384\"",
		},
		{
			name: "unknown key type in environment",
			toml: topoBase + "[environment.prod]\nkey = \"rsa\"\n",
			want: "topology.toml:9:1: key \"rsa\" is unknown; use one of \"rsa-2048\", \"rsa-3072\", \"rsa-4096\", \"ecdsa-p256\", \"ecdsa-p384\"",
		},
		{
			name: "unknown password_mode in defaults",
			toml: topoBase + "[defaults]\npassword_mode = \"secret\"\n",
			want: "topology.toml:9:1: password_mode \"secret\" is unknown; use one of \"plain\", \"env\", \"vault\"",
		},
		{
			name: "unknown password_mode in environment",
			toml: topoBase + "[environment.prod]\npassword_mode = \"Plain\"\n",
			want: "topology.toml:9:1: password_mode \"Plain\" is unknown; use one of \"plain\", \"env\", \"vault\"",
		},
		{
			name: "validity_days zero",
			toml: topoBase + "[defaults]\nvalidity_days = 0\n",
			want: "topology.toml:9:1: validity_days 0 is out of range; use 1 to 3650",
		},
		{
			name: "validity_days beyond ten years in environment",
			toml: topoBase + "[environment.prod]\nvalidity_days = 4000\n",
			want: "topology.toml:9:1: validity_days 4000 is out of range; use 1 to 3650",
		},
		{
			name: "negative validity_days in product",
			toml: topoBase + "validity_days = -1\n",
			want: "topology.toml:8:1: validity_days -1 is out of range; use 1 to 3650",
		},
		{
			name: "tls_validity_days beyond 825",
			toml: topoBase + "[defaults]\ntls_validity_days = 900\n",
			want: "topology.toml:9:1: tls_validity_days 900 is out of range; use 1 to 825 (clients refuse longer TLS certificates)",
		},

		// [tls]
		{
			name: "external-ca without files",
			toml: topoBase + "[tls]\nissuer = \"external-ca\"\nca_cert = \"ca.pem\"\n",
			want: "topology.toml:9:1: [tls] issuer = \"external-ca\" needs ca_cert and ca_key; set both to PEM files relative to the topology file",
		},
		{
			name: "unknown issuer",
			toml: topoBase + "[tls]\nissuer = \"letsencrypt\"\n",
			want: "topology.toml:9:1: [tls] issuer \"letsencrypt\" is unknown; use \"self-signed\", \"internal-ca\" or \"external-ca\"",
		},
		{
			name: "ca_cert without external-ca",
			toml: topoBase + "[tls]\nca_cert = \"ca.pem\"\n",
			want: "topology.toml:9:1: [tls] ca_cert, ca_key and ca_key_passphrase go with issuer = \"external-ca\"; remove them",
		},
		{
			name: "ca_key without external-ca",
			toml: topoBase + "[tls]\nissuer = \"self-signed\"\nca_key = \"ca-key.pem\"\n",
			want: "topology.toml:10:1: [tls] ca_cert, ca_key and ca_key_passphrase go with issuer = \"external-ca\"; remove them",
		},

		// extra_trusted
		{
			name: "extra_trusted file missing",
			toml: topoBase + "[defaults]\nextra_trusted = [\"ca.pem\", \"missing.pem\"]\n",
			want: "topology.toml:9:28: extra_trusted file \"missing.pem\" cannot be read (file does not exist); give a PEM file path relative to the topology file",
		},
		{
			name: "extra_trusted file without a certificate",
			toml: topoBase + "[environment.prod]\nextra_trusted = [\"no-cert.pem\"]\n",
			want: "topology.toml:9:18: extra_trusted file \"no-cert.pem\" holds no PEM certificate; give a file with -----BEGIN CERTIFICATE----- blocks",
		},
		{
			name: "extra_trusted file with a corrupt certificate",
			toml: topoBase + "extra_trusted = [\"corrupt.pem\"]\n",
			want: "topology.toml:8:18: extra_trusted file \"corrupt.pem\": certificate 2 does not parse (x509: malformed certificate); give PEM certificates",
		},
		{
			name:    "extra_trusted without a file system",
			toml:    topoBase + "[defaults]\nextra_trusted = [\"ca.pem\"]\n",
			noFiles: true,
			want:    "topology.toml:9:18: extra_trusted file \"ca.pem\" cannot be read from the built-in topology; pass a topology with -f",
		},

		// [environment.*]
		{
			name: "environment name in capitals",
			toml: topoBase + "[environment.dev]\n[environment.Prod]\n",
			want: "topology.toml:9:2: environment name \"Prod\" " + nameRule,
		},
		{
			name: "environment name too long",
			toml: topoBase + "[environment." + strings.Repeat("e", 33) + "]\n",
			want: "topology.toml:8:2: environment name \"" + strings.Repeat("e", 33) + "\" is longer than 32 characters; shorten it",
		},
		{
			name: "first bad environment in file order",
			toml: topoBase + "[environment.zz-]\n[environment.Aa]\n",
			want: "topology.toml:8:2: environment name \"zz-\" " + nameRule,
		},
	}
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

// TestLoadErrorsDeterministic loads topologies with several mistakes many
// times: the loader must report the first one in the file every time.
func TestLoadErrorsDeterministic(t *testing.T) {
	for _, c := range []struct{ name, doc, want string }{
		{
			name: "subject",
			doc: topoSubject + "locality = \"Colo\\tmbo\"\nstate = \"West\\nern\"\n" +
				topoProduct,
			want: "topology.toml:3:1: [subject] locality must be at most 64 printable characters",
		},
		{
			name: "environments",
			doc:  topoBase + "[environment.dev]\n[environment.d-]\n[environment.c-]\n[environment.b-]\n[environment.a-]\n",
			want: "topology.toml:9:2: environment name \"d-\" must start with a lower-case letter and hold only lower-case letters, digits and '-' (not at the end)",
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			for i := 0; i < 50; i++ {
				_, err := Load(Source{Name: "topology.toml", Data: []byte(c.doc)})
				if err == nil {
					t.Fatal("Load succeeded")
				}
				if err.Error() != c.want {
					t.Fatalf("run %d: got %q, want %q", i, err, c.want)
				}
			}
		})
	}
}

func TestEnvironmentOrder(t *testing.T) {
	for _, c := range []struct {
		name, envs string
		want       []string
	}{
		{"none", "", []string{"default"}},
		{"tables", "[environment.prod]\n[environment.dev]\n[environment.qa]\n", []string{"prod", "dev", "qa"}},
		{"inline table", "environment = { prod = {}, dev = {}, qa = {} }\n", []string{"prod", "dev", "qa"}},
		{"sub-tables", "[environment]\nprod = {}\ndev = {}\n", []string{"prod", "dev"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			// Top-level keys go before the first table.
			doc := topoBase
			if strings.HasPrefix(c.envs, "environment =") {
				doc = c.envs + topoBase
			} else {
				doc += c.envs
			}
			cfg, err := Load(Source{Name: "topology.toml", Data: []byte(doc)})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range cfg.Environments {
				got = append(got, e.Name)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("environments %q, want %q (file order)", got, c.want)
			}
		})
	}
}

func loadExampleTopology(t *testing.T, name string) *Config {
	t.Helper()
	file := path.Join("../../examples", name)
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(Source{Name: file, Data: data, ReadFile: infile.Read, Dir: "../../examples"})
	if err != nil {
		t.Fatalf("Load(%s): %v", file, err)
	}
	return cfg
}

func mustPlan(t *testing.T, cfg *Config) *Plan {
	t.Helper()
	plan, err := cfg.Plan(nil)
	if err != nil {
		t.Fatalf("Plan: %v", err)
	}
	return plan
}

func planEnvNames(p *Plan) []string {
	var names []string
	for _, e := range p.Environments {
		names = append(names, e.Name)
	}
	return names
}

func findProduct(t *testing.T, e *Environment, name string) *Product {
	t.Helper()
	for i := range e.Products {
		if e.Products[i].Name == name {
			return &e.Products[i]
		}
	}
	t.Fatalf("environment %s has no product %s", e.Name, name)
	return nil
}

func mustStore(t *testing.T, p *Product, role string) *Store {
	t.Helper()
	s := p.Store(role)
	if s == nil {
		t.Fatalf("%s has no %s store", p.Dir, role)
	}
	return s
}

func entryAliases(s *Store) []string {
	var out []string
	for _, e := range s.Entries {
		out = append(out, e.Alias)
	}
	return out
}

func storeRoles(p *Product) []string {
	var out []string
	for _, s := range p.Stores {
		out = append(out, s.Role)
	}
	return out
}

// nonPublicAliases are a truststore's entries that are not public CAs.
func nonPublicAliases(s *Store) []string {
	var out []string
	for _, a := range entryAliases(s) {
		if !strings.HasPrefix(a, "public-") {
			out = append(out, a)
		}
	}
	return out
}

func countPublicCAs(s *Store) int {
	return len(entryAliases(s)) - len(nonPublicAliases(s))
}

func TestLoadExamples(t *testing.T) {
	t.Run("multi-product", func(t *testing.T) {
		cfg := loadExampleTopology(t, "multi-product.toml")
		plan := mustPlan(t, cfg)
		if plan.Topology != "../../examples/multi-product.toml" {
			t.Errorf("Topology = %q", plan.Topology)
		}
		if got := planEnvNames(plan); !slices.Equal(got, []string{"dev", "prod"}) {
			t.Fatalf("environments %q, want [dev prod] (file order)", got)
		}
		pemData, err := os.ReadFile("../../examples/corp-root-ca.pem")
		if err != nil {
			t.Fatal(err)
		}
		block, _ := pem.Decode(pemData)
		corpCA, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			t.Fatal(err)
		}

		for i := range plan.Environments {
			env := &plan.Environments[i]
			var products []string
			keyIDs := map[string]string{} // KeyID → store path
			for _, p := range env.Products {
				products = append(products, p.Name)
				for _, s := range p.Stores {
					if s.KeyID != "" {
						keyIDs[s.KeyID] = s.Path
					}
				}
			}
			if !slices.Equal(products, []string{"iam", "apim", "mi"}) {
				t.Fatalf("%s: products %q, want [iam apim mi]", env.Name, products)
			}
			mode := map[string]string{"dev": "plain", "prod": "env"}[env.Name]

			iam, apim, mi := findProduct(t, env, "iam"), findProduct(t, env, "apim"), findProduct(t, env, "mi")
			for _, c := range []struct {
				p       *Product
				format  string
				profile string
				roles   []string
				wssec   string
			}{
				{iam, "PKCS12", "modern",
					[]string{"primary", "internal", "tls", "wssec", "truststore"}, "keystore.custom"},
				{apim, "JKS", "", []string{"primary", "internal", "tls", "truststore"}, ""},
				{mi, "JKS", "", []string{"primary", "internal", "tls", "truststore"}, ""},
			} {
				p := c.p
				if p.Format != c.format || p.PKCS12 != c.profile {
					t.Errorf("%s: format %s/%q, want %s/%q", p.Dir, p.Format, p.PKCS12, c.format, c.profile)
				}
				if got := storeRoles(p); !slices.Equal(got, c.roles) {
					t.Errorf("%s: roles %q, want %q", p.Dir, got, c.roles)
				}
				if p.WSSecTable != c.wssec {
					t.Errorf("%s: WSSecTable %q, want %q", p.Dir, p.WSSecTable, c.wssec)
				}
				if p.PasswordMode != mode {
					t.Errorf("%s: password mode %q, want %q", p.Dir, p.PasswordMode, mode)
				}
				if p.Dir != env.Name+"/"+p.Name {
					t.Errorf("Dir %q", p.Dir)
				}
				ext := map[string]string{"PKCS12": "p12", "JKS": "jks"}[c.format]
				for _, s := range p.Stores {
					base := s.Role
					if s.Role == RoleTruststore {
						base = "client-truststore"
					}
					if want := base + "." + ext; s.FileName != want {
						t.Errorf("%s %s: FileName %q, want %q", p.Dir, s.Role, s.FileName, want)
					}
					if want := p.Dir + "/repository/resources/security/" + s.FileName; s.Path != want {
						t.Errorf("%s %s: Path %q, want %q", p.Dir, s.Role, s.Path, want)
					}
					if s.Type != c.format {
						t.Errorf("%s %s: Type %q", p.Dir, s.Role, s.Type)
					}
					if want := "WSO2KS_" + strings.ToUpper(p.Name) + "_" + strings.ToUpper(s.Role) + "_PASSWORD"; s.PasswordVar != want {
						t.Errorf("%s %s: PasswordVar %q, want %q", p.Dir, s.Role, s.PasswordVar, want)
					}
					if s.Role == RoleTruststore {
						if s.KeyID != "" || s.Alias != "" {
							t.Errorf("%s truststore has KeyID %q alias %q", p.Dir, s.KeyID, s.Alias)
						}
						continue
					}
					if s.Alias != s.Role {
						t.Errorf("%s %s: alias %q", p.Dir, s.Role, s.Alias)
					}
					if want := env.Name + "/" + p.Name + "/" + s.Role; s.KeyID != want {
						t.Errorf("%s %s: KeyID %q, want %q", p.Dir, s.Role, s.KeyID, want)
					}
					if !slices.Equal(s.SharedBy, p.Instances) {
						t.Errorf("%s %s: SharedBy %q, want the instances %q", p.Dir, s.Role, s.SharedBy, p.Instances)
					}
					if want := "CN=" + p.Hostnames[0] + ",OU=Platform,O=Example Corp,L=Colombo,ST=Western,C=LK"; s.Subject != want {
						t.Errorf("%s %s: subject %q, want %q", p.Dir, s.Role, s.Subject, want)
					}
					wantKey, wantDays := "rsa-2048", 825
					switch {
					case s.Role == RoleTLS && p.Name == "apim":
						wantKey, wantDays = "ecdsa-p256", 397
					case s.Role == RoleTLS:
						wantDays = 397
					}
					if s.Key != wantKey || s.ValidityDays != wantDays {
						t.Errorf("%s %s: key %s for %d days, want %s for %d", p.Dir, s.Role, s.Key, s.ValidityDays, wantKey, wantDays)
					}
					if s.Role != RoleTLS && s.SANs != nil {
						t.Errorf("%s %s: SANs %q on a non-tls store", p.Dir, s.Role, s.SANs)
					}
				}
			}
			if v := mustStore(t, iam, RoleTLS).PasswordVar; v != "WSO2KS_IAM_TLS_PASSWORD" {
				t.Errorf("iam tls PasswordVar %q", v)
			}
			if v := mustStore(t, apim, RoleTruststore).PasswordVar; v != "WSO2KS_APIM_TRUSTSTORE_PASSWORD" {
				t.Errorf("apim truststore PasswordVar %q", v)
			}

			// tls SANs: hostnames, instances, localhost, with ${env} expanded.
			n := env.Name
			for p, want := range map[*Product][]string{
				iam:  {"iam." + n + ".example.com", "iam-0.iam." + n + ".svc", "iam-1.iam." + n + ".svc", "localhost"},
				apim: {"api." + n + ".example.com", "gw." + n + ".example.com", "apim-0.apim." + n + ".svc", "apim-1.apim." + n + ".svc", "localhost"},
				mi:   {"mi." + n + ".example.com", "mi-0.mi." + n + ".svc", "localhost"},
			} {
				if got := mustStore(t, p, RoleTLS).SANs; !slices.Equal(got, want) {
					t.Errorf("%s tls SANs %q, want %q", p.Dir, got, want)
				}
			}

			// Truststores: own certificates, every peer's tls and primary,
			// APIM's gateway alias, the corporate CA; public CAs in prod only.
			wantOwn := map[*Product][]string{
				iam:  {"apim-primary", "apim-tls", "extra-corp-root-ca-1", "iam-internal", "iam-primary", "iam-tls", "iam-wssec", "mi-primary", "mi-tls"},
				apim: {"apim-internal", "apim-primary", "apim-tls", "extra-corp-root-ca-1", "gateway_certificate_alias", "iam-primary", "iam-tls", "mi-primary", "mi-tls"},
				mi:   {"apim-primary", "apim-tls", "extra-corp-root-ca-1", "iam-primary", "iam-tls", "mi-internal", "mi-primary", "mi-tls"},
			}
			for p, want := range wantOwn {
				ts := mustStore(t, p, RoleTruststore)
				if got := nonPublicAliases(ts); !slices.Equal(got, want) {
					t.Errorf("%s truststore entries %q, want %q", p.Dir, got, want)
				}
				if got := entryAliases(ts); !slices.IsSorted(got) {
					t.Errorf("%s truststore aliases not sorted: %q", p.Dir, got)
				}
				switch pub := countPublicCAs(ts); {
				case env.Name == "dev" && pub != 0:
					t.Errorf("%s: %d public CAs with public_cas = false", p.Dir, pub)
				case env.Name == "prod" && pub <= 100:
					t.Errorf("%s: only %d public CAs", p.Dir, pub)
				}
				for _, e := range ts.Entries {
					switch {
					case e.KeyID != "":
						if _, ok := keyIDs[e.KeyID]; !ok {
							t.Errorf("%s entry %s: KeyID %q names no store of %s", p.Dir, e.Alias, e.KeyID, env.Name)
						}
						if e.DER != nil || e.Source != "" {
							t.Errorf("%s entry %s has both a KeyID and bytes", p.Dir, e.Alias)
						}
					case e.Alias == "extra-corp-root-ca-1":
						if e.Source != "corp-root-ca.pem" || !slices.Equal(e.DER, corpCA.Raw) {
							t.Errorf("%s entry %s: source %q, %d bytes; want the corporate CA", p.Dir, e.Alias, e.Source, len(e.DER))
						}
					case strings.HasPrefix(e.Alias, "public-"):
						if e.Source != "public CA bundle" || len(e.DER) == 0 {
							t.Errorf("%s entry %s: source %q, %d bytes", p.Dir, e.Alias, e.Source, len(e.DER))
						}
					default:
						t.Errorf("%s entry %s: neither a KeyID nor a known source", p.Dir, e.Alias)
					}
				}
			}
			// Key IDs: each entry names the store of the certificate it trusts.
			keyOf := func(p *Product, alias string) string {
				for _, e := range mustStore(t, p, RoleTruststore).Entries {
					if e.Alias == alias {
						return e.KeyID
					}
				}
				return ""
			}
			for _, c := range []struct {
				in    *Product
				alias string
				want  string
			}{
				{iam, "iam-tls", n + "/iam/tls"},
				{iam, "iam-wssec", n + "/iam/wssec"},
				{iam, "apim-tls", n + "/apim/tls"},
				{mi, "iam-primary", n + "/iam/primary"},
				{apim, "gateway_certificate_alias", n + "/apim/primary"},
				{apim, "apim-primary", n + "/apim/primary"},
				{apim, "mi-tls", n + "/mi/tls"},
			} {
				if got := keyOf(c.in, c.alias); got != c.want {
					t.Errorf("%s truststore %s: KeyID %q, want %q", c.in.Dir, c.alias, got, c.want)
				}
			}
			if got, want := mustStore(t, apim, RolePrimary).KeyID, keyOf(iam, "apim-primary"); got != want {
				t.Errorf("apim primary KeyID %q, trusted by iam as %q", got, want)
			}
		}
		// Keys are per environment.
		dev, prod := findProduct(t, &plan.Environments[0], "iam"), findProduct(t, &plan.Environments[1], "iam")
		if mustStore(t, dev, RoleTLS).KeyID == mustStore(t, prod, RoleTLS).KeyID {
			t.Errorf("dev and prod share the iam tls key")
		}
	})

	t.Run("single-node", func(t *testing.T) {
		plan := mustPlan(t, loadExampleTopology(t, "single-node.toml"))
		if got := planEnvNames(plan); !slices.Equal(got, []string{"default"}) {
			t.Fatalf("environments %q, want [default]", got)
		}
		env := &plan.Environments[0]
		if len(env.Products) != 1 {
			t.Fatalf("%d products", len(env.Products))
		}
		iam := findProduct(t, env, "iam")
		if iam.Kind != IdentityServer || iam.Version != "7.1.0" || iam.Format != FormatPKCS12 || iam.PKCS12 != "modern" ||
			iam.PasswordMode != "plain" || iam.InstallDir != "/home/wso2carbon/wso2is-7.1.0" || iam.WSSecTable != "" {
			t.Errorf("iam: %+v", *iam)
		}
		if got := storeRoles(iam); !slices.Equal(got, []string{"primary", "internal", "tls", "truststore"}) {
			t.Errorf("roles %q", got)
		}
		tls := mustStore(t, iam, RoleTLS)
		if want := []string{"iam.example.com", "localhost"}; !slices.Equal(tls.SANs, want) {
			t.Errorf("SANs %q, want %q", tls.SANs, want)
		}
		if tls.Subject != "CN=iam.example.com,OU=Identity,O=Example Corp,C=LK" {
			t.Errorf("subject %q", tls.Subject)
		}
		if tls.Path != "default/iam/repository/resources/security/tls.p12" || tls.KeyID != "default/iam/tls" || tls.SharedBy != nil {
			t.Errorf("tls store %+v", *tls)
		}
		ts := mustStore(t, iam, RoleTruststore)
		if got := nonPublicAliases(ts); !slices.Equal(got, []string{"iam-internal", "iam-primary", "iam-tls"}) {
			t.Errorf("truststore %q", got)
		}
		if n := countPublicCAs(ts); n <= 100 {
			t.Errorf("%d public CAs, want the bundle (public_cas defaults to true)", n)
		}
		if !slices.IsSorted(entryAliases(ts)) {
			t.Errorf("aliases not sorted")
		}
	})

	t.Run("select environments", func(t *testing.T) {
		cfg := loadExampleTopology(t, "multi-product.toml")
		for _, c := range []struct {
			args []string
			want []string
		}{
			{[]string{"prod"}, []string{"prod"}},
			{[]string{"prod", "dev"}, []string{"dev", "prod"}},
			{[]string{"dev", "dev"}, []string{"dev"}},
			{[]string{}, []string{"dev", "prod"}},
		} {
			plan, err := cfg.Plan(c.args)
			if err != nil {
				t.Fatalf("Plan(%q): %v", c.args, err)
			}
			if got := planEnvNames(plan); !slices.Equal(got, c.want) {
				t.Errorf("Plan(%q) gave %q, want %q", c.args, got, c.want)
			}
		}
		_, err := cfg.Plan([]string{"dev", "nope"})
		want := `../../examples/multi-product.toml: environment "nope" is not in the topology; use one of "dev", "prod"`
		if err == nil || err.Error() != want {
			t.Errorf("Plan([dev nope]) = %v, want %s", err, want)
		}
		var ie *InputError
		if !errors.As(err, &ie) || !errors.Is(err, ErrInput) {
			t.Errorf("Plan([nope]) error %T is not an InputError", err)
		}
	})

	t.Run("default topology", func(t *testing.T) {
		cfg, err := Load(Source{Name: DefaultTopologyName, Data: DefaultTopology()})
		if err != nil {
			t.Fatal(err)
		}
		plan := mustPlan(t, cfg)
		if plan.Topology != DefaultTopologyName {
			t.Errorf("Topology %q", plan.Topology)
		}
		if got := planEnvNames(plan); !slices.Equal(got, []string{"default"}) {
			t.Fatalf("environments %q", got)
		}
		ps := plan.Environments[0].Products
		if len(ps) != 1 {
			t.Fatalf("%d products", len(ps))
		}
		p := ps[0]
		if p.Name != "iam" || p.Kind != IdentityServer || p.Version != "7.1.0" || p.Format != FormatPKCS12 {
			t.Errorf("product %s %s %s %s, want iam wso2is 7.1.0 PKCS12", p.Name, p.Kind, p.Version, p.Format)
		}
		if sans := mustStore(t, &p, RoleTLS).SANs; !slices.Equal(sans, []string{"localhost"}) {
			t.Errorf("SANs %q, want [localhost]", sans)
		}
		// The embedded default is handed out as a copy.
		d := DefaultTopology()
		d[0] ^= 0xff
		if DefaultTopology()[0] == d[0] {
			t.Errorf("DefaultTopology returns its own buffer")
		}
	})
}

func TestSharedTLS(t *testing.T) {
	const doc = `[subject]
organization = "Example Corp"
[defaults]
public_cas = false
[tls]
shared = true
[[product]]
name = "iam"
kind = "wso2is"
version = "7.1.0"
hostnames = ["iam.example.com"]
instances = ["iam-0.internal"]
[[product]]
name = "apim"
kind = "wso2am"
version = "4.5.0"
hostnames = ["api.example.com", "IAM.example.com"]
instances = ["apim-0.internal"]
[environment.dev]
[environment.prod]
`
	cfg, err := Load(Source{Name: "topology.toml", Data: []byte(doc)})
	if err != nil {
		t.Fatal(err)
	}
	plan := mustPlan(t, cfg)
	for _, env := range plan.Environments {
		iam, apim := findProduct(t, &env, "iam"), findProduct(t, &env, "apim")
		a, b := mustStore(t, iam, RoleTLS), mustStore(t, apim, RoleTLS)
		want := env.Name + "/shared/tls"
		if a.KeyID != want || b.KeyID != want {
			t.Errorf("%s: tls KeyIDs %q and %q, want %q", env.Name, a.KeyID, b.KeyID, want)
		}
		wantSANs := []string{"iam.example.com", "api.example.com", "iam-0.internal", "apim-0.internal", "localhost"}
		for _, s := range []*Store{a, b} {
			if !slices.Equal(s.SANs, wantSANs) {
				t.Errorf("%s: SANs %q, want %q", env.Name, s.SANs, wantSANs)
			}
			if !slices.Equal(s.SharedBy, []string{"iam", "apim"}) {
				t.Errorf("%s: SharedBy %q", env.Name, s.SharedBy)
			}
			if s.Subject != "CN=iam.example.com,O=Example Corp" {
				t.Errorf("%s: subject %q", env.Name, s.Subject)
			}
		}
		// Only tls is shared.
		if mustStore(t, iam, RolePrimary).KeyID != env.Name+"/iam/primary" || mustStore(t, apim, RolePrimary).KeyID != env.Name+"/apim/primary" {
			t.Errorf("%s: primary keys shared", env.Name)
		}
		for p, want := range map[*Product][]string{
			iam:  {"apim-primary", "iam-internal", "iam-primary", "shared-tls"},
			apim: {"apim-internal", "apim-primary", "gateway_certificate_alias", "iam-primary", "shared-tls"},
		} {
			ts := mustStore(t, p, RoleTruststore)
			if got := entryAliases(ts); !slices.Equal(got, want) {
				t.Errorf("%s truststore %q, want %q", p.Dir, got, want)
			}
			for _, e := range ts.Entries {
				if e.Alias == "shared-tls" && e.KeyID != env.Name+"/shared/tls" {
					t.Errorf("%s shared-tls KeyID %q", p.Dir, e.KeyID)
				}
			}
		}
	}

	t.Run("product named shared", func(t *testing.T) {
		doc := "[tls]\nshared = true\n" + topoBase + "[[product]]\nname = \"shared\"\nkind = \"wso2mi\"\nversion = \"4.4.0\"\nhostnames = [\"mi.example.com\"]\n"
		_, err := Load(Source{Name: "topology.toml", Data: []byte(doc)})
		want := "topology.toml:11:1: product name \"shared\" is reserved when [tls] shared = true; rename the product"
		if err == nil || err.Error() != want {
			t.Fatalf("got %v, want %s", err, want)
		}
		if !errors.Is(err, ErrInput) {
			t.Errorf("not ErrInput")
		}
		// Without sharing the name is free.
		doc = strings.Replace(doc, "shared = true", "shared = false", 1)
		if _, err := Load(Source{Name: "topology.toml", Data: []byte(doc)}); err != nil {
			t.Errorf("shared = false: %v", err)
		}
	})
}

func TestStarterTopologiesLoad(t *testing.T) {
	for _, c := range []struct {
		kind    Kind
		name    string
		version string
		format  string
	}{
		{IdentityServer, "iam", "7.1.0", FormatPKCS12},
		{APIManager, "apim", "4.5.0", FormatJKS},
		{MicroIntegrator, "mi", "4.4.0", FormatJKS},
	} {
		t.Run(string(c.kind), func(t *testing.T) {
			doc, err := Starter(string(c.kind), "topology.toml")
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(doc), "wso2ks plan -f topology.toml") {
				t.Errorf("starter does not name its file:\n%s", doc)
			}
			cfg, err := Load(Source{Name: "topology.toml", Data: doc})
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			plan := mustPlan(t, cfg)
			if got := planEnvNames(plan); !slices.Equal(got, []string{"dev", "prod"}) {
				t.Errorf("environments %q", got)
			}
			for _, env := range plan.Environments {
				if len(env.Products) != 1 {
					t.Fatalf("%d products", len(env.Products))
				}
				p := env.Products[0]
				if p.Name != c.name || p.Kind != c.kind || p.Version != c.version || p.Format != c.format {
					t.Errorf("%s: %s %s %s %s", env.Name, p.Name, p.Kind, p.Version, p.Format)
				}
				if want := []string{c.name + "." + env.Name + ".example.com", "localhost"}; !slices.Equal(mustStore(t, &p, RoleTLS).SANs, want) {
					t.Errorf("%s: SANs %q, want %q", env.Name, mustStore(t, &p, RoleTLS).SANs, want)
				}
			}
		})
	}
	_, err := Starter("wso2esb", "topology.toml")
	want := `--kind "wso2esb" is unknown; use wso2is, wso2am or wso2mi`
	if err == nil || err.Error() != want || !errors.Is(err, ErrInput) {
		t.Errorf("Starter(wso2esb) = %v, want InputError %s", err, want)
	}
}

// TestVaultWithoutInstallDir: secret-conf.properties names the cipher store relative to the
// product home, which the secure vault resolves against the server's working directory (the
// home, in every start script), so vault mode needs no install_dir; one given changes nothing.
func TestVaultWithoutInstallDir(t *testing.T) {
	for _, tc := range []struct{ name, extra, want string }{
		{"IS, no install_dir", "", "repository/resources/security/internal.p12"},
		{"IS, install_dir", "install_dir = \"/opt/wso2is-7.1.0\"\n", "repository/resources/security/internal.p12"},
		{"IS, no internal store", "separate_internal = false\n", "repository/resources/security/primary.p12"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := Load(Source{Name: "topology.toml", Data: []byte(topoBase + tc.extra + "[environment.prod]\npassword_mode = \"vault\"\n")})
			if err != nil {
				t.Fatal(err)
			}
			iam := findProduct(t, &mustPlan(t, cfg).Environments[0], "iam")
			if iam.Vault == nil || iam.Vault.IdentityLocation != tc.want {
				t.Errorf("vault %+v, want identity location %q", iam.Vault, tc.want)
			}
		})
	}
}
