// Package helm writes values overlays for WSO2's official Helm charts
// (issue 12): for every environment and product of a bundle,
// <env>/<product>-values.yaml, next to the Secrets package k8s makes, so
// that `helm upgrade --install RELEASE wso2/<chart> -f <env>/<product>-values.yaml`
// runs the product on the bundle's stores.
//
// charts.go lists the chart releases wso2ks read, one per product version
// a release deploys; is.go, apim.go and mi.go what each family takes. An
// overlay names the product's keystores Secret (k8s.ObjectName) and the
// bundle's file names, aliases, types and hostname, and reads what the
// chart can of the passwords Secret; where a chart cannot read a password
// from a Secret, the overlay holds it, and its header says so. A product
// a chart cannot serve (another version, a store type the chart does not
// write, a missing store, APIM's vault) is refused with the fix.
//
// Like k8s it works on a bundle in memory: it must not read or write
// files, nor change what the bundle holds.
package helm
