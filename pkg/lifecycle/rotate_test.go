package lifecycle

import (
	"bytes"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/internal/testkit"
	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/gen"
	"github.com/wso2ks/wso2ks/pkg/keystore"
)

// selfSignedTopology: two products with their own tls stores, JKS (mi) and
// PKCS#12 with the legacy profile (iam), in two environments.
const selfSignedTopology = `
[subject]
organization = "Example Corp"
[defaults]
public_cas = false
[[product]]
name = "iam"
kind = "wso2is"
version = "7.1.0"
hostnames = ["iam.${env}.example.com"]
instances = ["iam-0"]
pkcs12_profile = "legacy"
ws_security = true
[[product]]
name = "mi"
kind = "wso2mi"
version = "4.4.0"
hostnames = ["mi.${env}.example.com"]
key = "ecdsa-p256"
[environment.dev]
[environment.prod]
`

func TestRotateSelfSigned(t *testing.T) {
	dir := writeBuilt(t, selfSignedTopology)
	m0, s0 := snapshot(t, dir)
	f0 := files(t, dir)
	const tls = "dev/iam/repository/resources/security/tls.p12"
	done := rotateAt(t, dir, false, rotateOpt("iam", "dev"))
	newSum := checkRotation(t, dir, m0, s0, f0, "iam-tls", tls)
	want := []string{"dev/iam/repository/resources/security/client-truststore.p12", "dev/mi/repository/resources/security/client-truststore.jks"}
	if len(done) != 1 || done[0].Env != "dev" || !slices.Equal(done[0].Stores, []string{tls}) || !slices.Equal(done[0].Trust, want) ||
		done[0].Alias != "iam-tls" || done[0].Previous != "iam-tls-previous" || done[0].Key != "rsa-2048" || done[0].CA != "" {
		t.Errorf("rotated %+v", done)
	}
	if p := keystore.ProfileOf(testkit.ReadFile(t, filepath.Join(dir, tls))); p != keystore.Legacy {
		t.Errorf("%s: profile %s, want legacy kept", tls, p)
	}
	_, s1 := snapshot(t, dir)
	f1 := files(t, dir)

	// A second rotation waits for --finish; prod is not pending.
	_, _, err := Rotate(dir, rotateOpt("iam"))
	wantErr := `a tls rotation is pending in environment "dev": ` + filepath.Join(dir, want[0]) +
		" still trusts the old certificate as iam-tls-previous; finish it first with 'wso2ks rotate " + dir + " --product iam --finish'"
	if !errors.Is(err, gen.ErrInput) || err.Error() != wantErr {
		t.Errorf("err %v, want %s", err, wantErr)
	}
	rotateAt(t, dir, true, rotateOpt("iam", "dev"))
	checkFinished(t, dir, m0, s0, f1, s1, "iam-tls", newSum)

	// An EC key stays EC; mi's JKS stores in prod.
	m0, s0 = snapshot(t, dir)
	f0 = files(t, dir)
	done = rotateAt(t, dir, false, rotateOpt("mi", "prod"))
	checkRotation(t, dir, m0, s0, f0, "mi-tls", "prod/mi/repository/resources/security/tls.jks")
	if len(done) != 1 || done[0].Key != "ecdsa-p256" {
		t.Errorf("rotated %+v", done)
	}
}

func TestRotateShared(t *testing.T) {
	dir := writeBuilt(t, testkit.TwoProducts)
	m0, s0 := snapshot(t, dir)
	f0 := files(t, dir)
	done := rotateAt(t, dir, false, rotateOpt("apim"))
	stores := []string{"default/iam/repository/resources/security/tls.p12", "default/apim/repository/resources/security/tls.p12"}
	newSum := checkRotation(t, dir, m0, s0, f0, "shared-tls", stores...)
	if len(done) != 1 || !slices.Equal(done[0].Stores, stores) || len(done[0].Trust) != 2 || done[0].Previous != "shared-tls-previous" {
		t.Errorf("rotated %+v", done)
	}
	f1 := files(t, dir)
	if !bytes.Equal(f1[stores[0]], f1[stores[1]]) {
		t.Error("the shared tls stores differ")
	}
	_, s1 := snapshot(t, dir)
	// Finishing through the other product of the shared store.
	rotateAt(t, dir, true, rotateOpt("iam"))
	checkFinished(t, dir, m0, s0, f1, s1, "shared-tls", newSum)
}

// TestRotateInternalCA: the new certificate is signed by the CA again, the
// truststores (which hold only the CA) do not change, and there is nothing
// to finish.
func TestRotateInternalCA(t *testing.T) {
	dir := writeBuilt(t, testkit.InternalCA)
	m0, s0 := snapshot(t, dir)
	f0 := files(t, dir)
	const tls = "default/mi/repository/resources/security/tls.jks"
	done := rotateAt(t, dir, false, rotateOpt("mi"))
	checkRotation(t, dir, m0, s0, f0, "mi-tls", tls)
	if len(done) != 1 || done[0].CA != "default-ca" || done[0].Trust != nil {
		t.Errorf("rotated %+v; want the CA named and no truststore changed", done)
	}
	for _, s := range m0.Stores {
		if s.Role == gen.RoleTruststore && !bytes.Equal(s0[s.Path].data, testkit.ReadFile(t, filepath.Join(dir, s.Path))) {
			t.Errorf("%s changed", s.Path)
		}
	}
	block, _ := pem.Decode(testkit.ReadFile(t, filepath.Join(dir, "default", "ca", "ca.crt")))
	ca, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	pw := testkit.Secrets(t, testkit.ReadFile(t, filepath.Join(dir, "default", bundle.SecretsName)))[gen.PasswordVar("mi", gen.RoleTLS)]
	got, err := keystore.Decode(keystore.JKS, testkit.ReadFile(t, filepath.Join(dir, tls)), pw)
	if err != nil {
		t.Fatal(err)
	}
	chain := got.Keys[0].Chain
	if len(chain) != 2 || !chain[1].Equal(ca) || chain[0].CheckSignatureFrom(ca) != nil || got.Keys[0].Alias != "tls" {
		t.Errorf("%s: not [new leaf signed by the CA, CA] under tls", tls)
	}
	before := files(t, dir)
	if b, d, err := FinishRotation(dir, rotateOpt("mi")); b != nil || d != nil || err != nil {
		t.Errorf("finish: bundle %v, done %v, err %v; want nothing", b != nil, d, err)
	}
	if !maps.EqualFunc(before, files(t, dir), bytes.Equal) {
		t.Error("finish changed the bundle")
	}
}

func TestRotateBadInput(t *testing.T) {
	dir := writeBuilt(t, testkit.InternalCA)
	tls := filepath.Join(dir, "default/iam/repository/resources/security/tls.p12")
	manifest := filepath.Join(dir, bundle.ManifestName)
	for _, tc := range []struct {
		name  string
		opt   RotateOptions
		setup func()
		want  string
	}{
		{"unknown product", rotateOpt("apim"), nil, manifest + `: no product "apim"; give --product one of: iam, mi`},
		{"unknown env", rotateOpt("iam", "prod"), nil, manifest + `: no environment "prod"; give --env one of: default`},
		{"external CA", rotateOpt("iam"), func() {
			if err := os.Remove(filepath.Join(dir, "default", "ca", "ca.key")); err != nil {
				t.Fatal(err)
			}
		}, tls + ": the tls certificate is signed by a CA whose key is not in the bundle, so wso2ks cannot sign one for a new key; " +
			"make a request with 'wso2ks csr' and install the signed certificate with 'wso2ks import-cert'"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.setup != nil {
				tc.setup()
			}
			before := files(t, dir)
			b, done, err := Rotate(dir, tc.opt)
			if b != nil || done != nil || !errors.Is(err, gen.ErrInput) || err.Error() != tc.want {
				t.Errorf("bundle %v, done %v, err %v; want nothing and %s", b != nil, done, err, tc.want)
			}
			if !maps.EqualFunc(before, files(t, dir), bytes.Equal) {
				t.Error("the bundle changed")
			}
		})
	}
	// A manifest without iam's tls store (not one 'wso2ks generate' writes).
	var m bundle.Manifest
	if err := json.Unmarshal(testkit.ReadFile(t, manifest), &m); err != nil {
		t.Fatal(err)
	}
	m.Stores = slices.DeleteFunc(m.Stores, func(s bundle.ManifestStore) bool { return s.Product == "iam" && s.Role == gen.RoleTLS })
	data, err := m.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(manifest, data, 0o600); err != nil {
		t.Fatal(err)
	}
	want := manifest + `: product "iam" has no tls store; regenerate the bundle with 'wso2ks generate'`
	if b, _, err := Rotate(dir, rotateOpt("iam")); b != nil || !errors.Is(err, gen.ErrInput) || err.Error() != want {
		t.Errorf("err %v, want %s", err, want)
	}
	_, _, err = Rotate(filepath.Join(t.TempDir(), "none"), rotateOpt("iam"))
	if !errors.Is(err, bundle.ErrBundle) || !strings.HasSuffix(err.Error(), "no such bundle directory; give the directory 'wso2ks generate -o' wrote") {
		t.Errorf("err %v; want ErrBundle", err)
	}
}
