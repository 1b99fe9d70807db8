package verify

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/pkg/gen"
)

// TestReadEffective: a home's stores as the server resolves them, opened;
// what does not resolve or open is described, not an error.
func TestReadEffective(t *testing.T) {
	fx := goodIS()
	fx.deployment = strings.Replace(isDeployment, "[keystore.tls]\nfile_name = \"tls.p12\"\ntype = \"PKCS12\"\npassword = \"Fixture-pass-1\"",
		"[keystore.tls]\nfile_name = \"tls.p12\"\ntype = \"PKCS12\"\npassword = \"$env{TLS_PASSWORD}\"", 1)
	fx.deployment = strings.Replace(fx.deployment, `file_name = "internal.p12"`, `file_name = "gone.p12"`, 1)
	fx.deployment = strings.Replace(fx.deployment, `hostname = "iam.example.com"`, `hostname = "$env{HOST}"`, 1)
	dir := fx.build(t).write(t)
	p := Product{Target: dir, Name: "iam", Kind: gen.IdentityServer, Version: gen.Version{Major: 7, Minor: 1}, HasVersion: true,
		Root: dir, Config: filepath.Join(dir, "repository/conf/deployment.toml")}
	env := map[string]string{"HOST": "iam.example.com"}
	e, err := ReadEffective(p, Options{Getenv: func(k string) (string, bool) { v, ok := env[k]; return v, ok }})
	if err != nil {
		t.Fatal(err)
	}
	if k := e.EncryptionKey; !k.Set || k.Err != nil || k.Value != k.Raw || len(k.Value) != 64 {
		t.Errorf("encryption key: set %v, %d characters, %v", k.Set, len(k.Value), k.Err)
	}
	if e.Hostname != "iam.example.com" || e.HostnameErr != nil {
		t.Errorf("hostname %q, %v", e.Hostname, e.HostnameErr)
	}
	primary := e.Store(gen.RolePrimary)
	if primary.Key == nil || primary.Key.Alias != "primary" || primary.Password != testPassword || primary.File != filepath.Join(dir, isSecurity+"primary.p12") {
		t.Errorf("primary: %+v", primary)
	}
	if internal := e.Store(gen.RoleInternal); !internal.Missing || internal.Store != nil {
		t.Errorf("internal: %+v", internal)
	}
	tls := e.Store(gen.RoleTLS)
	if tls.Unresolved == nil || tls.Unresolved.Error() != "[keystore.tls] password: $env{TLS_PASSWORD} is not set" || tls.Missing || tls.Store != nil {
		t.Errorf("tls: %+v", tls)
	}
	trust := e.Store(gen.RoleTruststore)
	if trust.Store == nil || len(trust.Store.Trusted) != 2 || trust.Key != nil {
		t.Errorf("truststore: %+v", trust)
	}
	env["TLS_PASSWORD"] = "wrong-password"
	if e, _ = ReadEffective(p, Options{Getenv: func(k string) (string, bool) { v, ok := env[k]; return v, ok }}); e.Store(gen.RoleTLS).OpenErr == nil || e.HostnameErr != nil {
		t.Errorf("tls with a wrong password: %+v", e.Store(gen.RoleTLS))
	}
	fx.deployment = regexp.MustCompile(`(?m)^key = ".*"$`).ReplaceAllString(fx.deployment, `key = "$$env{KEY}"`)
	dir = fx.build(t).write(t)
	p.Root, p.Config = dir, filepath.Join(dir, "repository/conf/deployment.toml")
	if e, _ = ReadEffective(p, Options{Getenv: func(k string) (string, bool) { v, ok := env[k]; return v, ok }}); !e.EncryptionKey.Set || e.EncryptionKey.Err == nil || e.EncryptionKey.Raw != "$env{KEY}" {
		t.Errorf("an unresolved encryption key: %+v", e.EncryptionKey)
	}
	env["KEY"] = "00112233445566778899aabbccddeeff"
	if e, _ = ReadEffective(p, Options{Getenv: func(k string) (string, bool) { v, ok := env[k]; return v, ok }}); e.EncryptionKey.Value != env["KEY"] || e.EncryptionKey.Err != nil {
		t.Errorf("a resolved encryption key: %+v", e.EncryptionKey)
	}
	delete(env, "HOST")
	if e, _ = ReadEffective(p, Options{Getenv: func(k string) (string, bool) { v, ok := env[k]; return v, ok }}); e.HostnameErr == nil {
		t.Error("an unresolved hostname is not reported")
	}
}
