package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/wso2ks/wso2ks/pkg/infile"
	"github.com/wso2ks/wso2ks/pkg/verify"
)

// Flags that name a file holding passwords (--passwords, --password-file)
// are sometimes given the password itself. Their errors then must not
// print the value, which would put a password on the terminal and in
// shell logs, nor call it a file name.

// secretFileError words what f.ReadFile returned for the value of such a
// flag; give is what the flag wants ("the secrets.env of an earlier
// bundle"). A value that names no file and does not look like a path is
// taken for a password and not echoed; echo false never echoes it.
func secretFileError(flag, value, give string, echo bool, err error) error {
	shown := flag + " " + value
	if !echo {
		shown = flag + " FILE"
	}
	var re *infile.Error
	switch {
	case errors.Is(err, fs.ErrNotExist) && !looksLikePath(value):
		return &usageError{fmt.Sprintf("%s names no file: passwords come from files or the environment (see docs/passwords-and-vault.md), not from an argument; give %s", flag, give)}
	case errors.Is(err, fs.ErrNotExist):
		return &usageError{fmt.Sprintf("%s does not exist; give %s", shown, give)}
	case errors.As(err, &re):
		return &usageError{shown + " " + re.Reason}
	}
	return &usageError{fmt.Sprintf("%s cannot be read (%s); give %s", shown, unwrap(err), give)}
}

// looksLikePath reports whether v reads as a file name rather than a
// password: it has a directory or an extension.
func looksLikePath(v string) bool {
	return strings.ContainsAny(v, `/\`) || strings.Contains(strings.TrimPrefix(v, "."), ".")
}

// storePassword is the password that --password-file FILE (its first line)
// or WSO2KS_VERIFY_PASSWORD gives verify and inspect, and where it came
// from; "" when neither is given.
func storePassword(f *Factory, file string) (password, source string, err error) {
	if file == "" {
		if pw, ok := f.Getenv(verify.PasswordVar); ok {
			return pw, verify.PasswordVar, nil
		}
		return "", "", nil
	}
	data, err := f.ReadFile(file, infile.Password)
	if err != nil {
		return "", "", secretFileError("--password-file", file, "a file whose first line is the store's password", true, err)
	}
	return infile.FirstLine(data), "--password-file " + file, nil
}
