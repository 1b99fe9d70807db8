package cli

import (
	"testing"

	"github.com/wso2ks/wso2ks/pkg/infile"
)

// TestStorePasswordFirstLine: --password-file gives its first line as the WSO2 server reads a
// password file (infile.FirstLine): a lone CR ends it too.
func TestStorePasswordFirstLine(t *testing.T) {
	for _, data := range []string{"Secret-pass-1", "Secret-pass-1\n", "Secret-pass-1\r\nold", "Secret-pass-1\rold\r"} {
		f := &Factory{ReadFile: func(string, infile.Kind) ([]byte, error) { return []byte(data), nil }}
		pw, source, err := storePassword(f, "pw")
		if err != nil || pw != "Secret-pass-1" || source != "--password-file pw" {
			t.Errorf("%q: %q from %q (%v), want Secret-pass-1 from --password-file pw", data, pw, source, err)
		}
	}
}
