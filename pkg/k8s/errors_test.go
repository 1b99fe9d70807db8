package k8s

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/internal/testkit"
	"github.com/wso2ks/wso2ks/pkg/bundle"
)

// TestK8sBadBundle: every broken bundle is refused with an exact message,
// ErrBundle, and no password in the text.
func TestK8sBadBundle(t *testing.T) {
	const store = "dev/iam/repository/resources/security/primary.p12"
	secrets := "# x\nWSO2KS_IAM_PRIMARY_PASSWORD=Pw0primarySecretValue\nWSO2KS_IAM_TLS_PASSWORD=Pw0tlsSecretValue\nWSO2KS_IAM_TRUSTSTORE_PASSWORD=Pw0truststoreSecretValue\n"
	for _, tt := range []struct {
		name   string
		break_ func(b *bundle.Bundle)
		want   string
	}{
		{"no stores", func(b *bundle.Bundle) { b.Manifest.Stores = nil },
			"manifest.json lists no stores; regenerate the bundle with 'wso2ks generate'"},
		{"upper-case environment", func(b *bundle.Bundle) { b.Manifest.Stores[1].Env = "Dev" },
			`manifest.json: store 2: environment "Dev" is not a lower-case name of letters, digits and '-'`},
		{"product with a slash", func(b *bundle.Bundle) { b.Manifest.Stores[0].Product = "iam/x" },
			`manifest.json: store 1: product "iam/x" is not a lower-case name of letters, digits and '-'`},
		{"unknown role", func(b *bundle.Bundle) { b.Manifest.Stores[0].Role = "signing" },
			`manifest.json: store 1: role "signing" is unknown; want one of primary, internal, tls, wssec, truststore`},
		{"path outside the product", func(b *bundle.Bundle) { b.Manifest.Stores[0].Path = "dev/iam/../mi/primary.p12" },
			`manifest.json: store 1: path "dev/iam/../mi/primary.p12" is not inside dev/iam/; restore manifest.json, or regenerate the bundle with 'wso2ks generate'`},
		{"file name not a key", func(b *bundle.Bundle) { b.Manifest.Stores[0].Path = "dev/iam/primary store.p12" },
			`manifest.json: store 1: file name "primary store.p12" cannot be a Kubernetes Secret key (letters, digits, '-', '_' and '.')`},
		{"file name ..x", func(b *bundle.Bundle) { b.Manifest.Stores[0].Path = "dev/iam/..p12" },
			`manifest.json: store 1: file name "..p12" cannot be a Kubernetes Secret key (letters, digits, '-', '_' and '.')`},
		{"two stores, one file name", func(b *bundle.Bundle) { b.Manifest.Stores[1].Path = "dev/iam/x/primary.p12" },
			`manifest.json: store 2: a second store named primary.p12 for product "iam" in environment "dev"`},
		{"store missing", func(b *bundle.Bundle) { testkit.SetFile(b, store, nil) },
			store + " is missing from the bundle"},
		{"secrets.env missing", func(b *bundle.Bundle) { testkit.SetFile(b, "dev/secrets.env", nil) },
			"dev/secrets.env is missing from the bundle"},
		{"password missing", func(b *bundle.Bundle) {
			testkit.SetFile(b, "dev/secrets.env", []byte(strings.Replace(secrets, "WSO2KS_IAM_TLS_", "WSO2KS_IAM_TLZ_", 1)))
		}, "dev/secrets.env has no WSO2KS_IAM_TLS_PASSWORD, the password of dev/iam/repository/resources/security/tls.p12; regenerate the bundle"},
		{"not NAME=value", func(b *bundle.Bundle) { testkit.SetFile(b, "dev/secrets.env", []byte(secrets+"Pw0tlsSecretValue\n")) },
			"dev/secrets.env: line 5 is not NAME=value"},
		{"unclosed quote", func(b *bundle.Bundle) {
			testkit.SetFile(b, "dev/secrets.env", []byte(strings.Replace(secrets, "=Pw0tlsSecretValue", "='Pw0tlsSecretValue", 1)))
		}, "dev/secrets.env: line 3 (WSO2KS_IAM_TLS_PASSWORD): a single quote is not closed"},
		{"empty password", func(b *bundle.Bundle) {
			testkit.SetFile(b, "dev/secrets.env", []byte(strings.Replace(secrets, "=Pw0tlsSecretValue", "=", 1)))
		}, "dev/secrets.env has no WSO2KS_IAM_TLS_PASSWORD, the password of dev/iam/repository/resources/security/tls.p12; regenerate the bundle"},
		{"set twice", func(b *bundle.Bundle) {
			testkit.SetFile(b, "dev/secrets.env", []byte(secrets+"WSO2KS_IAM_TLS_PASSWORD=Pw0tlsSecretValue\n"))
		},
			"dev/secrets.env: line 5: WSO2KS_IAM_TLS_PASSWORD is set twice"},
		{"two vault files of a name", func(b *bundle.Bundle) {
			testkit.SetFile(b, "dev/iam/conf/security/secret-conf.properties", []byte("a=b\n"))
			testkit.SetFile(b, "dev/iam/repository/conf/security/secret-conf.properties", []byte("a=b\n"))
		}, `product "iam" in environment "dev" has two secret-conf.properties; keep the one of its kind`},
		{"encryption key missing", func(b *bundle.Bundle) {
			testkit.SetFile(b, "dev/iam/deployment.snippet.toml", []byte("[encryption]\nkey = \"$env{WSO2KS_IAM_ENCRYPTION_KEY}\"\n"))
		}, "dev/secrets.env has no WSO2KS_IAM_ENCRYPTION_KEY, the encryption key dev/iam/deployment.snippet.toml names; regenerate the bundle, or update it with 'wso2ks generate --update'"},
		{"snippet missing", func(b *bundle.Bundle) { testkit.SetFile(b, "dev/iam/deployment.snippet.toml", nil) },
			"dev/iam/deployment.snippet.toml is missing from the bundle"},
		{"snippet not UTF-8", func(b *bundle.Bundle) {
			testkit.SetFile(b, "dev/iam/deployment.snippet.toml", []byte("a = \"\xff\"\n"))
		},
			`deployment.snippet.toml of product "iam" in environment "dev" is not UTF-8 text`},
		{"vault file not UTF-8", func(b *bundle.Bundle) {
			testkit.SetFile(b, "dev/iam/conf/security/cipher-text.properties", []byte("a=\xff\n"))
		},
			`cipher-text.properties of product "iam" in environment "dev" is not UTF-8 text`},
		{"more than a Secret holds", func(b *bundle.Bundle) { testkit.SetFile(b, store, make([]byte, 1<<20)) },
			`the keystores of product "iam" in environment "dev" hold 1048725 bytes, more than the 1048576 a Kubernetes Secret can; leave out the public CAs (public_cas = false) or ship the stores another way`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b := testkit.FakeBundle(testkit.FakeProduct{Env: "dev", Name: "iam", Plain: true})
			tt.break_(b)
			_, err := Manifests(b, Options{})
			if err == nil || err.Error() != tt.want || !errors.Is(err, bundle.ErrBundle) {
				t.Fatalf("err = %v\nwant %s", err, tt.want)
			}
			if strings.Contains(err.Error(), "SecretValue") {
				t.Error("the error shows a password")
			}
		})
	}
	t.Run("quoted password", func(t *testing.T) {
		// A supplied password with shell characters is single-quoted in
		// secrets.env; the Secret holds the password itself.
		b := testkit.FakeBundle(testkit.FakeProduct{Env: "dev", Name: "iam", Plain: false})
		testkit.SetFile(b, "dev/secrets.env", []byte(strings.Replace(secrets, "=Pw0tlsSecretValue", `='it'\''s $ecret'`, 1)))
		out, err := Manifests(b, Options{})
		if err != nil {
			t.Fatal(err)
		}
		_, values := testkit.DecodeK8s(t, out[1].Path, out[1].Data)
		if got := string(values["WSO2KS_IAM_TLS_PASSWORD"]); got != "it's $ecret" {
			t.Errorf("%s: password %q", out[1].Path, got)
		}
	})
	t.Run("names collide", func(t *testing.T) {
		b := testkit.FakeBundle(testkit.FakeProduct{Env: "dev", Name: "us-iam", Plain: false}, testkit.FakeProduct{Env: "dev-us", Name: "iam", Plain: false})
		_, err := Manifests(b, Options{})
		want := `dev/us-iam and dev-us/iam both give the Kubernetes name "wso2ks-dev-us-iam-keystores"; rename an environment or a product`
		if err == nil || err.Error() != want || !errors.Is(err, bundle.ErrBundle) {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("bad namespace", func(t *testing.T) {
		for _, ns := range []string{"Prod", "-a", "a_b", "a.b", strings.Repeat("a", 64)} {
			_, err := Manifests(testkit.FakeBundle(testkit.FakeProduct{Env: "dev", Name: "iam", Plain: true}), Options{Namespace: ns})
			if err == nil || err.Error() != fmt.Sprintf("namespace %q is not a DNS-1123 label", ns) {
				t.Errorf("namespace %q: err = %v", ns, err)
			}
		}
		if !ValidNamespace(strings.Repeat("a", 63)) || !ValidNamespace("0") || ValidNamespace("") {
			t.Error("ValidNamespace is wrong at its bounds")
		}
	})
}
