package k8s

import (
	"fmt"

	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/gen"
)

// The values each chart family takes, as read in the releases of charts
// (docs/kubernetes.md "Helm charts" cites the lines).

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
	o.setAt("deployment.externalJKS.secretName", o.secrets.keystores)
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
				fmt.Sprintf("holding the value of %s (in the Secret %s). ", gen.PasswordVar(o.p.Name, gen.RoleInternal), o.secrets.passwords)+
				"The chart renders a SecretProviderClass for Azure Key Vault (deployment.secretStore.azure.*); for another provider, create a SecretProviderClass named as the release's deployment. "+
				"The chart's [secrets] also holds the admin, database and app passwords: set deploymentToml.superAdmin.password, deploymentToml.database.*.password and "+
				"deploymentToml.identity.authFramework.endpoint.appPassword to their ciphertexts, made with the same certificate (the pack's ciphertool.sh).")
	} else {
		o.notes = append(o.notes,
			"The chart cannot read a password from a Secret: it writes the passwords and the encryption key below into deployment.toml, which it keeps in the ConfigMap "+
				"RELEASE-identity-server-deployment-toml. Limit who may read ConfigMaps in the namespace, or generate the product with password_mode = \"vault\" for the chart's secret store.")
	}
	o.notes = append(o.notes, "The chart takes no pod annotation: after 'wso2ks renew' or 'wso2ks rotate', rewrite the Secrets and this file "+
		"('wso2ks k8s BUNDLE_DIR --helm --force'), kubectl apply, helm upgrade with this file, then "+
		"'kubectl rollout restart deployment/RELEASE-identity-server': the chart mounts each store with subPath, which Kubernetes never updates in a running pod.")
	return nil
}

// apiManager fills the overlay of WSO2's APIM charts (all-in-one and the
// four distributed ones share these values): they mount the stores from
// wso2.apim.configurations.security.jksSecretName, and read every password
// and the encryption key from an existing Secret as environment variables,
// so the overlay names the passwords Secret and holds no password.
func (o *overlay) apiManager() error {
	if err := o.need(gen.RolePrimary, gen.RoleTLS, gen.RoleTruststore); err != nil {
		return err
	}
	if err := o.only(gen.FormatJKS, `writes type = "JKS" for every store`, gen.RolePrimary, gen.RoleInternal, gen.RoleTLS, gen.RoleTruststore); err != nil {
		return err
	}
	if o.vault != nil {
		return bundle.Errorf("%s is in vault mode, and the secure vault of WSO2's %s chart decrypts with the symmetric [encryption] key (AES-GCM), not with the internal store's RSA key wso2ks encrypts with; "+
			"set password_mode = \"env\" for the product and regenerate: the chart then reads every password from the Secret %s, and none is in the values or a ConfigMap",
			o.where, o.chart.Name, o.secrets.passwords)
	}
	if err := o.requireEncryptionKey(); err != nil {
		return err
	}
	const cfg, sec = "wso2.apim.configurations.", "wso2.apim.configurations.security."
	o.set(map[string]any{StoresHashAnnotation: o.hash}, "wso2", "deployment", "pod", "annotations")
	o.setAt(cfg+"existingSecret", map[string]any{"secretName": o.secrets.passwords, "encryptionKeyKey": gen.EncryptionKeyVar(o.p.Name)})
	o.setAt(sec+"jksSecretName", o.secrets.keystores)
	fromSecret := map[string]any{"secretName": o.secrets.passwords}
	keystores := map[string]any{}
	for _, role := range []string{gen.RolePrimary, gen.RoleTLS, gen.RoleInternal} {
		s, file, ok := o.store(role)
		if !ok {
			keystores[role] = map[string]any{"enabled": false}
			continue
		}
		keystores[role] = map[string]any{"enabled": true, "name": file, "alias": s.Alias, "password": "", "keyPassword": ""}
		// The chart switches deployment.toml to $env{…} on the password key
		// and sets the variables only when both keys are given.
		fromSecret[role+"KeystorePasswordKey"] = gen.PasswordVar(o.p.Name, role)
		fromSecret[role+"KeystoreKeyPasswordKey"] = gen.PasswordVar(o.p.Name, role)
	}
	fromSecret["truststorePasswordKey"] = gen.PasswordVar(o.p.Name, gen.RoleTruststore)
	_, trustFile, _ := o.store(gen.RoleTruststore)
	o.setAt(sec+"jksExistingSecret", fromSecret)
	o.setAt(sec+"keystores", keystores)
	o.setAt(sec+"truststore", map[string]any{"name": trustFile, "password": ""})
	o.notes = append(o.notes,
		"The chart has no default image: add --set wso2.deployment.image.registry=…,wso2.deployment.image.repository=…,wso2.deployment.image.tag=… for your API Manager "+o.chart.Product+
			" image (WSO2's all-in-one/default_values.yaml uses docker.io and wso2/wso2am:"+o.chart.Product+").",
		"After 'wso2ks renew' or 'wso2ks rotate', rewrite the Secrets and this file ('wso2ks k8s BUNDLE_DIR --helm --force'), kubectl apply, and helm upgrade with this file: "+
			"the pod annotation "+StoresHashAnnotation+" changes with the stores and rolls the pods.")
	return nil
}

// microIntegrator fills the overlay of WSO2's mi chart: it mounts the
// primary, internal and trust stores and the HTTPS listener's keystore from
// wso2.deployment.JKSSecretName into the home, and writes wso2.config.*
// into deployment.toml, which it keeps in a ConfigMap. Like the IS chart it
// reads no password from a Secret.
func (o *overlay) microIntegrator() error {
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
	o.setAt("wso2.deployment.JKSSecretName", o.secrets.keystores)
	o.set(map[string]any{StoresHashAnnotation: o.hash}, "wso2", "deployment", "annotations")
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
				fmt.Sprintf("the value of %s (in the Secret %s) under the chart's internal keystore password identifier. ", gen.PasswordVar(o.p.Name, gen.RoleInternal), o.secrets.passwords)+
				"The chart's [secrets] also holds the admin password: set wso2.config.admin.password to its ciphertext, made with the same certificate and transformation.")
	} else {
		o.notes = append(o.notes,
			"The chart cannot read a password from a Secret: it writes the passwords below into deployment.toml, which it keeps in the ConfigMap cloud-RELEASE-mi-toml. "+
				"Limit who may read ConfigMaps in the namespace, or generate the product with password_mode = \"vault\" for the chart's secure vault.")
	}
	o.notes = append(o.notes,
		"The chart does not render [internal_api_ssl_config]: MI's management API serves the primary certificate, not the TLS one. wso2.config.icp.enabled is false because the chart does not render without it; set your own ICP values after this file.",
		"After 'wso2ks renew' or 'wso2ks rotate', rewrite the Secrets and this file ('wso2ks k8s BUNDLE_DIR --helm --force'), kubectl apply, and helm upgrade with this file: "+
			"the pod annotation "+StoresHashAnnotation+" changes with the stores and rolls the pods.")
	return nil
}
