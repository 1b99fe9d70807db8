package verify

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"

	"github.com/wso2ks/wso2ks/pkg/gen"
	"github.com/wso2ks/wso2ks/pkg/infile"
)

// homePasswordFiles are the files of a home the server reads the secure vault store's password
// from at start-up, in the order it looks for them: its DefaultSecretCallbackHandler reads the
// first line of $CARBON_HOME/password (and renames it password-tmp), else of password-tmp (and
// deletes it), else of password-persist (and keeps it), else asks on the console
// (wso2/carbon-kernel core/org.wso2.carbon.securevault/src/main/java/org/wso2/carbon/securevault/
// DefaultSecretCallbackHandler.java, handleSingleSecretCallback and readPassword). The Micro
// Integrator reads password-tmp in MI_HOME alike (wso2/docs-ei
// en/micro-integrator/docs/setup/security/resolving_encrypted_secrets.md). On Windows the
// server reads the same names with .txt; wso2ks audits the Unix names.
var homePasswordFiles = []string{"password", "password-tmp", "password-persist"}

// vaultPassword returns the password of the vault's store of role and where it comes from, in
// this order: Options.Password (--password-file or WSO2KS_VERIFY_PASSWORD), a bundle's
// secrets.env, a home's password files. With none, source is empty and missing says what is
// not there (or what could not be read), for a SKIP.
func (c *checker) vaultPassword(role string) (password, source, missing string) {
	if c.o.Password != "" {
		source = c.o.PasswordSource
		if source == "" {
			source = "Options.Password"
		}
		return c.o.Password, source, ""
	}
	if pw, ok := c.p.Passwords[gen.PasswordVar(c.p.Name, role)]; ok {
		return pw, "secrets.env", ""
	}
	if c.p.Snippet {
		return "", "", fmt.Sprintf("secrets.env has no %s, and neither --password-file nor %s is given", gen.PasswordVar(c.p.Name, role), PasswordVar)
	}
	if !c.homePasswords {
		return "", "", fmt.Sprintf("give it with --password-file FILE or %s", PasswordVar)
	}
	for _, name := range homePasswordFiles {
		data, err := c.o.FS.ReadFile(filepath.Join(c.p.Root, name), infile.Password)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return "", "", name + " in the home " + unreadable(err)
		}
		return infile.FirstLine(data), name, ""
	}
	return "", "", fmt.Sprintf("neither --password-file nor %s is given, and the home has no password-tmp, password-persist or password file", PasswordVar)
}

// PasswordVar is the environment variable 'wso2ks verify' (and inspect) reads the vault
// store's password from.
const PasswordVar = "WSO2KS_VERIFY_PASSWORD"

// unreadable says why a file could not be read, after its name.
func unreadable(err error) string {
	var ie *infile.Error
	if errors.As(err, &ie) {
		return ie.Reason
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return "cannot be read: " + err.Error()
}
