package verify

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// vaultHome is the good IS home with its tls passwords and a database password in the secure
// vault, encrypted with the internal store's key; [secrets] holds ciphers by alias.
func vaultHome(t *testing.T, ciphers map[string]string) *home {
	t.Helper()
	fx := goodIS()
	fx.deployment = strings.Replace(fx.deployment, `file_name = "tls.p12"
type = "PKCS12"
password = "Fixture-pass-1"
alias = "tls"
key_password = "Fixture-pass-1"`, `file_name = "tls.p12"
type = "PKCS12"
password = "$secret{tls_password}"
alias = "tls"
key_password = "$secret{tls_password}"`, 1)
	fx.deployment += "\n[database.identity_db]\npassword = \"$secret{identity_db_password}\"\n\n[secrets]\n"
	for _, alias := range []string{"identity_db_password", "tls_password"} {
		ct, ok := ciphers[alias]
		if !ok {
			ct = encryptFor(t, fixtureKey(t, 1), testPassword)
		}
		if ct != "-" {
			fx.deployment += alias + " = \"" + ct + "\"\n"
		}
	}
	return fx.build(t)
}

// encryptFor encrypts plain as the cipher tool does for IS: RSA PKCS#1 v1.5, Base64.
func encryptFor(t *testing.T, key *rsa.PrivateKey, plain string) string {
	t.Helper()
	ct, err := rsa.EncryptPKCS1v15(rand.Reader, &key.PublicKey, []byte(plain))
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(ct)
}

// TestSecretDecrypts: every $secret{…} of deployment.toml decrypts with the vault's key, the
// store's password from Options.Password or the home's password files, as the server reads
// them; without one, one SKIP says what is missing and nothing fails.
func TestSecretDecrypts(t *testing.T) {
	const missing = "SKIP secret-decrypts: the internal store's password is not known, so 2 $secret{…} values (and what uses them) are not checked: "
	for _, tc := range []struct {
		name     string
		ciphers  map[string]string
		files    map[string]string // home files: password-tmp, password-persist, password
		dir      string            // a directory in the home by this name
		password string            // Options.Password
		want     []string          // secret-decrypts and placeholder findings
		tlsOpens bool              // the tls store is opened and checked
	}{
		{name: "no password",
			want: []string{missing + "neither --password-file nor WSO2KS_VERIFY_PASSWORD is given, and the home has no password-tmp, password-persist or password file"}},
		{name: "password-tmp", files: map[string]string{"password-tmp": testPassword + "\n"}, tlsOpens: true,
			want: []string{"PASS secret-decrypts: 2 $secret{…} values decrypt with the internal store's key (its password from password-tmp)"}},
		{name: "password-persist, CRLF", files: map[string]string{"password-persist": testPassword + "\r\nsecond line\r\n"}, tlsOpens: true,
			want: []string{"PASS secret-decrypts: 2 $secret{…} values decrypt with the internal store's key (its password from password-persist)"}},
		// WSO2's order: password, then password-tmp, then password-persist.
		{name: "password-tmp before password-persist", files: map[string]string{"password-tmp": testPassword, "password-persist": "Wrong-pass-1"}, tlsOpens: true,
			want: []string{"PASS secret-decrypts: 2 $secret{…} values decrypt with the internal store's key (its password from password-tmp)"}},
		{name: "password first", files: map[string]string{"password": testPassword, "password-tmp": "Wrong-pass-1"}, tlsOpens: true,
			want: []string{"PASS secret-decrypts: 2 $secret{…} values decrypt with the internal store's key (its password from password)"}},
		{name: "the given password before the home's", files: map[string]string{"password-tmp": "Wrong-pass-1"}, password: testPassword, tlsOpens: true,
			want: []string{"PASS secret-decrypts: 2 $secret{…} values decrypt with the internal store's key (its password from --password-file pw)"}},
		{name: "wrong password-tmp", files: map[string]string{"password-tmp": "Wrong-pass-1\n"},
			want: []string{"FAIL secret-decrypts: 2 $secret{…} values cannot be decrypted: the internal store repository/resources/security/internal.p12 does not open with the password from password-tmp: store password is incorrect, or the store was tampered with"}},
		{name: "password-tmp a directory", dir: "password-tmp",
			want: []string{missing + "password-tmp in the home is a directory, not a regular file; give a password file"}},
		{name: "encrypted with another key", files: map[string]string{"password-tmp": testPassword},
			ciphers: map[string]string{"identity_db_password": encryptFor(t, fixtureKey(t, 3), "db-secret-value")}, tlsOpens: true,
			want: []string{"FAIL secret-decrypts: $secret{identity_db_password} does not decrypt with the internal store's key (RSA): it was encrypted with another key or padding; encrypt it again with the cipher tool"}},
		{name: "no entry", files: map[string]string{"password-tmp": testPassword}, ciphers: map[string]string{"tls_password": "-"},
			want: []string{"FAIL secret-decrypts: $secret{tls_password} has no entry in [secrets]"}},
		{name: "not Base64", files: map[string]string{"password-tmp": testPassword}, ciphers: map[string]string{"tls_password": "@@"},
			want: []string{"FAIL secret-decrypts: $secret{tls_password} in [secrets] is not Base64; encrypt it again with the cipher tool"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := vaultHome(t, tc.ciphers)
			for name, data := range tc.files {
				h.files[name] = []byte(data)
			}
			dir := h.write(t)
			if tc.dir != "" {
				os.Mkdir(filepath.Join(dir, tc.dir), 0o700)
			}
			o := Options{Password: tc.password}
			if tc.password != "" {
				o.PasswordSource = "--password-file pw"
			}
			r := audit(t, o, dir)
			var got []string
			tlsOpens := false
			for _, f := range r.Findings {
				if f.Rule == RuleSecretDecrypts || f.Rule == RulePlaceholder {
					got = append(got, string(f.Severity)+" "+f.Rule+": "+f.Message)
					if f.Severity != Pass && f.Fix == "" {
						t.Errorf("%s %s has no fix", f.Severity, f.Rule)
					}
				}
				if f.Rule == RuleStoreOpens && f.Store == "tls" && f.Severity == Pass {
					tlsOpens = true
				}
				for _, secret := range []string{testPassword, "db-secret-value"} {
					if strings.Contains(f.Message, secret) {
						t.Errorf("a finding holds a secret: %s", f.Message)
					}
				}
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			if tlsOpens != tc.tlsOpens {
				t.Errorf("tls store opened: %v, want %v", tlsOpens, tc.tlsOpens)
			}
			if strings.HasPrefix(tc.want[0], "PASS") && r.Summary.Fail+r.Summary.Skip != 0 {
				t.Errorf("summary %+v, want no FAIL or SKIP", r.Summary)
			}
		})
	}
}

// TestSecretAliases: the aliases of every $secret{…} outside [secrets], wherever they are.
func TestSecretAliases(t *testing.T) {
	doc := map[string]any{
		"keystore": map[string]any{"primary": map[string]any{"password": "$secret{b}", "alias": "primary"}},
		"database": []any{map[string]any{"password": "x$secret{a}y$env{E}$secret{c}"}},
		"list":     []any{"$secret{b}", 3},
		"secrets":  map[string]any{"z": "$secret{nope}"},
	}
	if got := strings.Join(secretAliases(doc), ","); got != "a,b,c" {
		t.Errorf("aliases %s, want a,b,c", got)
	}
}
