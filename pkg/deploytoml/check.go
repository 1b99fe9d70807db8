package deploytoml

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/pelletier/go-toml/v2"
)

// ownedList names the owned tables in messages.
const ownedList = "[keystore.*], [truststore], [transport.http.listener.keystore], [internal_api_ssl_config.*]"

// mergeInput is one decoded and parsed input of Merge.
type mergeInput struct {
	*tomlDoc
	values map[string]any
}

// loadMergeInput decodes data with go-toml (which places syntax errors) and
// parses it into lines and tables.
func loadMergeInput(which string, data []byte) (*mergeInput, error) {
	if bytes.HasPrefix(data, utf8BOM) {
		// Rewriting the file without it would change more than the tables
		// merge owns; keeping it would hand the product a file our TOML
		// reader refuses. The user decides.
		return nil, &MergeError{which, 1, 1, "the file starts with a UTF-8 byte order mark (BOM); save it as UTF-8 without a BOM and merge again"}
	}
	var values map[string]any
	if err := toml.Unmarshal(data, &values); err != nil {
		var de *toml.DecodeError
		if errors.As(err, &de) {
			line, col := de.Position()
			msg := strings.TrimPrefix(de.Error(), "toml: ")
			return nil, &MergeError{which, line, col, oneLineText(msg) + "; fix the TOML and merge again"}
		}
		return nil, &MergeError{Which: which, Msg: "not valid TOML; fix it and merge again"}
	}
	doc, err := parseTOMLDoc(data)
	if err != nil {
		return nil, &MergeError{Which: which, Msg: "not valid TOML; fix it and merge again"}
	}
	return &mergeInput{doc, values}, nil
}

// utf8BOM is the byte order mark some Windows editors put first in a
// UTF-8 file.
var utf8BOM = []byte("\xef\xbb\xbf")

// oneLineText escapes line breaks and other control characters, which go-toml
// copies from the document into some messages.
func oneLineText(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return '?'
		}
		return r
	}, s)
}

// checkSnippet accepts owned tables followed by an optional [encryption]
// and an optional [secrets].
func checkSnippet(s *mergeInput) error {
	if len(s.root) > 0 {
		kv := s.root[0]
		return &MergeError{"snippet", kv.line, kv.col, fmt.Sprintf("key %s is outside any table; a snippet holds only %s tables, [encryption] and [secrets]", dotted(kv.path), ownedList)}
	}
	owned := 0
	for _, t := range s.tables {
		switch {
		case ownedTable(t.path) != nil:
			owned++
			if sec := s.secrets(); sec != nil && sec.position < t.position {
				return &MergeError{"snippet", sec.line, sec.col, "[secrets] must come after the keystore tables; move it to the end of the snippet"}
			}
			if enc := s.encryption(); enc != nil && enc.position < t.position {
				return &MergeError{"snippet", enc.line, enc.col, "[encryption] must come after the keystore tables; move it after them, before [secrets]"}
			}
		case isSecretsTable(t):
		case isEncryptionTable(t):
			if sec := s.secrets(); sec != nil && sec.position < t.position {
				return &MergeError{"snippet", sec.line, sec.col, "[secrets] must come after [encryption]; move it to the end of the snippet"}
			}
		default:
			return &MergeError{"snippet", t.line, t.col, fmt.Sprintf("table %s is not one merge writes (%s, [encryption] and [secrets]); remove it from the snippet or add it to deployment.toml by hand", header(t), ownedList)}
		}
	}
	if owned == 0 {
		return &MergeError{Which: "snippet", Msg: "no " + ownedList + " table to merge; pass the deployment.snippet.toml that wso2ks generate wrote"}
	}
	return nil
}

// checkDeployment refuses what merge could only guess at: owned or [secrets]
// keys written outside their own table.
func checkDeployment(d *mergeInput) error {
	for _, kv := range d.root {
		if err := checkKey(nil, kv); err != nil {
			return err
		}
	}
	for _, t := range d.tables {
		switch {
		case t.array && (aboveOwned(t.path) || len(t.path) == 1 && t.path[0] == "encryption"):
			// An array of tables above the tables merge writes ([[keystore]])
			// or in place of [encryption]: WSO2 reads no such array, and the
			// merged tables would not fit in it. (An owned array of tables,
			// MI's [[keystore.secondary]], is merge's to write.)
			return &MergeError{"deployment", t.line, t.col, fmt.Sprintf("%s is an array of tables where merge writes %s tables and [encryption]; make it a table of its own (one pair of brackets) or delete it, and merge again", header(t), ownedList)}
		case ownedTable(t.path) != nil, isSecretsTable(t), isEncryptionTable(t):
			continue
		case t.path[0] == "secrets":
			return &MergeError{"deployment", t.line, t.col, fmt.Sprintf("table %s: WSO2's cipher tool reads only the keys of [secrets]; move its keys into [secrets] and merge again", header(t))}
		}
		for _, kv := range t.kvs {
			if err := checkKey(t.path, kv); err != nil {
				return err
			}
		}
	}
	return nil
}

func checkKey(table []string, kv *tomlKV) error {
	full := append(append([]string(nil), table...), kv.path...)
	var msg string
	owned := ownedTable(full)
	switch {
	case len(owned) > 0 && len(full) > len(owned):
		o := dotted(owned)
		msg = fmt.Sprintf("key %s sets [%s], which merge replaces, outside that table; move the line under a [%s] header (or delete it) and merge again", dotted(full), o, o)
	case owned != nil, aboveOwned(full):
		// An inline table or a value where merge writes a table.
		msg = fmt.Sprintf("key %s stands where merge writes %s tables; write its contents as tables of their own (or delete the line) and merge again", dotted(full), ownedList)
	case full[0] == "secrets":
		msg = fmt.Sprintf("key %s sets [secrets] outside that table; move the line under the [secrets] header and merge again", dotted(full))
	case full[0] == "encryption" && len(table) == 0:
		msg = fmt.Sprintf("key %s sets [encryption] outside that table; move its keys under an [encryption] header and merge again", dotted(full))
	default:
		return nil
	}
	return &MergeError{"deployment", kv.line, kv.col, msg}
}

func header(t *tomlTable) string {
	if t.array {
		return "[[" + dotted(t.path) + "]]"
	}
	return "[" + dotted(t.path) + "]"
}
