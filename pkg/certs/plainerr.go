package certs

import (
	"strings"
)

// PlainReason words an error of Go's crypto/x509 or encoding/asn1 for
// someone who gave wso2ks a file, not for a Go programmer: no asn1
// structure dumps, no "x509:" prefix, no advice to call another function.
func PlainReason(err error) string {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "asn1:"), strings.Contains(msg, "x509: malformed"):
		// "asn1: structure error: tags don't match (16 vs {class:0 ...",
		// "x509: malformed tbs certificate"
		return "its DER encoding is malformed"
	case strings.Contains(msg, "use Parse"):
		// "x509: failed to parse private key (use ParseECPrivateKey
		// instead for this key format)"
		return "the key inside is not of the kind its PEM header names"
	}
	return strings.TrimPrefix(msg, "x509: ")
}
