package helm

import "strings"

// The values each chart documents, which is all an overlay may set. Written
// out from the charts' values.yaml (and, where a template reads a key its
// values.yaml leaves out, the template), not from the code under test:
//   - identity-server 7.1.0-3 (wso2/kubernetes-is v7.1.0.3 values.yaml
//     l.32 ingress.hostName, l.160 buildVersion, l.167-169 externalJKS, l.191 secretStore.enabled,
//     l.250 encryption.key, l.340-360 keystore and truststore);
//   - the APIM charts 4.7.0-1 (wso2/helm-apim all-in-one/values.yaml
//     l.162-165 and l.208-211 the management hostnames, l.378-383
//     existingSecret, l.461-509 security; pod annotations read by
//     templates/am/instance-1/wso2am-deployment.yaml l.31-33);
//   - mi 4.6.0-0 (wso2/helm-mi 4.6.x mi/values.yaml l.148-175 and
//     l.197-201; values_full.yaml l.451-455 the listener keystore;
//     templates/mi-deployment.yaml l.41-45 annotations, l.186 the
//     listener's subPath key; templates/mi-conf-entrypoint.yaml l.36
//     icp.enabled; confs/deployment.toml l.215 transport.nonBlocking).
var chartKeys = map[string][]string{
	"identity-server": expand(
		"deployment.buildVersion", "deployment.externalJKS.{enabled,secretName}", "deployment.secretStore.enabled",
		"deployment.ingress.hostName",
		"deploymentToml.keystore.{primary,internal,tls}.{fileName,type,password,alias,keyPassword}",
		"deploymentToml.truststore.{fileName,type,password}", "deploymentToml.encryption.key"),
	"wso2am": expand(
		"wso2.deployment.pod.annotations."+StoresHashAnnotation,
		"kubernetes.{gatewayAPI,ingress}.management.hostname",
		"wso2.apim.configurations.existingSecret.{secretName,encryptionKeyKey}",
		"wso2.apim.configurations.security.jksSecretName",
		"wso2.apim.configurations.security.jksExistingSecret.{secretName,primaryKeystorePasswordKey,primaryKeystoreKeyPasswordKey,tlsKeystorePasswordKey,tlsKeystoreKeyPasswordKey,internalKeystorePasswordKey,internalKeystoreKeyPasswordKey,truststorePasswordKey}",
		"wso2.apim.configurations.security.keystores.{primary,tls,internal}.{enabled,name,alias,password,keyPassword}",
		"wso2.apim.configurations.security.truststore.{name,password}"),
	"mi": expand(
		"wso2.deployment.{BuildVersion,JKSSecretName,hostname}", "wso2.deployment.annotations."+StoresHashAnnotation,
		"wso2.config.icp.enabled", "wso2.config.secureVault.enabled", "wso2.config.transport.nonBlocking",
		"wso2.config.keyStore.{primary,internal}.{fileName,alias,password,keyPassword}",
		"wso2.config.keyStore.transport.listener.fileName", "wso2.config.trustStore.primary.{fileName,password}",
		"wso2.config.transport.http.nonBlocking.listener.keystore.{fileName,type,password,keyPassword}"),
}

// expand writes out one level of {a,b} alternatives per pattern, left to right.
func expand(patterns ...string) []string {
	var out []string
	for _, p := range patterns {
		open := strings.Index(p, "{")
		if open < 0 {
			out = append(out, p)
			continue
		}
		end := strings.Index(p, "}")
		for _, alt := range strings.Split(p[open+1:end], ",") {
			out = append(out, expand(p[:open]+alt+p[end+1:])...)
		}
	}
	return out
}
