package lifecycle

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/wso2ks/wso2ks/internal/testca"
	"github.com/wso2ks/wso2ks/pkg/gen"
)

// FuzzParseChain reads arbitrary bytes as the chain file of import-cert.
// It must not panic, must refuse only with a one-line *gen.InputError that
// names the file, and what it accepts is certificates, at least one.
func FuzzParseChain(f *testing.F) {
	ca := testca.New(f, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), "Fuzz")
	f.Add(testca.PEM(ca.Int, ca.Root))
	f.Add([]byte("subject=CN = x\n" + string(testca.PEM(ca.Root)) + "trailing text\n"))
	f.Add([]byte("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"))
	f.Add([]byte("-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		chain, err := parseChain("chain.pem", data)
		if err != nil {
			var ie *gen.InputError
			if !errors.As(err, &ie) || ie.File != "chain.pem" || strings.ContainsAny(err.Error(), "\r\n") {
				t.Fatalf("not a one-line input error of chain.pem: %T %q", err, err)
			}
			return
		}
		if len(chain) == 0 {
			t.Fatal("no error and no certificate")
		}
		for i, c := range chain {
			if c == nil || len(c.Raw) == 0 {
				t.Fatalf("certificate %d is empty", i+1)
			}
		}
	})
}
