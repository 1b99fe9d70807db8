package gen

import (
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"
	"unicode"

	"github.com/wso2ks/wso2ks/pkg/certs"
	"github.com/wso2ks/wso2ks/pkg/infile"
)

// The files a topology names (extra_trusted, [tls] ca_cert, ca_key and
// its passphrase, file: password sources) are read through Source.ReadFile,
// which checks and caps them by kind (pkg/infile), by a path relative to
// the topology's directory; their paths are checked first.

// badPath says what is wrong with a path the topology names, or "": a
// control character (a newline, a tab) would end up in files and messages
// that are read line by line.
func badPath(p string) string {
	if strings.ContainsFunc(p, func(r rune) bool { return unicode.IsControl(r) || r == '\u2028' || r == '\u2029' }) {
		return "holds a control character; write the path on one line, without tabs or escapes"
	}
	return ""
}

// readFile reads a [tls] file of kind k: key names it in messages.
func (v *validator) readFile(at, key, file string, k infile.Kind) ([]byte, error) {
	if msg := badPath(file); msg != "" {
		return nil, v.errAt(at, "[tls] %s %q %s", key, file, msg)
	}
	if v.src.ReadFile == nil {
		return nil, v.errAt(at, "[tls] %s %q cannot be read from the built-in topology; pass a topology with -f", key, file)
	}
	full := file
	if !path.IsAbs(file) && v.src.Dir != "" {
		full = path.Join(v.src.Dir, file)
	}
	data, err := v.src.ReadFile(full, k)
	if err != nil {
		fix := "give a PEM file path relative to the topology file"
		if k == infile.Password {
			fix = "give a file whose first line is the passphrase, by a path relative to the topology file"
		}
		return nil, v.errAt(at, "%s", readFailure(fmt.Sprintf("[tls] %s %q", key, file), err, fix))
	}
	return data, nil
}

// readPEMCerts reads the certificates of an extra_trusted file.
func (v *validator) readPEMCerts(at, file string) ([]ExtraCert, error) {
	if list, ok := v.extra[file]; ok {
		return list, nil
	}
	if msg := badPath(file); msg != "" {
		return nil, v.errAt(at, "extra_trusted file %q %s", file, msg)
	}
	if v.src.ReadFile == nil {
		return nil, v.errAt(at, "extra_trusted file %q cannot be read from the built-in topology; pass a topology with -f", file)
	}
	full := file
	if !path.IsAbs(file) && v.src.Dir != "" {
		full = path.Join(v.src.Dir, file)
	}
	data, err := v.src.ReadFile(full, infile.Certificates)
	if err != nil {
		return nil, v.errAt(at, "%s", readFailure(fmt.Sprintf("extra_trusted file %q", file), err, "give a PEM file path relative to the topology file"))
	}
	parsed, err := certs.ParsePEMCertificates(data, 0, false)
	var pe *certs.PEMError
	if errors.As(err, &pe) {
		return nil, v.errAt(at, "extra_trusted file %q: certificate %d does not parse (%s); give PEM certificates", file, pe.N, pe.Reason())
	} else if err != nil {
		return nil, err
	}
	var list []ExtraCert
	for _, c := range parsed {
		list = append(list, ExtraCert{File: file, Cert: c})
	}
	if len(list) == 0 {
		return nil, v.errAt(at, "extra_trusted file %q holds no PEM certificate; give a file with -----BEGIN CERTIFICATE----- blocks", file)
	}
	v.extra[file] = list
	return list, nil
}

// readFailure says why the file what names could not be read: a refused
// file's reason ("is a FIFO…"), else the system's error and fix.
func readFailure(what string, err error, fix string) string {
	var re *infile.Error
	if errors.As(err, &re) {
		return what + " " + re.Reason
	}
	return fmt.Sprintf("%s cannot be read (%s); %s", what, unwrapPathError(err), fix)
}

func unwrapPathError(err error) string {
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 {
		return msg[i+2:]
	}
	return msg
}

// installDir checks a product's install_dir, an absolute path on the
// target machine, and returns it cleaned ("/opt//wso2is/" is /opt/wso2is).
func (v *validator) installDir(at, product, d string) (string, error) {
	switch {
	case d == "":
		return "", nil
	case badPath(d) != "":
		return "", v.errAt(at, "product %q: install_dir %q %s", product, d, badPath(d))
	case !strings.HasPrefix(d, "/"):
		return "", v.errAt(at, "product %q: install_dir %q must be an absolute path on the target machine", product, d)
	case slices.Contains(strings.Split(d, "/"), ".."):
		// Through a symbolic link, a/../b need not be b: not ours to guess.
		return "", v.errAt(at, "product %q: install_dir %q holds '..'; write the product's absolute path without it", product, d)
	}
	return path.Clean(d), nil
}
