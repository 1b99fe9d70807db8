package lifecycle

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/internal/testkit"
	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/emit"
	"github.com/wso2ks/wso2ks/pkg/gen"
)

// TestUpdateKeepsEncryptionKey: an update keeps the key and the files that
// hold it byte for byte; a bundle made before wso2ks wrote keys gets one,
// and says so.
func TestUpdateKeepsEncryptionKey(t *testing.T) {
	dir := writeBuilt(t, vaultBase)
	secretsFile, snippet := filepath.Join(dir, "dev", bundle.SecretsName), filepath.Join(dir, "dev", "iam", bundle.SnippetName)
	cipherText := filepath.Join(dir, "dev/iam/repository/conf/security", gen.CipherTextName)
	before := map[string][]byte{}
	for _, f := range []string{secretsFile, snippet, cipherText} {
		before[f] = testkit.ReadFile(t, f)
	}
	r, _ := updateTo(t, dir, strings.Replace(vaultBase, `instances = ["iam-0.internal"]`, `instances = ["iam-0.internal", "iam-1.internal"]`, 1))
	if c := keyChange(r, "dev", "iam"); c == nil || c.Action != ActionKeep || c.Reason != "" || c.Path != "dev/secrets.env" {
		t.Errorf("change %+v, want keep", c)
	}
	for f, data := range before {
		if !bytes.Equal(testkit.ReadFile(t, f), data) {
			t.Errorf("%s changed", f)
		}
	}
	if keyChange(r, "dev", "mi") != nil {
		t.Error("MI got an encryption key change")
	}

	// A bundle from before: no key in secrets.env, the snippet or the vault.
	key := testkit.Secrets(t, before[secretsFile])["WSO2KS_IAM_ENCRYPTION_KEY"]
	strip := func(file string, drop func(string) bool) {
		var out []string
		for _, line := range strings.SplitAfter(string(testkit.ReadFile(t, file)), "\n") {
			if !drop(line) {
				out = append(out, line)
			}
		}
		os.WriteFile(file, []byte(strings.Join(out, "")), 0o600)
	}
	strip(secretsFile, func(l string) bool { return strings.HasPrefix(l, "WSO2KS_IAM_ENCRYPTION_KEY=") })
	strip(snippet, func(l string) bool { return strings.Contains(l, "encryption") })
	strip(cipherText, func(l string) bool { return strings.HasPrefix(l, "iam_encryption_key=") })
	r, changed := updateTo(t, dir, vaultBase)
	if c := keyChange(r, "dev", "iam"); !changed || c == nil || c.Action != ActionNew || c.Reason != "the bundle had none" {
		t.Fatalf("changed %v, change %+v, want new: the bundle had none", changed, c)
	}
	got := testkit.Secrets(t, testkit.ReadFile(t, secretsFile))["WSO2KS_IAM_ENCRYPTION_KEY"]
	if len(got) != 64 || got == key {
		t.Errorf("the update made no new key")
	}
	if !bytes.Contains(testkit.ReadFile(t, snippet), []byte("[encryption]\nkey = \"$secret{iam_encryption_key}\"\n")) {
		t.Error("the snippet has no [encryption] key")
	}
	if _, changed := updateTo(t, dir, vaultBase); changed {
		t.Error("a second update changed the bundle")
	}
}

func keyChange(r *Reconciliation, env, product string) *Change {
	for i, c := range r.Changes {
		if c.Env == env && c.Product == product && c.Role == RoleEncryptionKey {
			return &r.Changes[i]
		}
	}
	return nil
}

// TestUpdateRefusesAnotherKey: an update never replaces the bundle's key
// with a supplied one, nor keeps a key the product cannot read.
func TestUpdateRefusesAnotherKey(t *testing.T) {
	dir := writeBuilt(t, updateBase)
	secretsFile := filepath.Join(dir, "dev", bundle.SecretsName)
	other := strings.Repeat("ab", 32)
	topo := strings.Replace(updateBase, `instances = ["iam-0.internal"]`, `instances = ["iam-0.internal"]`+"\n[product.passwords]\nencryption_key = \"env:K\"", 1)
	cfg, err := gen.Load(gen.Source{Name: "t.toml", Data: []byte(topo), Getenv: func(string) (string, bool) { return other, true }})
	if err != nil {
		t.Fatal(err)
	}
	plan, err := cfg.Plan(nil)
	if err != nil {
		t.Fatal(err)
	}
	prior, err := ReadPrior(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Reconcile(plan, prior, testkit.Now)
	if want := secretsFile + ": the topology's encryption_key (env:K) for dev/iam differs from the key in WSO2KS_IAM_ENCRYPTION_KEY; an update keeps a product's encryption key: data encrypted with the old key would become unreadable; to change it deliberately, re-encrypt the data first (see docs/passwords-and-vault.md) and remove WSO2KS_IAM_ENCRYPTION_KEY from this file"; err == nil || err.Error() != want {
		t.Errorf("topology key:\n%v\nwant\n%s", err, want)
	}

	plan = testkit.Plan(t, updateBase)
	r, err := Reconcile(plan, prior, testkit.Now)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = Update(plan, r, emit.BuildOptions{Rand: testkit.Rand(5), Now: testkit.Now, Passwords: map[string]string{"WSO2KS_IAM_ENCRYPTION_KEY": other}})
	if want := secretsFile + ": --passwords WSO2KS_IAM_ENCRYPTION_KEY gives dev/iam a different encryption key than WSO2KS_IAM_ENCRYPTION_KEY in this file; an update keeps a product's encryption key: data encrypted with the old key would become unreadable; to change it deliberately, re-encrypt the data first (see docs/passwords-and-vault.md) and remove WSO2KS_IAM_ENCRYPTION_KEY from this file"; err == nil || err.Error() != want {
		t.Errorf("--passwords key:\n%v\nwant\n%s", err, want)
	}

	data := testkit.ReadFile(t, secretsFile)
	old := testkit.Secrets(t, data)["WSO2KS_IAM_ENCRYPTION_KEY"]
	os.WriteFile(secretsFile, bytes.Replace(data, []byte(old), []byte(gen.DefaultEncryptionKey), 1), 0o600)
	prior, err = ReadPrior(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Reconcile(plan, prior, testkit.Now)
	if want := secretsFile + ": the encryption key in WSO2KS_IAM_ENCRYPTION_KEY is WSO2's published default key, which anyone can use to decrypt the data; generate your own with 'openssl rand -hex 32'"; err == nil || err.Error() != want {
		t.Errorf("default key in the bundle:\n%v\nwant\n%s", err, want)
	}
	if !errors.Is(err, gen.ErrInput) {
		t.Errorf("%T is not an input error", err)
	}
}

// TestUpdateDropsKeyOfDroppedProduct: a product the topology drops takes
// its key out of secrets.env, and the change list says so.
func TestUpdateDropsKeyOfDroppedProduct(t *testing.T) {
	dir := writeBuilt(t, updateBase)
	miOnly := updateBase[:strings.Index(updateBase, "[[product]]")] + updateBase[strings.LastIndex(updateBase, "[[product]]"):]
	prior, err := ReadPrior(dir)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Reconcile(testkit.Plan(t, miOnly), prior, testkit.Now)
	if err != nil {
		t.Fatal(err)
	}
	if c := keyChange(r, "dev", "iam"); c == nil || c.Action != ActionRemove || c.Path != "dev/secrets.env" {
		t.Errorf("change %+v, want remove", c)
	}
}
