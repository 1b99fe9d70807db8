package deploytoml

import "testing"

func TestHoldsPlainPassword(t *testing.T) {
	tests := []struct {
		name, doc string
		want      bool
	}{
		{"plain snippet", string(readTestdata(t, "snippets/plain-is71.toml")), true},
		{"env snippet", string(readTestdata(t, "snippets/env-is71.toml")), false},
		{"vault snippet", string(readTestdata(t, "snippets/vault-mi44.toml")), false},
		{"the pack's defaults", string(readTestdata(t, "merge/mi44.toml")), true},
		{"placeholders of every kind", "[keystore.primary]\npassword = \"$env{A}\"\nkey_password = \"$secret{b}\"\n[truststore]\npassword = \"$ref{keystore.primary.password}\"\n[internal_api_ssl_config.key_store]\npassword = \"$sys{p}\"\n", false},
		{"a placeholder inside text", "[truststore]\npassword = \"pre-$env{A}\"\n", true},
		{"a number", "[keystore.tls]\nkey_password = 123456\n", true},
		{"a WS-Security store", "[[keystore.custom]]\nfile_name = \"w.p12\"\npassword = \"s3cret-pass\"\n", true},
		{"MI's listener, dotted", "[transport.http]\nlistener.keystore.key_password = \"s3cret-pass\"\n", true},
		{"an empty password", "[truststore]\npassword = \"\"\n", false},
		{"encryption key", "[encryption]\nkey = \"03BAFEB27A8E871CAD83C5CD4E771DAB\"\n", true},
		{"encryption key in the vault", "[encryption]\nkey = \"$secret{symmetric_key}\"\nold_key = \"$env{OLD_KEY}\"\n", false},
		{"a secret the cipher tool has yet to encrypt", "[secrets]\nadmin_password = \"[admin]\"\n", true},
		{"ciphertexts", "[secrets]\nadmin_password = \"c2VjcmV0\"\n", false},
		{"passwords merge does not write", "[super_admin]\npassword = \"admin\"\n[database.shared_db]\npassword = \"wso2carbon\"\n", false},
		{"not TOML", "[truststore\npassword = \"x\"\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := HoldsPlainPassword([]byte(tt.doc)); got != tt.want {
				t.Errorf("HoldsPlainPassword = %v, want %v", got, tt.want)
			}
		})
	}
}
