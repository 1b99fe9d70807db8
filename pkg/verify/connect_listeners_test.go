package verify

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestListeners: the HTTPS listeners and ports of each product, from deployment.toml's keys,
// WSO2's defaults and [server] offset, or --port-offset.
func TestListeners(t *testing.T) {
	offset := func(n int) *int { return &n }
	for _, tc := range []struct {
		name   string
		fx     func() *fixture
		extra  string // appended to deployment.toml
		server string // added to its [server] table
		offset *int
		want   string
		err    string
	}{
		{name: "IS", fx: goodIS, want: "servlet https 9443 tls"},
		{name: "IS offset", fx: goodIS, server: "offset = 2\n", want: "servlet https 9445 tls"},
		{name: "IS --port-offset", fx: goodIS, server: "offset = 2\n", offset: offset(3), want: "servlet https 9446 tls"},
		{name: "IS port and offset set", fx: goodIS, extra: "[transport.https.properties]\nport = 9500\n",
			want: "servlet https 9500 tls"},
		{name: "APIM", fx: goodAPIM, want: "servlet https 9443 tls, gateway https 8243 tls"},
		{name: "APIM gateway off", fx: goodAPIM, extra: "[transport.passthru_https.listener]\nenable = false\n",
			want: "servlet https 9443 tls"},
		{name: "APIM gateway port", fx: goodAPIM, extra: "[transport.passthru_https.listener.parameters]\nport = \"8300\"\n", offset: offset(1),
			want: "servlet https 9444 tls, gateway https 8301 tls"},
		{name: "MI", fx: goodMI, want: "https 8253 tls, internal API 9164 primary"},
		{name: "MI offset 0", fx: goodMI, offset: offset(0), want: "https 8243 tls, internal API 9154 primary"},
		{name: "MI offset", fx: goodMI, server: "offset = \"5\"\n", want: "https 8248 tls, internal API 9159 primary"},
		{name: "MI internal API store", fx: goodMI,
			extra: "[internal_api_ssl_config.key_store]\nlocation = \"repository/resources/security/tls.p12\"\ntype = \"PKCS12\"\npassword = \"Fixture-pass-1\"\nkey_password = \"Fixture-pass-1\"\n[mediation]\ninternal_https_api_port = 9300\n[transport.http.listener]\nsecured_port = 8400\n",
			want:  "https 8410 tls, internal API 9310 internal-api"},
		{name: "bad port", fx: goodIS, extra: "[transport.https.properties]\nport = \"$env{HTTPS_PORT}\"\n",
			err: "deployment.toml: transport.https.properties.port: $env{HTTPS_PORT} is not set; set it or give the value it needs"},
		{name: "offset beyond the ports", fx: goodIS, server: "offset = 60000\n",
			err: "deployment.toml: transport.https.properties.port 9443 with offset 60000 is no TCP port; fix the setting or --port-offset"},
		{name: "port not a number", fx: goodIS, extra: "[transport.https.properties]\nport = \"https\"\n",
			err: `deployment.toml: transport.https.properties.port = "https" is not a number from 0 to 65535; fix it`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fx := tc.fx()
			fx.deployment = strings.Replace(fx.deployment, "[server]\n", "[server]\n"+tc.server, 1) + tc.extra
			dir := fx.build(t).write(t)
			ps, err := Discover(OSFS, dir)
			if err != nil {
				t.Fatal(err)
			}
			s, err := loadServed(ps[0], Options{FS: OSFS, Getenv: func(string) (string, bool) { return "", false }, Now: testNow}, tc.offset)
			if tc.err != "" {
				if err == nil || !strings.HasSuffix(err.Error(), tc.err) || !strings.HasPrefix(err.Error(), dir) {
					t.Fatalf("error %v, want %s%c…%s", err, dir, filepath.Separator, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, l := range s.listeners {
				got = append(got, fmt.Sprintf("%s %d %s", l.Name, l.Port, l.Role))
			}
			if g := strings.Join(got, ", "); g != tc.want {
				t.Errorf("listeners %q, want %q", g, tc.want)
			}
			if !slices.Equal(s.names, []string{"iam.example.com"}) {
				t.Errorf("names %v, want the home's [server] hostname", s.names)
			}
		})
	}
}

// TestNodeNames: the names --connect contacts.
func TestNodeNames(t *testing.T) {
	for _, tc := range []struct {
		planned  []string
		hostname string
		want     []string
	}{
		{[]string{"api.example.com", "localhost", "apim-0.svc", "127.0.0.1", "*.example.com"}, "", []string{"api.example.com", "apim-0.svc"}},
		{[]string{"localhost"}, "", []string{"localhost"}},
		{nil, "localhost", []string{"localhost"}},
		{[]string{"IAM.example.com"}, "iam.example.com", []string{"IAM.example.com"}},
		{[]string{"10.0.0.5", "::1"}, "", []string{"10.0.0.5"}},
	} {
		if got := nodeNames(tc.planned, tc.hostname); !slices.Equal(got, tc.want) {
			t.Errorf("nodeNames(%v, %q) = %v, want %v", tc.planned, tc.hostname, got, tc.want)
		}
	}
}

// TestListenerString: a listener the product configures is named with its
// port; an address given by hand on another port is "listener on port N".
func TestListenerString(t *testing.T) {
	for l, want := range map[listener]string{
		{Name: "gateway https", Port: 8243}: "gateway https listener (port 8243)",
		{Port: 18443}:                       "listener on port 18443",
	} {
		if got := l.String(); got != want {
			t.Errorf("%+v: %q, want %q", l, got, want)
		}
	}
}
