package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
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
	fl.StringVar(&h.APIMChart, "apim-chart", k8s.APIMAllInOne, "with --helm: the APIM chart, "+strings.Join(k8s.APIMCharts, ", "))
}

// check refuses --apim-chart without --helm and a chart that is not one.
func (h *helmFlags) check(c *cobra.Command) error {
	if c.Flags().Changed("apim-chart") && !h.On {
		return &usageError{"--apim-chart goes with --helm"}
	}
	if !k8s.ValidAPIMChart(h.APIMChart) {
		return &usageError{fmt.Sprintf("--apim-chart %q is not one of WSO2's APIM charts; use %s", h.APIMChart, strings.Join(k8s.APIMCharts, ", "))}
	}
	return nil
}
