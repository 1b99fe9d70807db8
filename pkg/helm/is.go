package helm

import (
	"fmt"

	"github.com/wso2ks/wso2ks/pkg/gen"
)

// identityServer fills the overlay of WSO2's identity-server chart: it
// mounts the four stores from deployment.externalJKS.secretName by file
// name into the home's repository/resources/security/, and writes
// deploymentToml.* into deployment.toml, which it keeps in a ConfigMap.
// It cannot read a password from a Secret: the overlay holds them, or
// their ciphertexts in secret-store mode.
func (o *overlay) identityServer() error {
	if err := o.need(gen.RolePrimary, gen.RoleInternal, gen.RoleTLS, gen.RoleTruststore); err != nil {
		return err
	}
	o.setAt("deployment.buildVersion", o.chart.Product)
	o.setAt("deployment.externalJKS.enabled", true)
	o.setAt("deployment.externalJKS.secretName", o.names.keystores)
	for _, role := range []string{gen.RolePrimary, gen.RoleInternal, gen.RoleTLS} {
		s, file, _ := o.store(role)
		pw, err := o.password(role)
		if err != nil {
			return err
		}
		o.set(map[string]any{"fileName": file, "type": s.Type, "alias": s.Alias, "password": pw, "keyPassword": pw},
			"deploymentToml", "keystore", role)
	}
	s, file, _ := o.store(gen.RoleTruststore)
	pw, err := o.password(gen.RoleTruststore)
	if err != nil {
		return err
	}
	o.set(map[string]any{"fileName": file, "type": s.Type, "password": pw}, "deploymentToml", "truststore")
	key, err := o.encryptionKey()
	if err != nil {
		return err
	}
	o.setAt("deploymentToml.encryption.key", key)
	if o.vault != nil {
		// The chart's confs/secret-conf.properties l.18 gives the internal
		// store's type: PKCS12 in 7.1.0-3, JKS in 7.0.0-2.
		if err := o.only(o.chart.vaultType, "secret store reads the internal store as "+o.chart.vaultType, gen.RoleInternal); err != nil {
			return err
		}
		o.setAt("deployment.secretStore.enabled", true)
		o.notes = append(o.notes,
			"Secret-store mode: the passwords and the key below are ciphertexts, made with the internal store's certificate (RSA), under the aliases of the chart's [secrets]. "+
				"The chart reads the internal store's password from its Secrets Store CSI volume: your CSI provider must supply the object INTERNAL-KEYSTORE-PASSWORD-DECRYPTED "+
				fmt.Sprintf("holding the value of %s (in the Secret %s). ", gen.PasswordVar(o.p.Name, gen.RoleInternal), o.names.passwords)+
				"The chart renders a SecretProviderClass for Azure Key Vault (deployment.secretStore.azure.*); for another provider, create a SecretProviderClass named as the release's deployment. "+
				"The chart's [secrets] also holds the admin, database and app passwords: set deploymentToml.superAdmin.password, deploymentToml.database.*.password and "+
				"deploymentToml.identity.authFramework.endpoint.appPassword to their ciphertexts, made with the same certificate (the pack's ciphertool.sh).")
	} else {
		o.notes = append(o.notes,
			"The chart cannot read a password from a Secret: it writes the passwords and the encryption key below into deployment.toml, which it keeps in the ConfigMap "+
				"RELEASE-identity-server-deployment-toml. Limit who may read ConfigMaps in the namespace, or generate the product with password_mode = \"vault\" for the chart's secret store.")
	}
	o.renewNote("kubectl rollout restart deployment/RELEASE-identity-server")
	return nil
}
