package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/helm"
	"github.com/wso2ks/wso2ks/pkg/k8s"
)

// helmFlags are --helm and --apim-chart, which k8s and generate --k8s share.
type helmFlags struct {
	On        bool
	APIMChart string
}

func (h *helmFlags) flags(c *cobra.Command) {
	fl := c.Flags()
	fl.BoolVar(&h.On, "helm", false, "also write <env>/<product>-values.yaml, a values overlay for WSO2's Helm chart of each product")
	fl.StringVar(&h.APIMChart, "apim-chart", helm.APIMAllInOne, "with --helm: the APIM `CHART`, "+orList(helm.APIMCharts))
}

// check refuses --apim-chart without --helm and a chart that is not one.
func (h *helmFlags) check(c *cobra.Command) error {
	if c.Flags().Changed("apim-chart") && !h.On {
		return &usageError{"--apim-chart goes with --helm"}
	}
	if !helm.ValidAPIMChart(h.APIMChart) {
		return &usageError{fmt.Sprintf("--apim-chart %q is not one of WSO2's APIM charts; use %s", h.APIMChart, strings.Join(helm.APIMCharts, ", "))}
	}
	return nil
}

// manifests are the Kubernetes manifests of b, and with --helm the values
// overlays beside them and the chart of each by env/product
// (helm.Overlays).
func (h *helmFlags) manifests(b *bundle.Bundle, namespace string) (files []bundle.File, charts map[string]string, err error) {
	files, err = k8s.Manifests(b, k8s.Options{Namespace: namespace})
	if err != nil || !h.On {
		return files, nil, err
	}
	overlays, charts, err := helm.Overlays(b, helm.Options{Namespace: namespace, APIMChart: h.APIMChart})
	if err != nil {
		return nil, nil, err
	}
	return append(files, overlays...), charts, nil
}
