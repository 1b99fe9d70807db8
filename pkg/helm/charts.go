package helm

import (
	"fmt"
	"slices"
	"strings"

	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/gen"
)

// Chart is one release of one of WSO2's official Helm charts, as wso2ks
// read it, that a values overlay is written for.
type Chart struct {
	// Name is the chart's name in WSO2's chart repository
	// (https://helm.wso2.com), Version the chart release.
	Name, Version string
	// Source is where wso2ks read the release: repository and ref.
	Source string
	// Kind and Product are the product and version the release deploys
	// (its appVersion): an overlay is only written for that version, as
	// the chart's paths and defaults are built from it.
	Kind    gen.Kind
	Product string
	// choice is the --apim-chart name of an APIM chart.
	choice string
	// hostnames are the values the chart makes deployment.toml's [server]
	// hostname of, which must be the product's hostname: the tls
	// certificate covers it, and the chart's default (wso2is.com,
	// am.wso2.com, …) it does not.
	hostnames []string
	// vaultType is the type the identity-server chart's
	// secret-conf.properties gives the secure vault's store
	// (keystore.identity.type).
	vaultType string
}

// The APIM charts: --apim-chart picks one, all-in-one unless told. The four
// distributed charts share the keystore values of the all-in-one chart, so
// their overlays differ only in the chart they name.
const (
	APIMAllInOne       = "all-in-one"
	APIMControlPlane   = "control-plane"
	APIMGateway        = "gateway"
	APIMKeyManager     = "key-manager"
	APIMTrafficManager = "traffic-manager"
)

// APIMCharts are the names --apim-chart takes, the default first.
var APIMCharts = []string{APIMAllInOne, APIMControlPlane, APIMGateway, APIMKeyManager, APIMTrafficManager}

// charts are the chart releases wso2ks writes overlays for, newest first
// within a kind. Each was read, and rendered with `helm template`, at the
// ref given; docs/kubernetes.md cites the lines the overlays rely on.
var charts = []Chart{
	{Name: "identity-server", Version: "7.1.0-3", Source: "wso2/kubernetes-is tag v7.1.0.3", Kind: gen.IdentityServer, Product: "7.1.0",
		hostnames: []string{"deployment.ingress.hostName"}, vaultType: gen.FormatPKCS12},
	{Name: "identity-server", Version: "7.0.0-2", Source: "wso2/kubernetes-is tag v7.0.0.2", Kind: gen.IdentityServer, Product: "7.0.0",
		hostnames: []string{"deployment.ingress.hostName"}, vaultType: gen.FormatJKS},
	{Name: "wso2am-all-in-one", Version: "4.7.0-1", Source: "wso2/helm-apim tag all-in-one-4.7.0-1, all-in-one/", Kind: gen.APIManager, Product: "4.7.0", choice: APIMAllInOne, hostnames: apimHostnames("management")},
	{Name: "wso2am-acp", Version: "4.7.0-1", Source: "wso2/helm-apim tag control-plane-4.7.0-1, distributed/control-plane/", Kind: gen.APIManager, Product: "4.7.0", choice: APIMControlPlane, hostnames: apimHostnames("controlPlane")},
	{Name: "wso2am-universal-gw", Version: "4.7.0-1", Source: "wso2/helm-apim tag gateway-4.7.0-1, distributed/gateway/", Kind: gen.APIManager, Product: "4.7.0", choice: APIMGateway, hostnames: apimHostnames("gateway")},
	{Name: "wso2am-km", Version: "4.7.0-1", Source: "wso2/helm-apim tag key-manager-4.7.0-1, distributed/key-manager/", Kind: gen.APIManager, Product: "4.7.0", choice: APIMKeyManager, hostnames: apimHostnames("km")},
	{Name: "wso2am-tm", Version: "4.7.0-1", Source: "wso2/helm-apim tag traffic-manager-4.7.0-1, distributed/traffic-manager/", Kind: gen.APIManager, Product: "4.7.0", choice: APIMTrafficManager, hostnames: apimHostnames("trafficManager")},
	{Name: "mi", Version: "4.6.0-0", Source: "wso2/helm-mi branch 4.6.x (f45598e), mi/", Kind: gen.MicroIntegrator, Product: "4.6.0",
		hostnames: []string{"wso2.deployment.hostname"}},
}

// apimHostnames are where an APIM chart takes the hostname of its profile:
// [server] hostname is the Gateway API's when that is enabled (the
// default), else the ingress's (all-in-one confs/instance-1/deployment.toml
// l.2, and the same line of each distributed chart), so both are set.
func apimHostnames(profile string) []string {
	return []string{"kubernetes.gatewayAPI." + profile + ".hostname", "kubernetes.ingress." + profile + ".hostname"}
}

// Ref is the chart and release as helm takes them, from WSO2's chart
// repository added as wso2: "wso2/mi --version 4.6.0-0".
func (c Chart) Ref() string { return fmt.Sprintf("wso2/%s --version %s", c.Name, c.Version) }

// ValidAPIMChart reports whether name is one of APIMCharts.
func ValidAPIMChart(name string) bool { return slices.Contains(APIMCharts, name) }

// chartFor picks the chart release for a product of kind and version:
// the family is the kind's (for APIM, apimChart's), the release the one
// that deploys that version. where names the product in the error, a
// bundle error (bundle.Errorf).
func chartFor(kind gen.Kind, version, apimChart, where string) (Chart, error) {
	var family []Chart
	for _, c := range charts {
		if c.Kind == kind && (kind != gen.APIManager || c.choice == apimChart) {
			family = append(family, c)
		}
	}
	if len(family) == 0 {
		return Chart{}, bundle.Errorf("%s is %s, for which WSO2 has no Helm chart wso2ks knows; leave out --helm", where, kind)
	}
	var deploys []string
	for _, c := range family {
		if c.Product == version {
			return c, nil
		}
		deploys = append(deploys, fmt.Sprintf("%s deploys %s", c.Version, c.Product))
	}
	return Chart{}, bundle.Errorf("%s is %s %s, which WSO2's %s chart does not deploy (release %s); set the product's version to %s in the topology and regenerate, or leave out --helm",
		where, kind.Title(), version, family[0].Name, strings.Join(deploys, ", release "), family[0].Product)
}
