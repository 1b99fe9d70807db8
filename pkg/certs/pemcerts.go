package certs

import (
	"crypto/x509"
	"encoding/pem"
	"fmt"
)

// PEMError is what is wrong with one block of a PEM certificate file, for
// the caller to say in its own words, with its own fix.
type PEMError struct {
	// N is the certificate's place among the file's certificates, from 1.
	N int
	// Type is set for a block that is not a certificate (when only
	// certificates are allowed).
	Type string
	// TooMany is set when certificate N is one more than the file may hold.
	TooMany bool
	// Err is set when certificate N does not parse.
	Err error
}

func (e *PEMError) Error() string {
	switch {
	case e.Type != "":
		return fmt.Sprintf("holds a PEM %q block", e.Type)
	case e.TooMany:
		return fmt.Sprintf("holds more than %d certificates", e.N-1)
	}
	return fmt.Sprintf("certificate %d does not parse (%s)", e.N, e.Reason())
}

// Reason says in plain words why certificate N does not parse.
func (e *PEMError) Reason() string { return PlainReason(e.Err) }

// ParsePEMCertificates parses the CERTIFICATE blocks of data, in order.
// Text around the blocks (openssl's subject and issuer lines) is skipped;
// another kind of block is skipped too, or, when onlyCerts, refused, so
// that a key pasted by mistake is not taken in. More than max certificates
// (max > 0) is refused before the one over the limit is parsed. Every
// refusal is a *PEMError; a file without certificates returns none.
func ParsePEMCertificates(data []byte, max int, onlyCerts bool) ([]*x509.Certificate, error) {
	var list []*x509.Certificate
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			return list, nil
		}
		if block.Type != "CERTIFICATE" {
			if onlyCerts {
				return nil, &PEMError{N: len(list) + 1, Type: block.Type}
			}
			continue
		}
		if max > 0 && len(list) == max {
			return nil, &PEMError{N: max + 1, TooMany: true}
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, &PEMError{N: len(list) + 1, Err: err}
		}
		list = append(list, c)
	}
}
