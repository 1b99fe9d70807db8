package deploytoml

import (
	"bytes"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/pelletier/go-toml/v2"
	"github.com/wso2ks/wso2ks/internal/testkit"
)

// checkMerge merges snippet into orig and checks, independently of the
// splice code: the result decodes; its owned tables decode equal to the
// snippet's; [encryption] holds orig's keys overlaid with the snippet's,
// but for a key orig already has, which stays; [secrets] holds orig's keys
// overlaid with the snippet's (less the key's entry when orig's key
// stays and differs); everything else decodes equal to orig's; every line
// outside the owned tables, [encryption] and [secrets] survives byte for
// byte and in order; [secrets] is the last table; a second merge changes
// nothing.
func checkMerge(t *testing.T, orig, snippet []byte) []byte {
	t.Helper()
	merged, changed, err := merge(orig, snippet)
	if err != nil {
		t.Fatalf("Merge: %v", err)
	}
	if changed == bytes.Equal(merged, orig) {
		t.Errorf("changed = %v, but the bytes say otherwise", changed)
	}
	var o, s, m map[string]any
	for _, x := range []struct {
		data []byte
		v    *map[string]any
	}{{orig, &o}, {snippet, &s}, {merged, &m}} {
		if err := toml.Unmarshal(x.data, x.v); err != nil {
			t.Fatalf("decode: %v\n%s", err, x.data)
		}
	}
	mEnc, sEnc, oEnc := m["encryption"], s["encryption"], o["encryption"]
	delete(m, "encryption")
	delete(s, "encryption")
	delete(o, "encryption")
	mOwned, mRest, mSecrets := cutOwned(m)
	sOwned, _, sSecrets := cutOwned(s)
	_, oRest, oSecrets := cutOwned(o)
	var wantEnc map[string]any
	if oEnc != nil || sEnc != nil {
		wantEnc = map[string]any{}
	}
	om, _ := oEnc.(map[string]any)
	sm, _ := sEnc.(map[string]any)
	for k, v := range om {
		wantEnc[k] = v
	}
	oKey, kept := wantEnc["key"]
	for k, v := range sm {
		wantEnc[k] = v
	}
	if kept {
		wantEnc["key"] = oKey
	}
	if got, _ := mEnc.(map[string]any); !reflect.DeepEqual(got, wantEnc) {
		t.Errorf("[encryption] = %v, want %v", got, wantEnc)
	}
	if sk, _ := sm["key"].(string); kept && strings.HasPrefix(sk, "$secret{") {
		// The snippet's key is not used when it differs: neither is its
		// secret. The same $secret{} with another ciphertext may differ.
		alias := strings.TrimSuffix(strings.TrimPrefix(sk, "$secret{"), "}")
		if ov, ok := oSecrets[alias]; oKey != sk || ok && ov != sSecrets[alias] {
			delete(sSecrets, alias)
		}
	}
	if !reflect.DeepEqual(mOwned, sOwned) {
		t.Errorf("owned tables:\n%v\nwant the snippet's:\n%v", mOwned, sOwned)
	}
	if !reflect.DeepEqual(mRest, oRest) {
		t.Errorf("tables merge does not own changed:\n%v\nwant:\n%v", mRest, oRest)
	}
	var wantSecrets map[string]any
	if oSecrets != nil || sSecrets != nil {
		wantSecrets = map[string]any{}
	}
	for k, v := range oSecrets {
		wantSecrets[k] = v
	}
	for k, v := range sSecrets {
		wantSecrets[k] = v
	}
	if !reflect.DeepEqual(mSecrets, wantSecrets) {
		t.Errorf("[secrets] = %v, want %v", mSecrets, wantSecrets)
	}
	if got, want := keptLines(merged), keptLines(orig); !reflect.DeepEqual(got, want) {
		t.Errorf("lines outside the owned tables differ:\n%s", testkit.Diff(strings.Join(want, ""), strings.Join(got, "")))
	}
	if h := headers(merged); len(mSecrets) > 0 && h[len(h)-1] != "secrets" {
		t.Errorf("[secrets] is not the last table: %v", h)
	}
	again, changed, err := merge(merged, snippet)
	if err != nil || changed || !bytes.Equal(again, merged) {
		t.Errorf("second merge: changed %v, err %v, same bytes %v", changed, err, bytes.Equal(again, merged))
	}
	return merged
}

// cutOwned splits a decoded document into the owned tables, the rest and
// the [secrets] table, dropping tables that removal leaves empty.
func cutOwned(m map[string]any) (owned, rest, secrets map[string]any) {
	owned, rest = map[string]any{}, map[string]any{}
	for k, v := range m {
		rest[k] = v
	}
	take := func(path ...string) {
		parent := rest
		for _, p := range path[:len(path)-1] {
			sub, ok := parent[p].(map[string]any)
			if !ok {
				return
			}
			cp := map[string]any{}
			for k, v := range sub {
				cp[k] = v
			}
			parent[p] = cp
			parent = cp
		}
		last := path[len(path)-1]
		if v, ok := parent[last]; ok {
			owned[strings.Join(path, ".")] = v
			delete(parent, last)
		}
	}
	take("keystore")
	take("truststore")
	take("transport", "http", "listener", "keystore")
	take("internal_api_ssl_config")
	secrets, _ = rest["secrets"].(map[string]any)
	delete(rest, "secrets")
	dropEmpty(rest)
	return owned, rest, secrets
}

func dropEmpty(m map[string]any) {
	for k, v := range m {
		if sub, ok := v.(map[string]any); ok {
			dropEmpty(sub)
			if len(sub) == 0 {
				delete(m, k)
			}
		}
	}
}

var headerLine = regexp.MustCompile(`^\s*\[\[?\s*((?:[\w-]+|"[^"]*")(?:\s*\.\s*(?:[\w-]+|"[^"]*"))*)\s*\]\]?\s*(#.*)?\s*$`)

// headerName returns the table a header line names, or "".
func headerName(line string) string {
	m := headerLine.FindStringSubmatch(line)
	if m == nil {
		return ""
	}
	return strings.NewReplacer(" ", "", "\t", "", `"`, "").Replace(m[1])
}

func headerOwned(name string) bool {
	for _, p := range []string{"keystore.", "truststore", "transport.http.listener.keystore", "internal_api_ssl_config."} {
		if strings.HasPrefix(name+".", p) || name == p {
			return true
		}
	}
	return false
}

// keptLines is a second, naive reading of the ownership rule for documents
// without multi-line strings: a table runs from its header to the next; an
// owned table loses the comment lines directly above its header, its header
// and everything up to its last key/value; consecutive owned tables lose
// the lines between them; the [secrets] table is left out (it moves). Blank
// lines are left out too: removing a table may collapse two into one.
func keptLines(doc []byte) []string {
	lines := strings.SplitAfter(strings.ReplaceAll(string(doc), "\r\n", "\n"), "\n")
	blank := func(i int) bool { return strings.TrimSpace(lines[i]) == "" }
	comment := func(i int) bool { return strings.HasPrefix(strings.TrimSpace(lines[i]), "#") }
	drop := make([]bool, len(lines))
	var starts []int
	for i, l := range lines {
		if headerLine.MatchString(l) {
			starts = append(starts, i)
		}
	}
	prevOwnedEnd := -1
	for n, h := range starts {
		name := headerName(lines[h])
		if name == "encryption" {
			name = "secrets" // merged key by key, like [secrets]
		}
		if !headerOwned(name) && name != "secrets" {
			prevOwnedEnd = -1
			continue
		}
		next := len(lines)
		if n+1 < len(starts) {
			next = starts[n+1]
		}
		end := next // one past the last key/value line
		for end > h+1 && (blank(end-1) || comment(end-1)) {
			end--
		}
		start := h
		for start > 0 && comment(start-1) {
			start--
		}
		if prevOwnedEnd >= 0 && name != "secrets" {
			start = prevOwnedEnd
		}
		for i := start; i < end; i++ {
			drop[i] = true
		}
		prevOwnedEnd = -1
		if name != "secrets" {
			prevOwnedEnd = end
		}
	}
	var kept []string
	for i, l := range lines {
		if !drop[i] && !blank(i) {
			// The last line gains a newline when the merge appends.
			kept = append(kept, strings.TrimSuffix(l, "\n")+"\n")
		}
	}
	return kept
}

func headers(doc []byte) []string {
	var hs []string
	for _, l := range strings.SplitAfter(string(doc), "\n") {
		if name := headerName(l); name != "" {
			hs = append(hs, name)
		}
	}
	return hs
}
