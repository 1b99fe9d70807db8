package main

import (
	"context"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wso2ks/wso2ks/pkg/gen"
	"github.com/wso2ks/wso2ks/pkg/keystore"
)

// withIssuer sets [tls] issuer, adding the table when there is none.
func withIssuer(t *testing.T, topology []byte, issuer string) []byte {
	t.Helper()
	return withSetting(t, topology, "tls", "issuer", issuer)
}

// TestInternalCAOpenSSL checks an internal-ca bundle of
// examples/multi-product.toml with openssl: every tls and wssec leaf
// verifies against its environment's ca.crt (and the tls ones for each
// SAN as TLS servers), and no truststore holds a tls certificate itself.
func TestInternalCAOpenSSL(t *testing.T) {
	multi, err := os.ReadFile("../../examples/multi-product.toml")
	if err != nil {
		t.Fatal(err)
	}
	b := generateBundle(t, "internal-ca", withIssuer(t, multi, "internal-ca"), "")
	checkCABundle(t, b, 2, func(env string) []string {
		return []string{"-CAfile", filepath.Join(b.dir, env, "ca", "ca.crt")}
	})
}

// checkCABundle checks a CA-signed bundle of examples/multi-product.toml:
// every tls and wssec leaf has a chain of chainLen and verifies with
// openssl given trust(env) (and the tls ones for each SAN as TLS servers),
// and no truststore holds a tls certificate itself.
func checkCABundle(t *testing.T, b *interopBundle, chainLen int, trust func(env string) []string) {
	t.Helper()
	if len(b.manifest.CAs) != 2 {
		t.Fatalf("manifest CAs: %+v, want dev and prod", b.manifest.CAs)
	}
	checked := 0
	for _, s := range b.manifest.Stores {
		switch s.Role {
		case gen.RoleTruststore:
			for _, e := range s.Entries {
				if strings.HasSuffix(e, "-tls") || strings.HasSuffix(e, "-wssec") {
					t.Errorf("%s holds %s; want the CA %s-ca instead", s.Path, e, s.Env)
				}
			}
			if !strings.Contains(strings.Join(s.Entries, ","), s.Env+"-ca") {
				t.Errorf("%s lacks %s-ca: %v", s.Path, s.Env, s.Entries)
			}
			continue
		case gen.RoleTLS, gen.RoleWSSec:
		default:
			continue
		}
		data, err := os.ReadFile(filepath.Join(b.dir, s.Path))
		if err != nil {
			t.Fatal(err)
		}
		st, err := keystore.Decode(keystore.Format(s.Type), data, b.secrets[s.Env][gen.PasswordVar(s.Product, s.Role)])
		if err != nil {
			t.Fatalf("%s: %v", s.Path, err)
		}
		if n := len(st.Keys[0].Chain); n != chainLen {
			t.Errorf("%s: chain of %d, want %d", s.Path, n, chainLen)
		}
		leaf := filepath.Join(t.TempDir(), "leaf.pem")
		if err := os.WriteFile(leaf, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: st.Keys[0].Chain[0].Raw}), 0o600); err != nil {
			t.Fatal(err)
		}
		ca := trust(s.Env)
		args := [][]string{append(ca[:len(ca):len(ca)], leaf)}
		if s.Role == gen.RoleTLS {
			args = nil
			for _, host := range s.SANs {
				args = append(args, append(ca[:len(ca):len(ca)], "-purpose", "sslserver", "-verify_hostname", host, leaf))
			}
		}
		for _, a := range args {
			ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
			out, err := exec.CommandContext(ctx, "openssl", append([]string{"verify", "-x509_strict"}, a...)...).CombinedOutput()
			cancel()
			if err != nil || !strings.HasSuffix(strings.TrimSpace(string(out)), ": OK") {
				t.Errorf("openssl verify %s: %v\n%s", strings.Join(a, " "), err, out)
			}
		}
		checked++
	}
	// dev and prod: iam, apim, mi tls and iam wssec.
	if checked != 8 {
		t.Errorf("checked %d leaves, want 8", checked)
	}
}
