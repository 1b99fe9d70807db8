package helm

import (
	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/gen"
)

// apiManager fills the overlay of WSO2's APIM charts (all-in-one and the
// four distributed ones share these values): they mount the stores from
// wso2.apim.configurations.security.jksSecretName, and read every password
// and the encryption key from an existing Secret as environment variables,
// so the overlay names the passwords Secret and holds no password.
func (o *overlay) apiManager(hash string) error {
	if err := o.need(gen.RolePrimary, gen.RoleTLS, gen.RoleTruststore); err != nil {
		return err
	}
	if err := o.only(gen.FormatJKS, `writes type = "JKS" for every store`, gen.RolePrimary, gen.RoleInternal, gen.RoleTLS, gen.RoleTruststore); err != nil {
		return err
	}
	if o.vault != nil {
		return bundle.Errorf("%s is in vault mode, and the secure vault of WSO2's %s chart decrypts with the symmetric [encryption] key (AES-GCM), not with the internal store's RSA key wso2ks encrypts with; "+
			"set password_mode = \"env\" for the product and regenerate: the chart then reads every password from the Secret %s, and none is in the values or a ConfigMap",
			o.where, o.chart.Name, o.names.passwords)
	}
	if err := o.requireEncryptionKey(); err != nil {
		return err
	}
	const cfg, sec = "wso2.apim.configurations.", "wso2.apim.configurations.security."
	o.set(map[string]any{StoresHashAnnotation: hash}, "wso2", "deployment", "pod", "annotations")
	o.setAt(cfg+"existingSecret", map[string]any{"secretName": o.names.passwords, "encryptionKeyKey": gen.EncryptionKeyVar(o.p.Name)})
	o.setAt(sec+"jksSecretName", o.names.keystores)
	fromSecret := map[string]any{"secretName": o.names.passwords}
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
			" image (WSO2's all-in-one/default_values.yaml uses docker.io and wso2/wso2am:"+o.chart.Product+").")
	o.renewNote("")
	return nil
}
