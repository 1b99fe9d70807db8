package gen

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/pkg/infile"
)

func TestInternalProvider(t *testing.T) {
	for _, tt := range []struct {
		kind    Kind
		version string
		want    string
		chars   []int
	}{
		{IdentityServer, "5.9.0", ProviderKeystore, nil},
		{IdentityServer, "5.10.0", ProviderKeystore, nil},
		{IdentityServer, "5.11.0", ProviderSymmetric, []int{32}},
		{IdentityServer, "6.1.0", ProviderSymmetric, []int{32}},
		{IdentityServer, "7.0.0", ProviderSymmetric, []int{32}},
		{IdentityServer, "7.1.0", ProviderSymmetric, []int{64, 48, 32}},
		{IdentityServer, "7.2.0", ProviderSymmetric, []int{64, 48, 32}},
		{APIManager, "3.0.0", ProviderKeystore, nil},
		{APIManager, "4.6.0", ProviderKeystore, nil},
		{APIManager, "4.7.0", ProviderSymmetric, []int{64, 48, 32}},
		{MicroIntegrator, "4.4.0", "", nil},
	} {
		v, err := parseVersion(tt.kind, tt.version)
		if err != nil {
			t.Fatal(err)
		}
		if got := InternalProvider(tt.kind, v); got != tt.want {
			t.Errorf("%s %s: provider %q, want %q", tt.kind, tt.version, got, tt.want)
		}
		if got := EncryptionKeyChars(tt.kind, v); tt.chars != nil && !slices.Equal(got, tt.chars) {
			t.Errorf("%s %s: key lengths %v, want %v", tt.kind, tt.version, got, tt.chars)
		}
	}
}

func TestCheckEncryptionKey(t *testing.T) {
	is70 := Version{7, 0, 0}
	is71 := Version{7, 1, 0}
	hex64 := strings.Repeat("0123456789abcdef", 4)
	for _, tt := range []struct {
		name string
		kind Kind
		v    Version
		key  string
		want string
	}{
		{"IS 7.0, 32 hex digits", IdentityServer, is70, hex64[:32], ""},
		{"IS 7.0, upper case", IdentityServer, is70, strings.ToUpper(hex64[:32]), ""},
		{"IS 7.1, 64", IdentityServer, is71, hex64, ""},
		{"IS 7.1, 48", IdentityServer, is71, hex64[:48], ""},
		{"IS 7.1, 32", IdentityServer, is71, hex64[:32], ""},
		{"APIM 4.7, 64", APIManager, Version{4, 7, 0}, hex64, ""},
		{"the default", IdentityServer, is71, DefaultEncryptionKey,
			"is WSO2's published default key, which anyone can use to decrypt the data; generate your own with 'openssl rand -hex 32'"},
		{"the default in lower case", IdentityServer, is70, strings.ToLower(DefaultEncryptionKey),
			"is WSO2's published default key, which anyone can use to decrypt the data; generate your own with 'openssl rand -hex 16'"},
		{"IS 7.0, 64", IdentityServer, is70, hex64,
			"is 64 characters long; WSO2 Identity Server 7.0.0 reads the key's characters as AES key bytes, so give 32 hex digits ('openssl rand -hex 16')"},
		{"IS 7.1, 40", IdentityServer, is71, hex64[:40],
			"is 40 characters long; give 64 hex digits ('openssl rand -hex 32'), or 48 or 32"},
		{"not hex", IdentityServer, is71, hex64[:10] + "g" + hex64[11:],
			"has a character that is not a hex digit at position 11; give hex digits only ('openssl rand -hex 32')"},
		{"empty", APIManager, Version{4, 7, 0}, "",
			"is 0 characters long; give 64 hex digits ('openssl rand -hex 32'), or 48 or 32"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := CheckEncryptionKey(tt.kind, tt.v, tt.key); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

// TestPlanEncryption: what each product version's plan says protects its
// internal data.
func TestPlanEncryption(t *testing.T) {
	cfg, err := Load(Source{Name: "t.toml", Data: []byte(topoSubject + `[defaults]
password_mode = "vault"
[[product]]
name = "is-71"
kind = "wso2is"
version = "7.1.0"
hostnames = ["a.example.com"]
install_dir = "/opt/a"
[[product]]
name = "is60"
kind = "wso2is"
version = "6.0.0"
hostnames = ["b.example.com"]
install_dir = "/opt/b"
[[product]]
name = "is510"
kind = "wso2is"
version = "5.10.0"
hostnames = ["c.example.com"]
install_dir = "/opt/c"
separate_internal = false
[[product]]
name = "am47"
kind = "wso2am"
version = "4.7.0"
hostnames = ["d.example.com"]
install_dir = "/opt/d"
[[product]]
name = "am46"
kind = "wso2am"
version = "4.6.0"
hostnames = ["e.example.com"]
install_dir = "/opt/e"
[[product]]
name = "mi"
kind = "wso2mi"
version = "4.4.0"
hostnames = ["f.example.com"]
install_dir = "/opt/f"
`)})
	if err != nil {
		t.Fatal(err)
	}
	plan, err := cfg.Plan(nil)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]Encryption{
		"is-71": {Provider: ProviderSymmetric, KeyBits: 256, KeyChars: 64, KeyVar: "WSO2KS_IS_71_ENCRYPTION_KEY", SecretAlias: "is_71_encryption_key", KeySource: "generated"},
		"is60":  {Provider: ProviderSymmetric, KeyBits: 128, KeyChars: 32, KeyVar: "WSO2KS_IS60_ENCRYPTION_KEY", SecretAlias: "is60_encryption_key", KeySource: "generated"},
		"is510": {Provider: ProviderKeystore, Store: RolePrimary},
		"am47":  {Provider: ProviderSymmetric, KeyBits: 256, KeyChars: 64, KeyVar: "WSO2KS_AM47_ENCRYPTION_KEY", SecretAlias: "am47_encryption_key", KeySource: "generated"},
		"am46":  {Provider: ProviderKeystore, Store: RoleInternal},
	}
	for _, p := range plan.Environments[0].Products {
		w, ok := want[p.Name]
		switch {
		case !ok && p.Encryption != nil:
			t.Errorf("%s: encryption %+v, want none", p.Name, *p.Encryption)
		case ok && (p.Encryption == nil || *p.Encryption != w):
			t.Errorf("%s: encryption %+v, want %+v", p.Name, p.Encryption, w)
		}
	}
}

// TestSuppliedEncryptionKey: [product.passwords] encryption_key names an
// existing key; every mistake is refused at its line, never repeating it.
func TestSuppliedEncryptionKey(t *testing.T) {
	hex64 := strings.Repeat("a1b2c3d4", 8)
	env := map[string]string{"KEY64": hex64, "KEY32": hex64[:32], "DEFAULT": DefaultEncryptionKey, "SHORT": "abcdef"}
	files := map[string][]byte{"conf/key.txt": []byte(hex64[:32] + "\r\nignored\n")}
	load := func(version, ref string) (*Config, error) {
		doc := topoSubject + "[[product]]\nname = \"iam\"\nkind = \"wso2is\"\nversion = \"" + version + "\"\nhostnames = [\"iam.example.com\"]\n[product.passwords]\nencryption_key = \"" + ref + "\"\n"
		return Load(Source{Name: "topology.toml", Data: []byte(doc), Dir: "conf",
			ReadFile: func(name string, _ infile.Kind) ([]byte, error) {
				if data, ok := files[name]; ok {
					return data, nil
				}
				return os.ReadFile("/nonexistent/" + name)
			},
			Getenv: func(name string) (string, bool) { v, ok := env[name]; return v, ok }})
	}
	for _, tt := range []struct{ name, version, ref, want, source string }{
		{"from the environment", "7.1.0", "env:KEY64", "", "env:KEY64"},
		{"from a file", "7.0.0", "file:key.txt", "", "file:key.txt"},
		{"32 digits on IS 7.1", "7.1.0", "env:KEY32", "", "env:KEY32"},
		{"the default", "7.1.0", "env:DEFAULT",
			"topology.toml:9:1: product \"iam\" in environment \"default\": the encryption key from env:DEFAULT is WSO2's published default key, which anyone can use to decrypt the data; generate your own with 'openssl rand -hex 32'", ""},
		{"too short", "7.1.0", "env:SHORT",
			"topology.toml:9:1: product \"iam\" in environment \"default\": the encryption key from env:SHORT is 6 characters long; give 64 hex digits ('openssl rand -hex 32'), or 48 or 32", ""},
		{"64 digits on IS 6.0", "6.0.0", "env:KEY64",
			"topology.toml:9:1: product \"iam\" in environment \"default\": the encryption key from env:KEY64 is 64 characters long; WSO2 Identity Server 6.0.0 reads the key's characters as AES key bytes, so give 32 hex digits ('openssl rand -hex 16')", ""},
		{"a keystore-based version", "5.10.0", "env:KEY32",
			"topology.toml:9:1: product \"iam\": passwords.encryption_key is set, but WSO2 Identity Server 5.10.0 encrypts internal data with its internal keystore, not with an [encryption] key; remove it", ""},
		{"not set", "7.1.0", "env:NOPE",
			"topology.toml:9:1: product \"iam\": passwords.encryption_key: environment variable NOPE is not set; export it before running wso2ks", ""},
		{"a literal key", "7.1.0", hex64,
			"topology.toml:9:1: product \"iam\": passwords.encryption_key must be \"env:VARIABLE\" or \"file:PATH\"; passwords themselves never go in the topology", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := load(tt.version, tt.ref)
			if tt.want != "" {
				if err == nil || err.Error() != tt.want {
					t.Fatalf("error %v\nwant  %s", err, tt.want)
				}
				for _, secret := range []string{hex64, hex64[:32], DefaultEncryptionKey, "abcdef"} {
					if strings.Contains(err.Error(), secret) {
						t.Errorf("the error repeats the key")
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			plan, err := cfg.Plan(nil)
			if err != nil {
				t.Fatal(err)
			}
			e := plan.Environments[0].Products[0].Encryption
			key, ok := e.SuppliedKey()
			if !ok || e.KeySource != tt.source || (key != hex64 && key != hex64[:32]) {
				t.Errorf("supplied %v from %q", ok, e.KeySource)
			}
		})
	}
}
