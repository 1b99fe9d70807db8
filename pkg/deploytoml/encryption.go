package deploytoml

import (
	"errors"
	"regexp"
)

// Merging the snippet's [encryption] table. It is merged key by key, like
// [secrets]: deployment.toml's other keys (internal_crypto_provider,
// old_key, …) stay. Its key is the one value merge will not overwrite by
// default: the product encrypts internal data with it, and data encrypted
// under one key cannot be read with another.

// MergeOptions change how MergeTables treats the [encryption] key.
type MergeOptions struct {
	// ReplaceEncryptionKey lets the snippet's key replace a different key
	// deployment.toml already has (wso2ks merge --replace-encryption-key).
	ReplaceEncryptionKey bool
	// OmitEncryptionKey leaves the snippet's key out: deployment.toml keeps
	// the key it has, or stays without one (a home that has already run
	// with WSO2's default key). The snippet's [secrets] entry for the key
	// is left out too.
	OmitEncryptionKey bool
}

// What MergeTables did with the snippet's [encryption] key
// (MergeResult.EncryptionKey).
const (
	keyNone     = ""         // the snippet has no [encryption] key
	keyAdded    = "added"    // deployment.toml had none: the snippet's is in the result
	keySame     = "same"     // deployment.toml already has the snippet's key
	keyKept     = "kept"     // deployment.toml has another key, kept (a note says so)
	keyReplaced = "replaced" // ReplaceEncryptionKey: the snippet's key replaced another
	keyOmitted  = "omitted"  // OmitEncryptionKey: the result has deployment.toml's key, or none
)

// Notes MergeTables gives about the [encryption] key.
const (
	NoteEncryptionKeyKept = "kept the [encryption] key deployment.toml already has, not the snippet's: the product encrypts internal data with it, and another key leaves that data unreadable; " +
		"to change it deliberately, re-encrypt the data first (IS 7.1 and later: old_key = the current key, key = the new one; otherwise WSO2's key rotation tool), then merge with --replace-encryption-key"
	NoteEncryptionKeyReplaced = "replaced the [encryption] key deployment.toml had (--replace-encryption-key): data encrypted with the old key is unreadable unless it was re-encrypted or the old key is set as old_key (IS 7.1 and later)"
)

var errKeyOptions = errors.New("merge: ReplaceEncryptionKey and OmitEncryptionKey exclude each other")

// isEncryptionTable reports whether t is the [encryption] table.
func isEncryptionTable(t *tomlTable) bool {
	return !t.array && len(t.path) == 1 && t.path[0] == "encryption"
}

// encryption returns the [encryption] table, or nil.
func (d *tomlDoc) encryption() *tomlTable {
	for _, t := range d.tables {
		if isEncryptionTable(t) {
			return t
		}
	}
	return nil
}

// kv returns the key/value of t whose path is key, or nil.
func (t *tomlTable) kv(key string) *tomlKV {
	if t == nil {
		return nil
	}
	for _, kv := range t.kvs {
		if len(kv.path) == 1 && kv.path[0] == key {
			return kv
		}
	}
	return nil
}

var secretRefRe = regexp.MustCompile(`^\$secret\{([^{}]*)\}$`)

// secretAlias is the [secrets] alias a key/value refers to, or "".
func secretAlias(kv *tomlKV) string {
	if kv == nil || kv.str == "" {
		return ""
	}
	if m := secretRefRe.FindStringSubmatch(kv.str); m != nil {
		return m[1]
	}
	return ""
}

// keyPlan is what merging does with the snippet's [encryption] key.
type keyPlan struct {
	outcome string
	apply   bool   // the snippet's key goes into the result
	skip    string // a snippet [secrets] alias not merged: the key it encrypts is not used
	note    string
}

// planKey decides, from the key/values alone, whether the snippet's key
// replaces deployment.toml's. Keys are the same when they are the same
// string and, where that is $secret{alias}, deployment.toml's [secrets]
// holds the snippet's ciphertext or none: two ciphertexts that differ may
// hide two keys, and merge cannot decrypt them to tell.
func planKey(d, s *mergeInput, opt MergeOptions) keyPlan {
	sk := s.encryption().kv("key")
	if sk == nil {
		return keyPlan{outcome: keyNone}
	}
	dk := d.encryption().kv("key")
	alias := secretAlias(sk)
	switch {
	case opt.OmitEncryptionKey:
		return keyPlan{outcome: keyOmitted, skip: alias}
	case dk == nil:
		return keyPlan{outcome: keyAdded, apply: true}
	case sameEncryptionKey(d, dk, s, sk):
		return keyPlan{outcome: keySame}
	case opt.ReplaceEncryptionKey:
		return keyPlan{outcome: keyReplaced, apply: true, note: NoteEncryptionKeyReplaced}
	}
	return keyPlan{outcome: keyKept, skip: alias, note: NoteEncryptionKeyKept}
}

func sameEncryptionKey(d *mergeInput, dk *tomlKV, s *mergeInput, sk *tomlKV) bool {
	if dk.kind != sk.kind || dk.str != sk.str || dk.str == "" {
		return false
	}
	alias := secretAlias(dk)
	if alias == "" {
		return true
	}
	dv, inDeployment := secretValue(d.values, alias)
	sv, _ := secretValue(s.values, alias)
	return !inDeployment || dv == sv
}

func secretValue(doc map[string]any, alias string) (any, bool) {
	secrets, _ := doc["secrets"].(map[string]any)
	v, ok := secrets[alias]
	return v, ok
}

// encryptionText returns the snippet's [encryption] table to add to a
// deployment.toml that has none (its comments, header and keys, less the
// key when the plan does not apply it), or nil when nothing is left.
func encryptionText(s *tomlDoc, plan keyPlan, eol string) []byte {
	st := s.encryption()
	if st == nil {
		return nil
	}
	skip := func(kv *tomlKV) bool { return !plan.apply && len(kv.path) == 1 && kv.path[0] == "key" }
	kept := 0
	for _, kv := range st.kvs {
		if !skip(kv) {
			kept++
		}
	}
	if kept == 0 {
		return nil
	}
	return withEOL(tableWithout(s, st, skip), eol, true)
}

// expectedEncryption is the [encryption] table the result must decode to:
// deployment.toml's, overlaid with the snippet's keys, less the key unless
// the plan applies it; nil when neither has one.
func expectedEncryption(d, s map[string]any, plan keyPlan) any {
	de, _ := d["encryption"].(map[string]any)
	se, _ := s["encryption"].(map[string]any)
	if de == nil && se == nil {
		return nil
	}
	out := map[string]any{}
	for k, v := range de {
		out[k] = v
	}
	for k, v := range se {
		if k == "key" && !plan.apply {
			continue
		}
		out[k] = v
	}
	if de == nil && len(out) == 0 {
		return nil
	}
	return out
}
