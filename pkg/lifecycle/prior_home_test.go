package lifecycle

import (
	"bytes"
	"crypto"
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/internal/testkit"
	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/deploytoml"
	"github.com/wso2ks/wso2ks/pkg/emit"
	"github.com/wso2ks/wso2ks/pkg/gen"
	"github.com/wso2ks/wso2ks/pkg/keystore"
)

// TestHomePrior: a build for a home that holds what an earlier build
// wrote keeps every key store byte for byte, with its password, and the
// vault's ciphertexts; a home key the plan asks another type for is not
// kept.
func TestHomePrior(t *testing.T) {
	topology := strings.Replace(vaultBase, "[environment.dev]\n", "", 1)
	plan := testkit.Plan(t, topology)
	first, err := emit.Build(plan, emit.BuildOptions{Rand: testkit.Rand(1), Now: testkit.Now})
	if err != nil {
		t.Fatal(err)
	}
	env, p := "default", &plan.Environments[0].Products[0]
	stores, err := deploytoml.OpenProductStores(first, env, p.Name)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, f := range first.Files {
		files[f.Path] = f.Data
	}
	vars, err := bundle.ParseSecretsEnv(files["default/secrets.env"])
	if err != nil {
		t.Fatal(err)
	}
	h := HomeState{Dir: "/home", Secrets: bundle.ParseProperties(files["default/iam/repository/conf/security/cipher-text.properties"]),
		EncryptionKey: vars[gen.EncryptionKeyVar("iam")]}
	for _, s := range stores {
		if s.Manifest.Role == gen.RoleTruststore {
			h.TrustPassword = s.Password
			continue
		}
		k := s.Store.Keys[0]
		h.Keys = append(h.Keys, HomeKey{Role: s.Manifest.Role, Path: s.Path, Type: keystore.Format(s.Manifest.Type), Alias: k.Alias,
			Key: k.Key, Chain: k.Chain, Password: s.Password, KeyPassword: s.Password, Data: files[s.Manifest.Path]})
	}
	plan = testkit.Plan(t, topology) // Reconcile may edit a plan's truststores
	r, err := Reconcile(plan, HomePrior(env, &plan.Environments[0].Products[0], h), testkit.Now)
	if err != nil {
		t.Fatal(err)
	}
	again, err := emit.Build(plan, emit.BuildOptions{Rand: testkit.Rand(2), Now: testkit.Now, Reuse: r.Reuse()})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range again.Files {
		if strings.HasPrefix(f.Path, "default/iam/") && !strings.HasSuffix(f.Path, "client-truststore.p12") && !bytes.Equal(f.Data, files[f.Path]) {
			t.Errorf("%s changed", f.Path)
		}
	}
	// A home's key is kept as it is, even one wso2ks would not make (IS
	// 5.11 to 7.0 also read 16 characters as an AES-128 key).
	short := h
	short.EncryptionKey = "0123456789abcdef"
	plan = testkit.Plan(t, topology)
	if r, err = Reconcile(plan, HomePrior(env, &plan.Environments[0].Products[0], short), testkit.Now); err != nil {
		t.Fatalf("a short home key: %v", err)
	}
	b, err := emit.Build(plan, emit.BuildOptions{Rand: testkit.Rand(2), Now: testkit.Now, Reuse: r.Reuse()})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range b.Files {
		if vars, _ := bundle.ParseSecretsEnv(f.Data); f.Path == "default/secrets.env" && vars[gen.EncryptionKeyVar("iam")] != short.EncryptionKey {
			t.Error("the home's short key was not kept")
		}
	}
	// A JKS store whose key has its own password is written anew, the key kept.
	h.Keys[0].KeyPassword = "another-password"
	plan = testkit.Plan(t, topology)
	r, err = Reconcile(plan, HomePrior(env, &plan.Environments[0].Products[0], h), testkit.Now)
	if err != nil {
		t.Fatal(err)
	}
	if r.Changes[0].Action != ActionKeep {
		t.Errorf("primary: %+v", r.Changes[0])
	}
	b, err = emit.Build(plan, emit.BuildOptions{Rand: testkit.Rand(3), Now: testkit.Now, Reuse: r.Reuse()})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range b.Files {
		if f.Path != "default/iam/"+h.Keys[0].Path {
			continue
		}
		got, err := keystore.Decode(h.Keys[0].Type, f.Data, h.Keys[0].Password)
		if err != nil || bytes.Equal(f.Data, h.Keys[0].Data) || !got.Keys[0].Key.Public().(interface{ Equal(crypto.PublicKey) bool }).Equal(h.Keys[0].Key.Public()) {
			t.Errorf("a store whose key password differs: want its key in new bytes, with its password (%v)", err)
		}
	}
}
