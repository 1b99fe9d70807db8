package deploytoml

import (
	"errors"
	"testing"

	"github.com/wso2ks/wso2ks/pkg/gen"
)

// TestMergeErrors: every refusal is a *MergeError matching gen.ErrInput,
// placed at the line and column to fix, with the fix.
func TestMergeErrors(t *testing.T) {
	tests := []struct{ name, deployment, snippet, want string }{
		{"dotted owned key at the top", "keystore.primary.password = \"x\"\n[server]\n", edgeSnippet,
			"deployment:1:1: key keystore.primary.password sets [keystore.primary], which merge replaces, outside that table; move the line under a [keystore.primary] header (or delete it) and merge again"},
		{"dotted owned key under [keystore]", "[server]\nx = 1\n[keystore]\n  primary.file_name = \"x\"\n", edgeSnippet,
			"deployment:4:3: key keystore.primary.file_name sets [keystore.primary], which merge replaces, outside that table; move the line under a [keystore.primary] header (or delete it) and merge again"},
		{"dotted owned key under [transport.http]", "[transport.http]\nlistener.keystore.password = \"x\"\n", edgeSnippet,
			"deployment:2:1: key transport.http.listener.keystore.password sets [transport.http.listener.keystore], which merge replaces, outside that table; move the line under a [transport.http.listener.keystore] header (or delete it) and merge again"},
		{"array of tables above the owned ones", "# WSO2\n[[keystore]]\nfile_name = \"x\"\n", edgeSnippet,
			"deployment:2:3: [[keystore]] is an array of tables where merge writes [keystore.*], [truststore], [transport.http.listener.keystore], [internal_api_ssl_config.*] tables and [encryption]; make it a table of its own (one pair of brackets) or delete it, and merge again"},
		{"array of tables for [encryption]", "[[encryption]]\nkey = \"x\"\n", edgeSnippet,
			"deployment:1:3: [[encryption]] is an array of tables where merge writes [keystore.*], [truststore], [transport.http.listener.keystore], [internal_api_ssl_config.*] tables and [encryption]; make it a table of its own (one pair of brackets) or delete it, and merge again"},
		{"inline keystore table", "keystore = { primary = { password = \"x\" } }\n", edgeSnippet,
			"deployment:1:1: key keystore stands where merge writes [keystore.*], [truststore], [transport.http.listener.keystore], [internal_api_ssl_config.*] tables; write its contents as tables of their own (or delete the line) and merge again"},
		{"inline table above an owned one", "[transport]\nhttp = { port = 1 }\n", edgeSnippet,
			"deployment:2:1: key transport.http stands where merge writes [keystore.*], [truststore], [transport.http.listener.keystore], [internal_api_ssl_config.*] tables; write its contents as tables of their own (or delete the line) and merge again"},
		{"inline truststore", "[server]\nx = 1\n[internal_api_ssl_config]\ntrust_store = { password = \"x\" }\n", edgeSnippet,
			"deployment:4:1: key internal_api_ssl_config.trust_store stands where merge writes [keystore.*], [truststore], [transport.http.listener.keystore], [internal_api_ssl_config.*] tables; write its contents as tables of their own (or delete the line) and merge again"},
		{"scalar where merge writes a table", "truststore = \"client-truststore.jks\"\n", edgeSnippet,
			"deployment:1:1: key truststore stands where merge writes [keystore.*], [truststore], [transport.http.listener.keystore], [internal_api_ssl_config.*] tables; write its contents as tables of their own (or delete the line) and merge again"},
		{"secrets key outside [secrets]", "secrets.a = \"x\"\n", edgeSnippet,
			"deployment:1:1: key secrets.a sets [secrets] outside that table; move the line under the [secrets] header and merge again"},
		{"secrets sub-table", "[secrets.extra]\na = \"x\"\n", edgeSnippet,
			"deployment:1:2: table [secrets.extra]: WSO2's cipher tool reads only the keys of [secrets]; move its keys into [secrets] and merge again"},
		{"deployment does not parse", "[server]\nhostname = \n", edgeSnippet,
			"deployment:2:12: unexpected character U+000A at start of value; fix the TOML and merge again"},
		{"deployment has a duplicate key", "[server]\nx = 1\nx = 2\n", edgeSnippet,
			"deployment:3:1: key x is already defined; fix the TOML and merge again"},
		{"snippet with a table merge does not own", "", "[keystore.primary]\na = 1\n\n[server]\nx = 1\n",
			"snippet:4:2: table [server] is not one merge writes ([keystore.*], [truststore], [transport.http.listener.keystore], [internal_api_ssl_config.*], [encryption] and [secrets]); remove it from the snippet or add it to deployment.toml by hand"},
		{"snippet with an array of secrets", "", "[truststore]\na = 1\n[[secrets]]\nx = 1\n",
			"snippet:3:3: table [[secrets]] is not one merge writes ([keystore.*], [truststore], [transport.http.listener.keystore], [internal_api_ssl_config.*], [encryption] and [secrets]); remove it from the snippet or add it to deployment.toml by hand"},
		{"snippet with a key outside tables", "", "x = 1\n[truststore]\n",
			"snippet:1:1: key x is outside any table; a snippet holds only [keystore.*], [truststore], [transport.http.listener.keystore], [internal_api_ssl_config.*] tables, [encryption] and [secrets]"},
		{"snippet with [secrets] first", "", "[secrets]\na = \"b\"\n[truststore]\nc = 1\n",
			"snippet:1:2: [secrets] must come after the keystore tables; move it to the end of the snippet"},
		{"dotted encryption key at the top", "encryption.key = \"k\"\n[server]\n", edgeSnippet,
			"deployment:1:1: key encryption.key sets [encryption] outside that table; move its keys under an [encryption] header and merge again"},
		{"inline encryption table", "encryption = { key = \"k\" }\n", edgeSnippet,
			"deployment:1:1: key encryption sets [encryption] outside that table; move its keys under an [encryption] header and merge again"},
		{"snippet with [encryption] first", "", "[encryption]\nkey = \"k\"\n[truststore]\nc = 1\n",
			"snippet:1:2: [encryption] must come after the keystore tables; move it after them, before [secrets]"},
		{"snippet with [secrets] before [encryption]", "", "[truststore]\nc = 1\n[secrets]\na = \"b\"\n[encryption]\nkey = \"k\"\n",
			"snippet:3:2: [secrets] must come after [encryption]; move it to the end of the snippet"},
		{"snippet with an [encryption] sub-table", "", "[truststore]\nc = 1\n[encryption.x]\nkey = \"k\"\n",
			"snippet:3:2: table [encryption.x] is not one merge writes ([keystore.*], [truststore], [transport.http.listener.keystore], [internal_api_ssl_config.*], [encryption] and [secrets]); remove it from the snippet or add it to deployment.toml by hand"},
		{"snippet without owned tables", "", "# nothing\n",
			"snippet: no [keystore.*], [truststore], [transport.http.listener.keystore], [internal_api_ssl_config.*] table to merge; pass the deployment.snippet.toml that wso2ks generate wrote"},
		{"snippet does not parse", "", "[truststore\n",
			"snippet:1:12: expected ']' to close table name; fix the TOML and merge again"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			merged, changed, err := merge([]byte(tt.deployment), []byte(tt.snippet))
			if err == nil {
				t.Fatalf("no error; merged:\n%s", merged)
			}
			if err.Error() != tt.want {
				t.Errorf("error:\n%s\nwant:\n%s", err, tt.want)
			}
			var me *MergeError
			if !errors.As(err, &me) || !errors.Is(err, gen.ErrInput) {
				t.Errorf("error %T is not a *MergeError matching gen.ErrInput", err)
			}
			if merged != nil || changed {
				t.Error("an error came with a result")
			}
		})
	}
}
