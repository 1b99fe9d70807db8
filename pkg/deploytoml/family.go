package deploytoml

import (
	"fmt"
	"strings"

	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/gen"
)

// A snippet is for one product family: IS and APIM (Carbon's
// repository/conf/deployment.toml, bare store file names, [keystore.tls])
// or MI (conf/deployment.toml, store paths relative to MI_HOME, no
// [keystore.tls]; SPEC §1). Merged into the other family's file it would
// leave the server on stores it cannot find. A home says which product a
// deployment.toml belongs to (CheckHome); outside one, its tables do, when
// only one family writes them.

// familyMarker is a table, or a store key, that only one family writes.
type familyMarker struct {
	path []string
	mi   bool
}

// familyMarkers: MI's internal API and WS-Security stores; IS and APIM's
// tls and WS-Security stores, their databases, APIM's own tables and
// transports, and Tomcat's (none of which MI has). APIM maps MI's
// [transport.http.listener.keystore] onto its passthrough transport
// (product-apim v4.7.0 all-in-one-apim/.../conf/key-mappings.json l.52–55),
// so that table says nothing.
var familyMarkers = []familyMarker{
	{[]string{"internal_api_ssl_config"}, true},
	{[]string{"keystore", "secondary"}, true},
	{[]string{"keystore", "tls"}, false},
	{[]string{"keystore", "custom"}, false},
	{[]string{"database", "identity_db"}, false},
	{[]string{"database", "apim_db"}, false},
	{[]string{"apim"}, false},
	{[]string{"transport", "passthru_https"}, false},
	{[]string{"transport", "https", "sslHostConfig"}, false},
}

// familyOf returns where a document's tables place it: its first marker of
// each family, or nil for a family it shows none of. A store's file_name is
// a marker too: a path relative to the home in MI, a bare name in IS and
// APIM (which prepend repository/resources/security/).
func familyOf(keys []tomlKey) (mi, carbon *tomlKey) {
	for i := range keys {
		k := &keys[i]
		var isMI, found bool
		for _, m := range familyMarkers {
			if hasPrefix(k.path, m.path) {
				isMI, found = m.mi, true
				break
			}
		}
		if !found && !k.header && len(k.path) >= 2 && k.path[len(k.path)-1] == "file_name" && k.str != "" &&
			!strings.Contains(k.str, "$") && isStoreTable(k.path[:len(k.path)-1]) {
			isMI, found = strings.ContainsAny(k.str, `/\`), true
		}
		switch {
		case !found:
		case isMI && mi == nil:
			mi = k
		case !isMI && carbon == nil:
			carbon = k
		}
	}
	return mi, carbon
}

func isStoreTable(path []string) bool {
	switch dotted(path) {
	case "keystore.primary", "keystore.internal", "truststore":
		return true
	}
	return false
}

// checkFamily refuses a snippet whose product (its header) is of the other
// family than every marker the deployment shows.
func checkFamily(d *mergeInput, h bundle.SnippetHeader) error {
	keys, err := tomlKeys(d.src)
	if err != nil {
		return nil // loadMergeInput has parsed it already
	}
	mi, carbon := familyOf(keys)
	wantMI := h.Kind == gen.MicroIntegrator
	var k *tomlKey
	var is string
	switch {
	case wantMI && carbon != nil && mi == nil:
		k, is = carbon, "WSO2 Identity Server or API Manager"
	case !wantMI && mi != nil && carbon == nil:
		k, is = mi, gen.MicroIntegrator.Title()
	default:
		return nil
	}
	what := "[" + dotted(k.path) + "]"
	switch {
	case k.header:
	case k.path[len(k.path)-1] == "file_name" && wantMI:
		what = fmt.Sprintf("file_name %q of [%s] (a bare name, as IS and APIM write it)", k.str, dotted(k.path[:len(k.path)-1]))
	case k.path[len(k.path)-1] == "file_name":
		what = fmt.Sprintf("file_name %q of [%s] (a path, as MI writes it)", k.str, dotted(k.path[:len(k.path)-1]))
	default:
		what = "key " + dotted(k.path)
	}
	return &MergeError{"deployment", k.line, k.col, fmt.Sprintf(
		"%s makes this a %s deployment.toml, and the snippet is for %s; merge the snippet wso2ks generated for this file's product, or give the deployment.toml of a %s home",
		what, is, h.Title(), h.Kind.Title())}
}
