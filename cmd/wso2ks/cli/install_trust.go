package cli

import (
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"slices"
	"strings"

	"github.com/wso2ks/wso2ks/pkg/deploytoml"
	"github.com/wso2ks/wso2ks/pkg/gen"
	"github.com/wso2ks/wso2ks/pkg/infile"
	"github.com/wso2ks/wso2ks/pkg/keystore"
	"github.com/wso2ks/wso2ks/pkg/verify"
)

// isTrustRole reports whether an effective store is a truststore whose
// entries install keeps: [truststore], and MI's internal API truststore.
func isTrustRole(role string) bool { return !isKeyRole(role) }

// checkTrustReadable refuses a home whose truststores install cannot open:
// it would lose the certificates an operator imported into them.
func (in *installer) checkTrustReadable() error {
	for i := range in.home.eff.Stores {
		es := &in.home.eff.Stores[i]
		switch {
		case !isTrustRole(es.Role) || es.Missing:
		case es.Unresolved != nil && es.File == "":
			return &gen.InputError{File: in.home.deployment, Msg: fmt.Sprintf("%v, so install cannot read the certificates the home's truststore holds to keep them; export the variables of the secrets.env the earlier install wrote (set -a; . FILE; set +a) and install again",
				es.Unresolved)}
		case es.Unresolved != nil:
			return &gen.InputError{File: in.home.deployment, Msg: fmt.Sprintf("%v, so install cannot read the certificates %s holds to keep them; export the variables of the secrets.env the earlier install wrote (set -a; . FILE; set +a) and install again, or move that file away to drop them",
				es.Unresolved, in.rel(es.File))}
		case errors.Is(es.OpenErr, infile.ErrRefused): // a FIFO, a file over its limit
			return es.OpenErr
		case es.OpenErr != nil && placeholder(es.PasswordRaw):
			return &gen.InputError{File: es.File, Msg: fmt.Sprintf("the home's truststore does not open with the password %s gives (%v), so install cannot keep the certificates it holds; export the secrets.env the home runs with (set -a; . FILE; set +a) and install again, or move the file away to drop them",
				es.PasswordRaw, es.OpenErr)}
		case es.OpenErr != nil:
			return &gen.InputError{File: es.File, Msg: fmt.Sprintf("the home's truststore does not open with the password of %s (%v), so install cannot keep the certificates it holds; correct %s in deployment.toml, or move the file away to drop them",
				es.Table, es.OpenErr, es.Table)}
		}
	}
	return nil
}

// homeTrusted are the entries of the home's truststores, each file once.
func (in *installer) homeTrusted() []keystore.TrustedCert {
	var out []keystore.TrustedCert
	var seen []string
	for _, es := range in.home.eff.Stores {
		if !isTrustRole(es.Role) || es.Store == nil || slices.Contains(seen, es.File) {
			continue
		}
		seen = append(seen, es.File)
		out = append(out, es.Store.Trusted...)
	}
	return out
}

// trustFiles replaces the bundle's truststore among files with the one
// install writes (the bundle's entries and the home's others, see
// deploytoml.MergeTrust), and adds the install record.
func (in *installer) trustFiles(files []deploytoml.HomeFile, stores []deploytoml.ProductStore) ([]deploytoml.HomeFile, error) {
	i := slices.IndexFunc(stores, func(s deploytoml.ProductStore) bool { return s.Manifest.Role == gen.RoleTruststore })
	if i < 0 {
		return files, nil
	}
	ts := stores[i]
	m := deploytoml.MergeTrust(ts.Store.Trusted, in.homeTrusted(), in.home.record.Wrote(), verify.IsWSO2DefaultCert)
	j := slices.IndexFunc(files, func(f deploytoml.HomeFile) bool { return f.Path == ts.Path })
	data, err := in.trustBytes(ts, m.Entries, files[j].Data)
	if err != nil {
		return nil, err
	}
	files[j].Data = data
	if len(m.Kept) > 0 {
		in.say("truststore: kept the home's %s", strings.Join(m.Kept, ", "))
	}
	if len(m.Updated) > 0 {
		in.say("truststore: the bundle's certificates replace those an earlier install wrote for %s", strings.Join(m.Updated, ", "))
	}
	var reasons []string
	dropped := map[string][]string{}
	for _, d := range m.Dropped {
		if dropped[d.Reason] == nil {
			reasons = append(reasons, d.Reason)
		}
		dropped[d.Reason] = append(dropped[d.Reason], d.Alias)
	}
	for _, r := range reasons {
		in.say("truststore: dropped the home's %s: %s", strings.Join(dropped[r], ", "), r)
	}
	rec := deploytoml.InstallRecord{Env: in.env, Product: in.product, Kind: in.kind, Version: in.version, Truststore: ts.Path}
	if in.runsWith != "" {
		rec.EncryptionKey = deploytoml.KeySHA256(in.runsWith)
	}
	for _, s := range stores {
		if s.Manifest.Role != gen.RoleTruststore {
			rec.Stores = append(rec.Stores, deploytoml.RecordEntry{Role: s.Manifest.Role, Path: s.Path, SHA256: s.Manifest.SHA256})
		}
	}
	for _, e := range ts.Store.Trusted {
		rec.Trusted = append(rec.Trusted, deploytoml.RecordEntry{Alias: e.Alias, SHA256: deploytoml.CertSHA256(e.Cert)})
	}
	data, err = rec.Encode()
	if err != nil {
		return nil, err
	}
	return append(files, deploytoml.HomeFile{Path: deploytoml.InstallRecordPath, Data: data, Secret: true}), nil
}

// trustBytes is the truststore install writes: the bytes the home already
// has at its path when they hold the same entries under the same password
// (installing again changes nothing), else the bundle's own when it holds
// them all, else entries encoded anew.
func (in *installer) trustBytes(ts deploytoml.ProductStore, entries []keystore.TrustedCert, bundle []byte) ([]byte, error) {
	f := keystore.Format(ts.Manifest.Type)
	if old, err := infile.Read(filepath.Join(in.opts.Home, filepath.FromSlash(ts.Path)), infile.KeyStore); err == nil {
		if got, err := keystore.Decode(f, old, ts.Password); err == nil && len(got.Keys) == 0 && deploytoml.SameTrust(got.Trusted, entries) {
			return old, nil
		}
	}
	if deploytoml.SameTrust(entries, ts.Store.Trusted) {
		return bundle, nil
	}
	enc := keystore.Encoder{Rand: in.f.Rand, Created: in.f.Now()}
	data, err := enc.EncodeTrustStore(f, ts.Profile, entries, ts.Password)
	if err != nil {
		return nil, &gen.InputError{File: in.home.deployment, Msg: fmt.Sprintf("cannot write the home's truststore entries into %s: %v", ts.Path, err)}
	}
	return data, nil
}

// checkHostname refuses a bundle whose tls certificate does not cover the
// home's [server] hostname (absent: localhost, the product's default).
func (in *installer) checkHostname(stores []deploytoml.ProductStore) error {
	tls := bundleKey(stores, gen.RoleTLS)
	if tls == nil {
		return nil
	}
	leaf := tls.Chain[0]
	names := slices.Clone(leaf.DNSNames)
	for _, ip := range leaf.IPAddresses {
		names = append(names, ip.String())
	}
	eff := in.home.eff
	if eff.HostnameErr != nil {
		in.notes = append(in.notes, fmt.Sprintf("[server] hostname does not resolve here (%v): check that the tls certificate covers it (%s)", eff.HostnameErr, strings.Join(names, ", ")))
		return nil
	}
	h := eff.Hostname
	if ip := net.ParseIP(h); ip != nil {
		h = ip.String()
	}
	if leaf.VerifyHostname(h) == nil {
		return nil
	}
	return &gen.InputError{File: in.home.deployment, Msg: fmt.Sprintf("[server] hostname %q is not in the tls certificate of %s/%s (%s); add it to the product's hostnames and regenerate, or set [server] hostname to one of them",
		eff.Hostname, in.env, in.product, strings.Join(names, ", "))}
}
