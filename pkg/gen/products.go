package gen

import (
	"fmt"
	"strconv"
	"strings"
)

// Kind is a WSO2 product kind as the topology names it.
type Kind string

// The product kinds wso2ks knows.
const (
	IdentityServer  Kind = "wso2is"
	APIManager      Kind = "wso2am"
	MicroIntegrator Kind = "wso2mi"
)

// Version is a product version, major.minor.patch.
type Version struct{ Major, Minor, Patch int }

func (v Version) String() string { return fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Patch) }

// AtLeast reports whether v is major.minor or later.
func (v Version) AtLeast(major, minor int) bool {
	return v.Major > major || v.Major == major && v.Minor >= minor
}

// kindInfo holds what wso2ks knows of one product kind.
type kindInfo struct {
	title string
	// series are the major.minor releases that read deployment.toml
	// (Carbon kernel 4.5 and later) and that wso2ks knows.
	series []string
	// legacy says which older releases exist but have no deployment.toml.
	legacy func(Version) bool
}

var kinds = map[Kind]kindInfo{
	IdentityServer: {
		title:  "WSO2 Identity Server",
		series: []string{"5.9", "5.10", "5.11", "6.0", "6.1", "7.0", "7.1", "7.2"},
		legacy: func(v Version) bool { return v.Major < 5 || v.Major == 5 && v.Minor <= 8 },
	},
	APIManager: {
		title:  "WSO2 API Manager",
		series: []string{"3.0", "3.1", "3.2", "4.0", "4.1", "4.2", "4.3", "4.4", "4.5", "4.6", "4.7"},
		legacy: func(v Version) bool { return v.Major < 3 },
	},
	MicroIntegrator: {
		title: "WSO2 Micro Integrator",
		// 4.6: keystore defaults and config-mapper mappings as in 4.4
		// (wso2/product-micro-integrator release-4.6.0-beta-h215,
		// distribution/src/resources/config-tool/default.json l.636-651,
		// conf/axis2/axis2.xml.j2 l.273-274, internal-apis.xml.j2
		// l.128-131), deployed by WSO2's mi chart 4.6.0-0.
		series: []string{"4.0", "4.1", "4.2", "4.3", "4.4", "4.5", "4.6"},
		legacy: func(v Version) bool { return v.Major < 4 },
	},
}

func kindNames() string { return "wso2is, wso2am or wso2mi" }

// parseVersion checks a version string against what wso2ks knows of kind.
func parseVersion(kind Kind, s string) (Version, error) {
	info := kinds[kind]
	parts := strings.Split(s, ".")
	var v Version
	ok := len(parts) == 3
	nums := []*int{&v.Major, &v.Minor, &v.Patch}
	for i := 0; ok && i < 3; i++ {
		n, err := strconv.Atoi(parts[i])
		ok = err == nil && n >= 0 && parts[i] == strconv.Itoa(n)
		*nums[i] = n
	}
	if !ok {
		return v, fmt.Errorf("version %q is not major.minor.patch; write it as the product's release, e.g. %q", s, info.series[len(info.series)-1]+".0")
	}
	if info.legacy(v) {
		return v, fmt.Errorf("%s %s has no deployment.toml (Carbon kernel before 4.5); configure its keystores in carbon.xml by hand, or upgrade to %s.0 or later", info.title, s, info.series[0])
	}
	series := fmt.Sprintf("%d.%d", v.Major, v.Minor)
	for _, known := range info.series {
		if known == series {
			return v, nil
		}
	}
	return v, fmt.Errorf("%s version %s is not one wso2ks knows; use one of the %s series", info.title, s, strings.Join(info.series, ", "))
}

// defaultFormat is the keystore type the product version ships with.
// IS 7.1 moved to PKCS#12 (wso2carbon.p12); every APIM and MI, and IS before
// 7.1, ship JKS.
func defaultFormat(kind Kind, v Version) string {
	if kind == IdentityServer && v.AtLeast(7, 1) {
		return FormatPKCS12
	}
	return FormatJKS
}

// wssecTable says how a product version configures a WS-Security store.
func wssecTable(kind Kind, v Version) string {
	switch {
	case kind == IdentityServer && v.AtLeast(7, 1):
		return WSSecCustom
	case kind == MicroIntegrator && v.AtLeast(4, 4):
		return WSSecSecondary
	default:
		return WSSecRegistry
	}
}

// Title is the product's name as WSO2 writes it ("WSO2 Identity Server"), or
// "" for a kind wso2ks does not know.
func (k Kind) Title() string { return kinds[k].title }
