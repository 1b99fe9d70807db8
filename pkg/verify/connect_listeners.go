package verify

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/wso2ks/wso2ks/pkg/gen"
)

// The HTTPS listeners of each product and the ports they listen on, as WSO2's configuration
// tools compute them: a deployment.toml key, else the pack's default.json value, plus
// [server] offset, which WSO2 adds to every port ("Ports offset. This entry will set the
// value of the ports defined below to the define value + Offset": carbon-kernel v4.10.42
// distribution/kernel/carbon-home/repository/resources/conf/templates/repository/conf/carbon.xml.j2
// l.135–139).
const (
	// carbonHTTPSPort: Tomcat's servlet HTTPS connector of IS and APIM, transport.https.properties.port
	// (carbon-kernel v4.10.42 distribution/kernel/carbon-home/repository/resources/conf/default.json l.63).
	carbonHTTPSPort = 9443
	// passthruHTTPSPort: APIM's gateway (Synapse passthrough HTTPS listener),
	// transport.passthru_https.listener.parameters.port (product-apim v4.5.0 and v4.7.0
	// all-in-one-apim/modules/distribution/product/src/main/resources/conf/default.json l.100, l.106).
	passthruHTTPSPort = 8243
	// miHTTPSPort: MI's HTTPS listener, [transport.http] listener.secured_port, which
	// key-mappings.json l.147 maps to transport.https.listener.parameter.port, 8243 in
	// default.json l.125 (product-micro-integrator v4.4.0 distribution/src/resources/config-tool/).
	miHTTPSPort = 8243
	// miInternalAPIPort: MI's internal (management) API over HTTPS, [mediation]
	// internal_https_api_port (key-mappings.json l.109; default.json l.76: 9154).
	miInternalAPIPort = 9154
	// miOffset: MI's ports are offset by 10 unless [server] offset says otherwise
	// (<Offset>{{server.offset | default('10')}}</Offset>, the same release's
	// templates/conf/carbon.xml.j2 l.130): hence 8253 and 9164.
	miOffset = 10
)

// Listener names in findings.
const (
	listenerServlet     = "servlet https"
	listenerGateway     = "gateway https"
	listenerMIHTTPS     = "https"
	listenerInternalAPI = "internal API"
)

// listener is one HTTPS listener of a product: its name, the port it listens on, offset
// included, and the role of the store it serves.
type listener struct {
	Name string
	Port int
	Role string
}

// portKey is one listener's port setting: the deployment.toml key (dotted) and its default.
type portKey struct {
	name, key, role string
	def             int
}

// listenersOf returns the HTTPS listeners of p, ports offset by [server] offset, or by
// offset when it is not nil (--port-offset). A setting that is not a port is unusable input.
func listenersOf(p Product, cfg *config, r *resolver, offset *int) ([]listener, error) {
	var keys []portKey
	off := 0
	switch p.Kind {
	case gen.IdentityServer, gen.APIManager:
		keys = append(keys, portKey{listenerServlet, "transport.https.properties.port", gen.RoleTLS, carbonHTTPSPort})
		enabled, err := setting(cfg, r, "transport.passthru_https.listener.enable")
		if err != nil {
			return nil, err
		}
		if p.Kind == gen.APIManager && !strings.EqualFold(enabled, "false") {
			keys = append(keys, portKey{listenerGateway, "transport.passthru_https.listener.parameters.port", gen.RoleTLS, passthruHTTPSPort})
		}
	case gen.MicroIntegrator:
		off = miOffset
		keys = append(keys, portKey{listenerMIHTTPS, "transport.http.listener.secured_port", gen.RoleTLS, miHTTPSPort})
		// Without [internal_api_ssl_config.key_store] the internal API serves the primary store
		// (internal_api_ssl_config.key_store.location = $ref{keystore.primary.file_name}:
		// default.json l.693 of the release above).
		role := gen.RolePrimary
		if cfg.store(RoleInternalAPI) != nil {
			role = RoleInternalAPI
		}
		keys = append(keys, portKey{listenerInternalAPI, "mediation.internal_https_api_port", role, miInternalAPIPort})
	}
	if offset != nil {
		off = *offset
	} else if n, set, err := portSetting(cfg, r, "server.offset"); err != nil {
		return nil, err
	} else if set {
		off = n
	}
	var out []listener
	for _, k := range keys {
		port, set, err := portSetting(cfg, r, k.key)
		if err != nil {
			return nil, err
		}
		if !set {
			port = k.def
		}
		if port+off < 1 || port+off > 65535 {
			return nil, badInput("%s: %s %d with offset %d is no TCP port; fix the setting or --port-offset", p.Config, k.key, port, off)
		}
		out = append(out, listener{Name: k.name, Port: port + off, Role: k.role})
	}
	return out, nil
}

// setting is the resolved value of a dotted deployment.toml key, "" when it is not set.
func setting(cfg *config, r *resolver, dotted string) (string, error) {
	i := strings.LastIndex(dotted, ".")
	t, _ := table(cfg.doc, dotted[:i])
	v, ok := stringValue(t, dotted[i+1:])
	if !ok {
		return "", nil
	}
	got, err := r.resolve(v, 0)
	if err != nil {
		return "", badInput("%s: %s: %v; set it or give the value it needs", r.p.Config, dotted, err)
	}
	return got, nil
}

// portSetting reads a numeric setting; set is false when deployment.toml leaves it to the default.
func portSetting(cfg *config, r *resolver, dotted string) (n int, set bool, err error) {
	v, err := setting(cfg, r, dotted)
	if err != nil || v == "" {
		return 0, false, err
	}
	n, err = strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 0 || n > 65535 {
		return 0, false, badInput("%s: %s = %q is not a number from 0 to 65535; fix it", r.p.Config, dotted, v)
	}
	return n, true, nil
}

func (l listener) String() string {
	if l.Name == "" {
		return fmt.Sprintf("listener on port %d", l.Port) // an address given by hand, on no port the product configures
	}
	return fmt.Sprintf("%s listener (port %d)", l.Name, l.Port)
}
