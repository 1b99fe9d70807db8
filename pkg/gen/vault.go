package gen

import "path"

// Cipher transformations of WSO2's cipher tool (SPEC §1 "Secure vault").
const (
	// CipherRSA is Java's "RSA": PKCS#1 v1.5, what the cipher tool of IS
	// and APIM uses and what the secure vault decrypts with by default.
	CipherRSA = "RSA"
	// CipherOAEP is what MI's ciphertool.sh sets; MI's secure vault then
	// needs secretRepositories.file.algorithm to decrypt with it.
	CipherOAEP = "RSA/ECB/OAEPwithSHA1andMGF1Padding"
)

// Vault is what vault mode writes for one product: [secrets] encrypted with
// the certificate of CipherRole's store, and the secure vault's own files.
type Vault struct {
	// CipherRole is the store whose certificate encrypts the secrets:
	// internal, or primary when there is no separate internal store.
	CipherRole string `json:"cipher_role"`
	// Transformation is the RSA transformation, as Java names it.
	Transformation string `json:"transformation"`
	// ConfDir is the secure vault's directory relative to the product home.
	ConfDir string `json:"conf_dir"`
	// SecretConf and CipherText are bundle paths of the files written.
	SecretConf string `json:"secret_conf"`
	CipherText string `json:"cipher_text"`
	// IdentityLocation is keystore.identity.location: the cipher store's
	// path relative to the product home (see planVault).
	IdentityLocation string `json:"identity_location"`
}

// Names of the secure vault's files.
const (
	SecretConfName = "secret-conf.properties"
	CipherTextName = "cipher-text.properties"
)

// planVault fills p.Vault when p is in vault mode.
func planVault(p *Product) {
	if p.PasswordMode != PasswordVault {
		return
	}
	v := &Vault{CipherRole: RoleInternal, Transformation: CipherRSA, ConfDir: "repository/conf/security"}
	if p.Store(RoleInternal) == nil {
		v.CipherRole = RolePrimary
	}
	if p.Kind == MicroIntegrator {
		v.Transformation, v.ConfDir = CipherOAEP, "conf/security"
	}
	v.SecretConf = path.Join(p.Dir, v.ConfDir, SecretConfName)
	v.CipherText = path.Join(p.Dir, v.ConfDir, CipherTextName)
	// Relative to the home, as the packs' own (commented) secret-conf.properties
	// write it (wso2/product-is v7.1.0
	// modules/distribution/src/repository/resources/conf/secret-conf.properties
	// l.21; wso2/micro-integrator distribution/src/conf/security/secret-conf.properties
	// l.39), so the home can move. The secure vault opens it as
	// new File(location), relative to the working directory (wso2/carbon-secvault
	// 1.x src/main/java/org/wso2/securevault/keystore/AbstractKeyStoreLoader.java
	// l.59; MI: components/mediation/security/org.wso2.micro.integrator.mediation.security/
	// src/main/java/org/wso2/micro/integrator/mediation/security/vault/CipherInitializer.java
	// l.272–274), and every start script makes that the home: cd "$CARBON_HOME"
	// in carbon-kernel v4.10.42 distribution/kernel/carbon-home/bin/wso2server.sh
	// l.269, product-apim v4.7.0
	// all-in-one-apim/modules/distribution/product/src/main/startup-scripts/api-manager.sh
	// l.278, micro-integrator distribution/src/scripts/micro-integrator.sh l.288.
	// WSO2's cipher tool writes an absolute path instead (wso2/cipher-tool
	// Utils.java resolveKeyStorePath), which breaks when the home moves.
	v.IdentityLocation = path.Join(SecurityDir, p.Store(v.CipherRole).FileName)
	p.Vault = v
}
