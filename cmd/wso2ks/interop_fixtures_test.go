package main

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// interopFixtures makes keystores with keytool, passing passwords through the environment.
type interopFixtures struct {
	t       *testing.T
	keytool string
	dir     string
	pass    string // store password, and key password unless keyPass says otherwise
}

func (f *interopFixtures) path(name string) string { return filepath.Join(f.dir, name) }

func (f *interopFixtures) run(keyPass string, args ...string) error {
	ctx, cancel := context.WithTimeout(f.t.Context(), time.Minute)
	defer cancel()
	// C1 only, as for the checker: export and import take half the CPU; key generation is no slower.
	cmd := exec.CommandContext(ctx, f.keytool, append([]string{"-J-XX:TieredStopAtLevel=1"}, args...)...)
	cmd.Env = append(interopEnv(), "WSO2KS_STOREPASS="+f.pass, "WSO2KS_KEYPASS="+keyPass)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("keytool %s: %w\n%s", strings.Join(args, " "), err, out)
	}
	return nil
}

func (f *interopFixtures) genKey(file, storeType, alias, keyPass string, ext ...string) error {
	args := []string{"-genkeypair", "-keystore", f.path(file), "-storetype", storeType,
		"-storepass:env", "WSO2KS_STOREPASS", "-keypass:env", "WSO2KS_KEYPASS",
		"-alias", alias, "-keyalg", "RSA", "-keysize", "2048", "-validity", "30",
		"-dname", "CN=" + alias + ", O=wso2ks interop test"}
	for _, e := range ext {
		args = append(args, "-ext", e)
	}
	return f.run(keyPass, args...)
}

// copyCert exports alias from one store and imports it as a trusted certificate into another.
func (f *interopFixtures) copyCert(from, fromType, alias, to, toType string) error {
	pem := f.path(from + "." + alias + ".pem")
	if err := f.run(f.pass, "-exportcert", "-rfc", "-keystore", f.path(from), "-storetype", fromType,
		"-storepass:env", "WSO2KS_STOREPASS", "-alias", alias, "-file", pem); err != nil {
		return err
	}
	return f.run(f.pass, "-importcert", "-noprompt", "-keystore", f.path(to), "-storetype", toType,
		"-storepass:env", "WSO2KS_STOREPASS", "-alias", alias, "-file", pem)
}

// brokenStoreFixtures makes, in dir, the stores TestInteropCheckerCatchesBrokenStores checks: good
// primary, tls and truststores, and each broken one, every store with the password pass.
func brokenStoreFixtures(t *testing.T, dir, pass string) *interopFixtures {
	t.Helper()
	keytool, err := exec.LookPath("keytool")
	if err != nil {
		t.Fatalf("keytool is not on PATH: the interop tests need a JDK 17 or later: %v", err)
	}
	f := &interopFixtures{t: t, keytool: keytool, dir: dir, pass: pass}

	const (
		wso2KU  = "KeyUsage:critical=digitalSignature,nonRepudiation,keyEncipherment,dataEncipherment"
		wso2EKU = "ExtendedKeyUsage=serverAuth,clientAuth"
		tlsSAN  = "SAN=dns:iam.dev.example.com,dns:localhost,ip:127.0.0.1"
	)
	chains := []func() error{
		func() error {
			if err := f.genKey("primary.p12", "PKCS12", "primary", pass, wso2KU, wso2EKU); err != nil {
				return err
			}
			return f.copyCert("primary.p12", "PKCS12", "primary", "truststore-other.jks", "JKS")
		},
		func() error { return f.genKey("primary.jks", "JKS", "primary", pass, wso2KU, wso2EKU) },
		func() error {
			return f.genKey("primary-sign-only.p12", "PKCS12", "primary", pass, "KeyUsage:critical=digitalSignature")
		},
		func() error { return f.genKey("tls-keypass.jks", "JKS", "tls", "other-key-password", tlsSAN) },
		func() error {
			if err := f.genKey("tls-two-keys.p12", "PKCS12", "tls", pass, tlsSAN); err != nil {
				return err
			}
			return f.genKey("tls-two-keys.p12", "PKCS12", "extra", pass, tlsSAN)
		},
		func() error {
			if err := f.genKey("tls.p12", "PKCS12", "tls", pass, tlsSAN); err != nil {
				return err
			}
			return f.copyCert("tls.p12", "PKCS12", "tls", "truststore.p12", "PKCS12")
		},
	}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for _, chain := range chains {
		wg.Go(func() {
			if err := chain(); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatalf("make fixtures: %v", err)
	}
	return f
}
