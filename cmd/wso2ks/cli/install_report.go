package cli

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/wso2ks/wso2ks/pkg/deploytoml"
	"github.com/wso2ks/wso2ks/pkg/gen"
)

// What install prints: the files it writes (or would), what happens to
// the home's keys and truststore, the backups it keeps, and notes.

// apply writes changes (or says what it would write) and reports.
func (in *installer) apply(changes []homeChange, files []deploytoml.HomeFile) error {
	f, opts := in.f, in.opts
	if len(changes) == 0 {
		fmt.Fprintf(f.Stdout, "%s is up to date with %s/%s\n", opts.Home, in.env, in.product)
		return nil
	}
	if opts.DryRun {
		for _, c := range changes {
			verb := "create"
			if c.old != nil {
				verb = "replace"
			}
			fmt.Fprintf(f.Stdout, "would %s %s\n", verb, c.rel)
			if c.rel == in.layout.Deployment {
				f.Stdout.Write(deploytoml.MergeDiff(c.rel, c.old, c.data))
			}
		}
		in.report()
		return nil
	}
	var secrets *secretsFile
	if opts.Secrets != "" {
		var err error
		if secrets, err = newSecretsFile(opts.Secrets, in.b, in.env); err != nil {
			return err
		}
	}
	backups, err := applyChanges(opts.Home, changes, secrets)
	if err != nil {
		var ie *gen.InputError
		var done *installedError
		if errors.As(err, &ie) || errors.As(err, &done) {
			return err
		}
		return fmt.Errorf("install into %s (nothing was changed): %w", opts.Home, err)
	}
	fmt.Fprintf(f.Stdout, "installed %s/%s into %s\n", in.env, in.product, opts.Home)
	for _, c := range changes {
		fmt.Fprintf(f.Stdout, "  %s\n", c.rel)
	}
	for _, l := range in.lines {
		fmt.Fprintln(f.Stdout, l)
	}
	if len(backups) > 0 {
		fmt.Fprintf(f.Stdout, "the files replaced are kept as:\n")
		for _, b := range backups {
			if rel, err := filepath.Rel(opts.Home, b); err == nil {
				b = filepath.ToSlash(rel)
			}
			fmt.Fprintf(f.Stdout, "  %s\n", b)
		}
	}
	for _, n := range in.notes {
		fmt.Fprintf(f.Stdout, "note: %s\n", n)
	}
	// This wso2ks names the store relative to the home, which moves with it;
	// a bundle of an earlier one may name an absolute install_dir.
	if loc := identityLocation(files); filepath.IsAbs(loc) {
		if abs, err := filepath.Abs(opts.Home); err == nil && !strings.HasPrefix(loc, abs+string(filepath.Separator)) {
			fmt.Fprintf(f.Stdout, "note: secret-conf.properties names %s (install_dir); the server must run from there, or regenerate the bundle, whose secret-conf.properties then names the store relative to the home\n", loc)
		}
	}
	in.next(changes, files)
	return nil
}

// next says what follows an install: the passwords, a restart, verify.
func (in *installer) next(changes []homeChange, files []deploytoml.HomeFile) {
	w, opts := in.f.Stdout, in.opts
	ep := in.env + "/" + in.product
	secrets := opts.Secrets
	if secrets == "" && opts.Bundle != "" {
		secrets = secretsPath(opts.Bundle, in.env)
	}
	mode, cipher := gen.PasswordPlain, ""
	for _, c := range changes {
		if c.rel == in.layout.Deployment && strings.Contains(string(c.data), "$env{WSO2KS_") {
			mode = gen.PasswordEnv
		}
	}
	// The cipher store's file is named after its role (primary.jks,
	// internal.p12).
	if loc := identityLocation(files); loc != "" {
		base := filepath.Base(loc)
		mode, cipher = gen.PasswordVault, strings.TrimSuffix(base, filepath.Ext(base))
	}
	if secrets != "" {
		modeNext(w, ep, in.product, mode, cipher, secrets, opts.Home)
	}
	nextf(w, "start %s from %s, or restart it (one node at a time) if it runs, so that it loads the new files", ep, opts.Home)
	nextf(w, "wso2ks verify %s", opts.Home)
}

// report prints what happens to the home's keys and truststore, and the
// notes.
func (in *installer) report() {
	for _, l := range in.lines {
		fmt.Fprintln(in.f.Stdout, l)
	}
	for _, n := range in.notes {
		fmt.Fprintf(in.f.Stdout, "note: %s\n", n)
	}
}

// identityLocation is keystore.identity.location of the secure vault files
// among files, or "".
func identityLocation(files []deploytoml.HomeFile) string {
	for _, hf := range files {
		if filepath.Base(hf.Path) != gen.SecretConfName {
			continue
		}
		for _, line := range strings.Split(string(hf.Data), "\n") {
			if v, ok := strings.CutPrefix(line, "keystore.identity.location="); ok {
				return v
			}
		}
	}
	return ""
}
