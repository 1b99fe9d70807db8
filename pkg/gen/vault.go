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
	// IdentityLocation is the absolute path of the cipher store on the
	// target, from install_dir.
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
	v.IdentityLocation = path.Join(p.InstallDir, SecurityDir, p.Store(v.CipherRole).FileName)
	p.Vault = v
}
