package deploytoml

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
)

const (
	encSnippet      = "[keystore.primary]\npassword = \"p\"\n\n# Own key.\n[encryption]\nkey = \"NEWKEY\"\n"
	encVaultSnippet = "[keystore.primary]\npassword = \"$secret{iam_primary_password}\"\n\n# Own key.\n[encryption]\nkey = \"$secret{iam_encryption_key}\"\n\n[secrets]\niam_primary_password = \"P1\"\niam_encryption_key = \"K1\"\n"
	encBlock        = "[keystore.primary]\npassword = \"p\"\n"
	encVaultBlock   = "[keystore.primary]\npassword = \"$secret{iam_primary_password}\"\n"
)

// TestMergeEncryptionKey: the snippet's [encryption] is merged key by key,
// and a key deployment.toml has is kept unless the options say otherwise.
func TestMergeEncryptionKey(t *testing.T) {
	replace, omit := MergeOptions{ReplaceEncryptionKey: true}, MergeOptions{OmitEncryptionKey: true}
	tests := []struct {
		name, deployment, snippet string
		opt                       MergeOptions
		want, outcome             string
		notes                     []string
	}{
		{name: "no [encryption]: the snippet's table follows the owned tables",
			deployment: "[server]\nx = 1\n\n[keystore.primary]\npassword = \"old\"\n\n[database]\ny = 2\n", snippet: encSnippet,
			want:    "[server]\nx = 1\n\n" + encBlock + "\n# Own key.\n[encryption]\nkey = \"NEWKEY\"\n\n[database]\ny = 2\n",
			outcome: keyAdded},
		{name: "[encryption] without a key: the key is added, the provider stays",
			deployment: "# Internal crypto.\n[encryption]\ninternal_crypto_provider = \"x.Symmetric\" # ours\n\n[keystore.primary]\npassword = \"old\"\n", snippet: encSnippet,
			want:    "# Internal crypto.\n[encryption]\ninternal_crypto_provider = \"x.Symmetric\" # ours\nkey = \"NEWKEY\"\n\n" + encBlock,
			outcome: keyAdded},
		{name: "the same key: nothing changes",
			deployment: encBlock + "\n[encryption]\nkey = 'NEWKEY'\n", snippet: encSnippet,
			want: encBlock + "\n[encryption]\nkey = 'NEWKEY'\n", outcome: keySame},
		{name: "another key: kept, with a note",
			deployment: "[encryption]\nold_key = \"OLDER\"\nkey = \"HOMEKEY\"\n\n[keystore.primary]\npassword = \"old\"\n", snippet: encSnippet,
			want:    "[encryption]\nold_key = \"OLDER\"\nkey = \"HOMEKEY\"\n\n" + encBlock,
			outcome: keyKept, notes: []string{NoteEncryptionKeyKept}},
		{name: "another key, --replace-encryption-key: replaced in place, old_key stays",
			deployment: "[encryption]\nold_key = \"OLDER\"\nkey = \"HOMEKEY\" # set by hand\n\n[keystore.primary]\npassword = \"old\"\n", snippet: encSnippet, opt: replace,
			want:    "[encryption]\nold_key = \"OLDER\"\nkey = \"NEWKEY\" # set by hand\n\n" + encBlock,
			outcome: keyReplaced, notes: []string{NoteEncryptionKeyReplaced}},
		{name: "the default key in the home: kept like any other",
			deployment: "[encryption]\nkey = \"03BAFEB27A8E871CAD83C5CD4E771DAB\"\n", snippet: encSnippet,
			want:    "[encryption]\nkey = \"03BAFEB27A8E871CAD83C5CD4E771DAB\"\n\n" + encBlock,
			outcome: keyKept, notes: []string{NoteEncryptionKeyKept}},
		{name: "a plain key kept: the snippet's secret for its key is not merged",
			deployment: "[encryption]\nkey = \"HOMEKEY\"\n\n[secrets]\nadmin = \"A\"\n", snippet: encVaultSnippet,
			want:    "[encryption]\nkey = \"HOMEKEY\"\n\n" + encVaultBlock + "\n[secrets]\nadmin = \"A\"\niam_primary_password = \"P1\"\n",
			outcome: keyKept, notes: []string{NoteEncryptionKeyKept}},
		{name: "the same $secret alias with another ciphertext: deployment's secret is kept",
			deployment: "[encryption]\nkey = \"$secret{iam_encryption_key}\"\n\n[secrets]\niam_encryption_key = \"K0\"\n", snippet: encVaultSnippet,
			want:    "[encryption]\nkey = \"$secret{iam_encryption_key}\"\n\n" + encVaultBlock + "\n[secrets]\niam_encryption_key = \"K0\"\niam_primary_password = \"P1\"\n",
			outcome: keyKept, notes: []string{NoteEncryptionKeyKept}},
		{name: "the same $secret alias and ciphertext: the same key",
			deployment: "[encryption]\nkey = \"$secret{iam_encryption_key}\"\n\n[secrets]\niam_encryption_key = \"K1\"\n", snippet: encVaultSnippet,
			want:    "[encryption]\nkey = \"$secret{iam_encryption_key}\"\n\n" + encVaultBlock + "\n[secrets]\niam_encryption_key = \"K1\"\niam_primary_password = \"P1\"\n",
			outcome: keySame},
		{name: "the same $secret alias, not yet in [secrets]: its secret is added",
			deployment: "[encryption]\nkey = \"$secret{iam_encryption_key}\"\n", snippet: encVaultSnippet,
			want:    "[encryption]\nkey = \"$secret{iam_encryption_key}\"\n\n" + encVaultBlock + "\n[secrets]\niam_primary_password = \"P1\"\niam_encryption_key = \"K1\"\n",
			outcome: keySame},
		{name: "a $secret key replaced: both secrets stay, the snippet's merged",
			deployment: "[encryption]\nkey = \"$secret{iam_encryption_key}\"\n\n[secrets]\niam_encryption_key = \"K0\"\n", snippet: encVaultSnippet, opt: replace,
			want:    "[encryption]\nkey = \"$secret{iam_encryption_key}\"\n\n" + encVaultBlock + "\n[secrets]\niam_encryption_key = \"K1\"\niam_primary_password = \"P1\"\n",
			outcome: keyReplaced, notes: []string{NoteEncryptionKeyReplaced}},
		{name: "omitted: no key and no [encryption] table added, nor the key's secret",
			deployment: "[server]\nx = 1\n", snippet: encVaultSnippet, opt: omit,
			want:    "[server]\nx = 1\n\n" + encVaultBlock + "\n[secrets]\niam_primary_password = \"P1\"\n",
			outcome: keyOmitted},
		{name: "omitted: deployment's [encryption] stays as it is",
			deployment: "[encryption]\ninternal_crypto_provider = \"x\"\n", snippet: encSnippet, opt: omit,
			want: "[encryption]\ninternal_crypto_provider = \"x\"\n\n" + encBlock, outcome: keyOmitted},
		{name: "omitted: deployment's key stays, without a note",
			deployment: "[encryption]\nkey = \"HOMEKEY\"\n", snippet: encSnippet, opt: omit,
			want: "[encryption]\nkey = \"HOMEKEY\"\n\n" + encBlock, outcome: keyOmitted},
		{name: "a snippet without [encryption] leaves deployment's alone",
			deployment: "[encryption]\nkey = \"HOMEKEY\"\n", snippet: encBlock,
			want: "[encryption]\nkey = \"HOMEKEY\"\n\n" + encBlock, outcome: keyNone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := MergeTables([]byte(tt.deployment), []byte(tt.snippet), tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			if string(r.Merged) != tt.want {
				t.Errorf("merged:\n%q\nwant:\n%q", r.Merged, tt.want)
			}
			if r.encryptionKey != tt.outcome {
				t.Errorf("outcome %q, want %q", r.encryptionKey, tt.outcome)
			}
			if !reflect.DeepEqual(r.Notes, tt.notes) {
				t.Errorf("notes %q, want %q", r.Notes, tt.notes)
			}
			// A second merge with the same options changes nothing.
			again, err := MergeTables(r.Merged, []byte(tt.snippet), tt.opt)
			if err != nil || again.Changed || !bytes.Equal(again.Merged, r.Merged) {
				t.Errorf("second merge: changed %v, err %v:\n%q", again.Changed, err, again.Merged)
			}
			if tt.opt == (MergeOptions{}) {
				checkMerge(t, []byte(tt.deployment), []byte(tt.snippet))
			}
		})
	}
}

func TestMergeEncryptionOptionsExclusive(t *testing.T) {
	_, err := MergeTables([]byte("[server]\n"), []byte(encSnippet), MergeOptions{ReplaceEncryptionKey: true, OmitEncryptionKey: true})
	if !errors.Is(err, errKeyOptions) {
		t.Fatalf("err = %v, want %v", err, errKeyOptions)
	}
}

// TestMergeDiffMasksEncryptionKey: --dry-run never prints a key.
func TestMergeDiffMasksEncryptionKey(t *testing.T) {
	old := []byte("[encryption]\nold_key = \"OLDSECRET\"\n")
	r, err := MergeTables(old, []byte(encSnippet), MergeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	diff := string(MergeDiff("deployment.toml", old, r.Merged))
	for _, secret := range []string{"OLDSECRET", "NEWKEY"} {
		if bytes.Contains([]byte(diff), []byte(secret)) {
			t.Errorf("the diff shows %s:\n%s", secret, diff)
		}
	}
	if !bytes.Contains([]byte(diff), []byte("+key = "+mask)) {
		t.Errorf("the diff does not show the key line masked:\n%s", diff)
	}
	// A placeholder is no secret: it shows.
	r, err = MergeTables(old, []byte(encVaultSnippet), MergeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	diff = string(MergeDiff("deployment.toml", old, r.Merged))
	if !bytes.Contains([]byte(diff), []byte("+key = \"$secret{iam_encryption_key}\"\n")) || bytes.Contains([]byte(diff), []byte("K1")) {
		t.Errorf("the diff hides the placeholder or shows the secret:\n%s", diff)
	}
}

// TestMergeEncryptionPlaces: wherever deployment.toml has [encryption], or a
// sub-table of it, the merge keeps every other line, decodes as it must and
// is stable; CRLF stays CRLF.
func TestMergeEncryptionPlaces(t *testing.T) {
	for name, deployment := range map[string]string{
		"between owned tables": "[keystore.primary]\npassword = \"old\"\n\n[encryption]\ninternal_crypto_provider = \"x\"\n\n[truststore]\npassword = \"old\"\n",
		"after [secrets]":      "[server]\nx = 1\n\n[secrets]\nadmin = \"A\"\n\n# provider\n[encryption]\ninternal_crypto_provider = \"x\"\n",
		"no final newline":     "[server]\nx = 1\n\n[encryption]\nold_key = \"o\" # rotated",
		"only a sub-table":     "[encryption.extra]\nflag = true\n\n[server]\nx = 1\n",
		"key and a sub-table":  "[encryption]\nkey = \"HOMEKEY\"\n\n[encryption.extra]\nflag = true\n",
		"CRLF":                 "[server]\r\nx = 1\r\n\r\n[encryption]\r\ninternal_crypto_provider = \"x\"\r\n",
		"empty":                "",
	} {
		for _, snippet := range []string{encSnippet, encVaultSnippet} {
			t.Run(name, func(t *testing.T) {
				merged := checkMerge(t, []byte(deployment), []byte(snippet))
				if strings.Contains(deployment, "\r\n") && bytes.Contains(bytes.ReplaceAll(merged, []byte("\r\n"), nil), []byte("\n")) {
					t.Errorf("a bare LF in a CRLF file:\n%q", merged)
				}
			})
		}
	}
}
