package helm

import (
	"fmt"

	"github.com/wso2ks/wso2ks/pkg/gen"
)

// microIntegrator fills the overlay of WSO2's mi chart: it mounts the
// primary, internal and trust stores and the HTTPS listener's keystore from
// wso2.deployment.JKSSecretName into the home, and writes wso2.config.*
// into deployment.toml, which it keeps in a ConfigMap. Like the IS chart it
// reads no password from a Secret.
func (o *overlay) microIntegrator(hash string) error {
	if err := o.need(gen.RolePrimary, gen.RoleInternal, gen.RoleTLS, gen.RoleTruststore); err != nil {
		return err
	}
	// The chart writes no type for these three; MI then reads JKS.
	if err := o.only(gen.FormatJKS, "writes no type for the primary, internal and trust stores, so MI reads them as JKS", gen.RolePrimary, gen.RoleInternal, gen.RoleTruststore); err != nil {
		return err
	}
	// BuildVersion makes the home's path, where the stores are mounted; the
	// 4.6.0-0 chart defaults it to 4.5.0 while its image is 4.6.0.
	o.setAt("wso2.deployment.BuildVersion", o.chart.Product)
	o.setAt("wso2.deployment.JKSSecretName", o.names.keystores)
	o.set(map[string]any{StoresHashAnnotation: hash}, "wso2", "deployment", "annotations")
	// The chart's templates read wso2.config.icp.enabled, which its own
	// values leave out, and fail to render without it.
	o.setAt("wso2.config.icp.enabled", false)
	for _, role := range []string{gen.RolePrimary, gen.RoleInternal} {
		s, file, _ := o.store(role)
		pw, err := o.password(role)
		if err != nil {
			return err
		}
		o.set(map[string]any{"fileName": file, "alias": s.Alias, "password": pw, "keyPassword": pw}, "wso2", "config", "keyStore", role)
	}
	_, trustFile, _ := o.store(gen.RoleTruststore)
	pw, err := o.password(gen.RoleTruststore)
	if err != nil {
		return err
	}
	o.set(map[string]any{"fileName": trustFile, "password": pw}, "wso2", "config", "trustStore", "primary")
	tls, tlsFile, _ := o.store(gen.RoleTLS)
	if pw, err = o.password(gen.RoleTLS); err != nil {
		return err
	}
	// The listener's keystore is mounted by one key's file name (subPath)
	// at another's (mountPath): both are set.
	o.setAt("wso2.config.keyStore.transport.listener.fileName", tlsFile)
	o.set(map[string]any{"fileName": tlsFile, "type": tls.Type, "password": pw, "keyPassword": pw},
		"wso2", "config", "transport", "http", "nonBlocking", "listener", "keystore")
	if o.vault != nil {
		o.setAt("wso2.config.secureVault.enabled", true)
		// The chart lists the listener's passwords in [secrets] only when
		// this otherwise unused key is set.
		o.setAt("wso2.config.transport.nonBlocking", true)
		o.notes = append(o.notes,
			"Secure-vault mode: the passwords below are ciphertexts, made with the internal store's certificate (RSA/ECB/OAEPwithSHA1andMGF1Padding, as the chart's secret-conf.properties says), under the aliases of the chart's [secrets]. "+
				"Set provider (azure, aws or gcp) and its block: the chart copies the internal store's password from its Secrets Store CSI volume to password-tmp, so your vault must hold "+
				fmt.Sprintf("the value of %s (in the Secret %s) under the chart's internal keystore password identifier. ", gen.PasswordVar(o.p.Name, gen.RoleInternal), o.names.passwords)+
				"The chart's [secrets] also holds the admin password: set wso2.config.admin.password to its ciphertext, made with the same certificate and transformation.")
	} else {
		o.notes = append(o.notes,
			"The chart cannot read a password from a Secret: it writes the passwords below into deployment.toml, which it keeps in the ConfigMap cloud-RELEASE-mi-toml. "+
				"Limit who may read ConfigMaps in the namespace, or generate the product with password_mode = \"vault\" for the chart's secure vault.")
	}
	o.notes = append(o.notes,
		"The chart does not render [internal_api_ssl_config]: MI's management API serves the primary certificate, not the TLS one. wso2.config.icp.enabled is false because the chart does not render without it; set your own ICP values after this file.")
	o.renewNote("")
	return nil
}
