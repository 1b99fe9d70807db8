package lifecycle

import (
	"reflect"
	"strings"
	"testing"

	"github.com/wso2ks/wso2ks/internal/testkit"
)

// pruneBase has two environments with an internal CA each, and a product
// with a wssec store beside one without.
const pruneBase = `
[subject]
organization = "Example Corp"
[tls]
issuer = "internal-ca"
[defaults]
public_cas = false
[[product]]
name = "iam"
kind = "wso2is"
version = "7.1.0"
hostnames = ["iam.${env}.example.com"]
ws_security = true
[[product]]
name = "mi"
kind = "wso2mi"
version = "4.4.0"
hostnames = ["mi.${env}.example.com"]
[environment.dev]
[environment.prod]
`

// TestLosses: what an update of pruneBase removes or replaces, for each
// way a topology can drop something, and nothing for the changes that
// keep every key and store (a format change, a new tls key type).
func TestLosses(t *testing.T) {
	dir := writeBuilt(t, pruneBase)
	without := func(s ...string) string {
		out := pruneBase
		for _, x := range s {
			if !strings.Contains(out, x) {
				t.Fatalf("pruneBase has no %q", x)
			}
			out = strings.Replace(out, x, "", 1)
		}
		return out
	}
	set := func(after, line string) string {
		if !strings.Contains(pruneBase, after) {
			t.Fatalf("pruneBase has no %q", after)
		}
		return strings.Replace(pruneBase, after, after+line+"\n", 1)
	}
	mi := "[[product]]\nname = \"mi\"\nkind = \"wso2mi\"\nversion = \"4.4.0\"\nhostnames = [\"mi.${env}.example.com\"]\n"
	for _, tc := range []struct {
		name     string
		topology string
		// oldKey sets the manifest's key type of dev/iam's primary store,
		// as a bundle written with another primary key type has it.
		oldKey string
		want   []string
	}{
		{"unchanged", pruneBase, "", nil},
		{"environment dropped", without("[environment.prod]\n"), "", []string{"prod (environment)"}},
		{"product dropped", without(mi), "", []string{"dev/mi (product)", "prod/mi (product)"}},
		{"environment and product dropped", without("[environment.prod]\n", mi), "", []string{"dev/mi (product)", "prod (environment)"}},
		{"ws_security off", without("ws_security = true\n"), "", []string{"dev/iam/wssec (store)", "prod/iam/wssec (store)"}},
		{"separate_internal false", set("public_cas = false\n", "separate_internal = false"), "",
			[]string{"dev/iam/internal (store)", "dev/mi/internal (store)", "prod/iam/internal (store)", "prod/mi/internal (store)"}},
		{"internal CA dropped", strings.Replace(pruneBase, `issuer = "internal-ca"`, `issuer = "self-signed"`, 1), "", []string{"dev/ca (CA)", "prod/ca (CA)"}},
		{"primary key type changed", pruneBase, "rsa-3072", []string{"the primary key of dev/iam"}},
		{"primary key replaced and a product dropped", without(mi), "rsa-3072", []string{"the primary key of dev/iam", "dev/mi (product)", "prod/mi (product)"}},
		// The topology asked for these: no loss.
		{"tls key type changed", set("public_cas = false\n", `key = "ecdsa-p256"`), "", nil},
		{"format changed", set("public_cas = false\n", `format = "pkcs12"`), "", nil},
		{"environment added", pruneBase + "[environment.test]\n", "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			prior, err := ReadPrior(dir)
			if err != nil {
				t.Fatal(err)
			}
			if tc.oldKey != "" {
				prior.keys["dev/iam/primary"].m.Key = tc.oldKey
			}
			r, err := Reconcile(testkit.Plan(t, tc.topology), prior, testkit.Now)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, l := range r.Losses() {
				got = append(got, l.String())
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("losses %q, want %q", got, tc.want)
			}
		})
	}
}

// TestLossesExternalCA: an internal CA replaced by the topology's external
// CA is lost with its key; Reconcile lists ca.key as removed.
func TestLossesExternalCA(t *testing.T) {
	r := &Reconciliation{Changes: []Change{
		{Env: "dev", Role: "ca", Path: "dev/ca/ca.crt", Action: ActionUpdate, Reason: "the topology's ca_cert changed"},
		{Env: "dev", Role: "ca", Path: "dev/ca/ca.key", Action: ActionRemove, Reason: "the external CA replaces the internal one"},
		{Env: "dev", Product: "iam", Role: "tls", Path: "dev/iam/repository/resources/security/tls.p12", Action: ActionReissue, Reason: "issuer changed"},
		{Env: "dev", Product: "iam", Role: "wssec", Path: "dev/iam/repository/resources/security/wssec.p12", Action: ActionNewKey, Reason: "key rsa-2048 → ecdsa-p256"},
	}}
	if got, want := r.Losses(), []Loss{{LossCA, "dev/ca"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("losses %v, want %v", got, want)
	}
}
