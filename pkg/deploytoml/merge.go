package deploytoml

import (
	"bytes"
	"fmt"

	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/gen"
)

// Merging a snippet into a deployment.toml (wso2ks merge).
//
// go-toml cannot write a document back with its comments, so MergeTables splices
// bytes: it cuts both documents into lines and tables with go-toml's parser
// and copies every byte it does not own unchanged.
//
// Ownership. A table is owned when its header path is, or lies below, one of
// keystore.*, truststore, transport.http.listener.keystore or
// internal_api_ssl_config.*. [encryption] and [secrets] are merged key by
// key; an [encryption] key deployment.toml has is kept unless MergeOptions
// say otherwise (encryption.go). A key/value
// elsewhere that sets an owned path (keystore.primary.password = … at the
// top, primary.file_name = … under [keystore], keystore = { … }) is refused
// with its line: merge cannot tell which of two spellings the product would
// read, and silently keeping one would leave a stale password.
//
// What the server uses. MergeTables also refuses, at the place to fix, a
// deployment.toml of the other product family than the snippet's header
// names (family.go), and one whose keys elsewhere would keep a
// listener on another store than the snippet's [keystore.tls] (Tomcat's
// certificate, APIM's passthrough stores; tls_override.go): it cannot
// tell whether the operator meant them, and WSO2 lets them win.
//
// Comment attribution. A table's extent is the comment lines directly above
// its header (no blank line between them and the header), the header, and
// every line to the end of its last key/value. Comments and blank lines after
// the last key/value belong to no table and stay where they are, unless they
// sit between two owned tables: consecutive owned tables form one run, removed
// whole with the lines between them.
//
// Splice. The first run of owned tables is replaced with the snippet's run
// (from its first owned table's extent to its last one's, without the
// snippet's leading header comment or anything after its last table). Later
// runs are removed, together with the blank lines after them when a blank
// line already precedes them. With no owned table in the file the snippet's
// run is appended at the end, before [secrets] when [secrets] is last.
// A deployment.toml without [encryption] gets the snippet's table right after
// the owned run; one with it gets the snippet's keys in place or after its
// last key, as [secrets] does.
// [secrets] keeps its keys; the snippet's keys replace values in place or are
// appended after its last key; it is moved to the end of the file when any
// table follows it, because WSO2's cipher tool rewrites every line after
// [secrets]. Inserted text takes the file's line ending (CRLF stays CRLF).
//
// Merging the same snippet again reproduces the same bytes: the run it
// inserted is exactly the run it replaces.

// MergeError is a mistake in one of MergeTables' inputs, placed like a
// compiler's error. Which is "snippet" or "deployment"; Line and Col are
// 1-based and zero when the mistake has no single place. The caller knows
// the file names and turns it into a *gen.InputError.
type MergeError struct {
	Which     string
	Line, Col int
	Msg       string
}

func (e *MergeError) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s: %s", e.Which, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.Which, e.Line, e.Col, e.Msg)
}

// Is makes every MergeError match gen.ErrInput (exit code 2).
func (e *MergeError) Is(target error) bool { return target == gen.ErrInput }

// MergeResult is what MergeTables made.
type MergeResult struct {
	Merged  []byte
	Changed bool
	// Notes say what a diff does not show plainly, such as [secrets] being
	// moved to the end of the file or an [encryption] key kept.
	Notes []string
	// encryptionKey says what became of the snippet's [encryption] key:
	// keyNone, keyAdded, keySame, keyKept, keyReplaced or keyOmitted.
	encryptionKey string
}

// noteSecretsMoved is the note MergeTables gives when [secrets] moves.
const noteSecretsMoved = "[secrets] moved to the end of the file: WSO2's cipher tool rewrites every line after it"

// MergeTables splices snippet's owned tables, [encryption] and [secrets]
// into deployment, treating the [encryption] key as opt says. Mistakes in
// either input are *MergeError, and so is a deployment.toml of the other
// product family than the snippet's header names (checkFamily), or one
// whose keys elsewhere would keep a listener on another store than the
// snippet's (checkOverrides). The result is decoded again and checked
// before it is returned: its owned tables equal the snippet's, its
// [encryption] and [secrets] hold the deployment's keys overlaid with the
// snippet's (less a key and secret not taken), and everything else decodes
// equal to the deployment's.
func MergeTables(deployment, snippet []byte, opt MergeOptions) (*MergeResult, error) {
	if opt.ReplaceEncryptionKey && opt.OmitEncryptionKey {
		return nil, errKeyOptions
	}
	s, err := loadMergeInput("snippet", snippet)
	if err != nil {
		return nil, err
	}
	if err := checkSnippet(s); err != nil {
		return nil, err
	}
	d, err := loadMergeInput("deployment", deployment)
	if err != nil {
		return nil, err
	}
	if err := checkDeployment(d); err != nil {
		return nil, err
	}
	h, known := bundle.ParseSnippetHeader(snippet)
	if known {
		if err := checkFamily(d, h); err != nil {
			return nil, err
		}
	}
	if err := checkOverrides(d, s, h, known); err != nil {
		return nil, err
	}
	key := planKey(d, s, opt)
	merged, notes := splice(d.tomlDoc, s.tomlDoc, key)
	if err := verifyMerge(d, s, key, merged); err != nil {
		return nil, err
	}
	if key.note != "" {
		notes = append(notes, key.note)
	}
	return &MergeResult{Merged: merged, Changed: !bytes.Equal(merged, deployment), Notes: notes, encryptionKey: key.outcome}, nil
}
