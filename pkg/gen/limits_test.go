package gen

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wso2ks/wso2ks/internal/testca"
	"github.com/wso2ks/wso2ks/pkg/infile"
)

// manyProducts is a topology of n products, each with names hostnames and
// instances, in envs environments.
func manyProducts(n, envs, names int) string {
	var b strings.Builder
	b.WriteString(topoSubject)
	for i := range n {
		fmt.Fprintf(&b, "[[product]]\nname = \"p%d\"\nkind = \"wso2is\"\nversion = \"7.1.0\"\nhostnames = [", i)
		for j := range names {
			fmt.Fprintf(&b, "%q, ", fmt.Sprintf("h%d.p%d.example.com", j, i))
		}
		b.WriteString("]\n")
	}
	for i := range envs {
		fmt.Fprintf(&b, "[environment.e%d]\n", i)
	}
	return b.String()
}

// TestInputLimits: counts over the documented limits, control characters
// in paths, an install_dir with '..', a dotted number that is no IP
// address, a CA chain with a repeat: each refused at its place with the fix.
func TestInputLimits(t *testing.T) {
	byo := testca.BYO(t)
	chain, err := os.ReadFile(filepath.Join(byo, "chain.pem"))
	if err != nil {
		t.Fatal(err)
	}
	root, err := os.ReadFile(filepath.Join(byo, "root.pem"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{
		"conf/twice.pem":  append(append([]byte{}, chain...), root...),
		"conf/eleven.pem": []byte(strings.Repeat(string(root), 11)),
		"conf/300.pem":    []byte(strings.Repeat(string(root), 300)),
		"conf/int.key":    must(os.ReadFile(filepath.Join(byo, "int.key"))),
	}
	read := func(name string, _ infile.Kind) ([]byte, error) {
		if data, ok := files[name]; ok {
			return data, nil
		}
		return nil, &os.PathError{Op: "open", Path: name, Err: os.ErrNotExist}
	}
	ext := func(cert string) string {
		return topoSubject + "[tls]\nissuer = \"external-ca\"\nca_cert = \"" + cert + "\"\nca_key = \"int.key\"\n" + topoProduct
	}
	for _, tt := range []struct{ name, toml, want string }{
		{"101 products", manyProducts(101, 0, 1),
			"topology.toml:503:3: the topology has 101 [[product]] tables; wso2ks plans at most 100 products: split it into topologies of related products, each generated into its own bundle"},
		{"51 environments", manyProducts(1, 51, 1),
			"topology.toml:58:2: the topology has 51 environments; wso2ks plans at most 50: split it into topologies of fewer environments, each generated into its own bundle"},
		{"101 hostnames", manyProducts(1, 0, 101),
			"topology.toml:7:2204: product \"p0\" has 101 hostnames and instances; a tls certificate names at most 100: give the instances a shared name, or split the product"},
		{"hostnames and instances", topoBase + "instances = [" + strings.Repeat("\"i.example.com\", ", 100) + "]\n",
			"topology.toml:8:1697: product \"iam\" has 101 hostnames and instances; a tls certificate names at most 100: give the instances a shared name, or split the product"},
		{"999.1.1.1", topoWithLine(7, "hostnames = [\"999.1.1.1\"]"),
			"topology.toml:7:14: product \"iam\": hostname \"999.1.1.1\" is not an IP address (four numbers of 0 to 255, or IPv6), and a DNS name does not end in a number; correct the address or give a DNS name"},
		{"leading zero", topoBase + "instances = [\"010.0.0.1\"]\n",
			"topology.toml:8:14: product \"iam\": hostname \"010.0.0.1\" is not an IP address (four numbers of 0 to 255, or IPv6), and a DNS name does not end in a number; correct the address or give a DNS name"},
		{"newline in install_dir", topoBase + "install_dir = \"/opt/a\\nkeystore.identity.location=/etc/passwd\"\n",
			"topology.toml:8:1: product \"iam\": install_dir \"/opt/a\\nkeystore.identity.location=/etc/passwd\" holds a control character; write the path on one line, without tabs or escapes"},
		{"'..' in install_dir", topoBase + "install_dir = \"/opt/wso2/../etc\"\n",
			"topology.toml:8:1: product \"iam\": install_dir \"/opt/wso2/../etc\" holds '..'; write the product's absolute path without it"},
		{"tab in extra_trusted", topoBase + "extra_trusted = [\"a\\tb.pem\"]\n",
			"topology.toml:8:18: extra_trusted file \"a\\tb.pem\" holds a control character; write the path on one line, without tabs or escapes"},
		{"newline in a password file", topoBase + "[product.passwords]\nprimary = \"file:pw\\n.txt\"\n",
			"topology.toml:9:1: product \"iam\": passwords.primary: file \"pw\\n.txt\" holds a control character; write the path on one line, without tabs or escapes"},
		{"newline in ca_cert", ext("ca\\n.pem"),
			"topology.toml:5:1: [tls] ca_cert \"ca\\n.pem\" holds a control character; write the path on one line, without tabs or escapes"},
		{"CA chain with a repeat", ext("twice.pem"),
			"topology.toml:5:1: [tls] ca_cert \"twice.pem\": certificate 3 repeats certificate 2 (CN=BYO Root CA,O=BYO); remove the duplicate"},
		{"extra_trusted over 500", topoBase + "extra_trusted = [\"300.pem\", \"300.pem\"]\n",
			"topology.toml:8:29: extra_trusted gives more than 500 certificates with \"300.pem\"; trust the CAs that issue them instead of each certificate"},
		{"CA chain of 11", ext("eleven.pem"),
			"topology.toml:5:1: [tls] ca_cert \"eleven.pem\" holds more than the 10 certificates a chain may have; give the CA certificate and its intermediates"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(Source{Name: "topology.toml", Data: []byte(tt.toml), ReadFile: read, Dir: "conf", Now: time.Now})
			if err == nil || err.Error() != tt.want {
				t.Fatalf("error\n got %v\nwant %s", err, tt.want)
			}
			if !errors.Is(err, ErrInput) || strings.Contains(err.Error(), "\n") {
				t.Errorf("not one line of input error: %v", err)
			}
		})
	}
}

func must(data []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return data
}

// TestInputAtLimits: a topology at every limit loads; install_dir is
// cleaned; a byte order mark is dropped and positions stay an editor's.
func TestInputAtLimits(t *testing.T) {
	if _, err := Load(Source{Name: "topology.toml", Data: []byte(manyProducts(100, 50, 100))}); err != nil {
		t.Fatalf("at the limits: %v", err)
	}
	cfg, err := Load(Source{Name: "topology.toml", Data: []byte(topoBase + "install_dir = \"/opt//wso2is-7.1.0/\"\n")})
	if err != nil || cfg.Products[0].InstallDir != "/opt/wso2is-7.1.0" {
		t.Fatalf("install_dir %q, %v; want /opt/wso2is-7.1.0", cfg.Products[0].InstallDir, err)
	}
	_, err = Load(Source{Name: "topology.toml", Data: []byte("\xef\xbb\xbf" + topoWithLine(7, "hostnames = [\"iam_1\"]"))})
	if want := "topology.toml:7:14: product \"iam\": hostname \"iam_1\" " + "is not a valid DNS name (letters, digits and '-' in dot-separated labels of at most 63 characters) or IP address"; err == nil || err.Error() != want {
		t.Fatalf("after a BOM: %v\nwant %s", err, want)
	}
}
