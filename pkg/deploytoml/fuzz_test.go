package deploytoml

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/pelletier/go-toml/v2"
)

// FuzzMerge merges fixed snippets (MI 4.4 plain; IS 7.1 with [secrets];
// IS 7.1 vault, with [encryption] and [secrets]) into arbitrary deployment
// bytes. Merge must not panic, must
// refuse bad input only with a one-line *MergeError, and what it returns
// must decode and be left unchanged by a second merge; MergeDiff must not
// panic on it. The seed corpus in testdata/fuzz/FuzzMerge holds the
// fixtures, CRLF and truncated forms, and refused documents.
func FuzzMerge(f *testing.F) {
	var snippets [][]byte
	for _, name := range []string{"snippets/plain-mi44.toml", "merge/cipher-is71.toml", "snippets/vault-is71.toml"} {
		data, err := os.ReadFile(testdataPath(name))
		if err != nil {
			f.Fatal(err)
		}
		snippets = append(snippets, data)
	}
	f.Add([]byte("[secrets]\na = 1\n[server]\n[keystore.tls]\nx = 1\r\n"))
	f.Fuzz(func(t *testing.T, deployment []byte) {
		for _, snippet := range snippets {
			merged, changed, err := merge(deployment, snippet)
			if err != nil {
				var me *MergeError
				if !errors.As(err, &me) || me.Which != "deployment" {
					t.Fatalf("error is not the deployment's *MergeError: %T %v", err, err)
				}
				if strings.ContainsAny(err.Error(), "\r\n") {
					t.Fatalf("error is not one line: %q", err)
				}
				return
			}
			var m map[string]any
			if err := toml.Unmarshal(merged, &m); err != nil {
				t.Fatalf("the result does not decode: %v\n%q", err, merged)
			}
			if changed == bytes.Equal(merged, deployment) {
				t.Fatalf("changed = %v", changed)
			}
			again, changed, err := merge(merged, snippet)
			if err != nil || changed || !bytes.Equal(again, merged) {
				t.Fatalf("second merge: changed %v, err %v\nfirst:\n%q\nsecond:\n%q", changed, err, merged, again)
			}
			MergeDiff("deployment.toml", deployment, merged)
		}
	})
}
