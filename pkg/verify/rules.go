package verify

// Rule IDs. They are stable: scripts match on them.
const (
	RuleStoreOpens    = "store-opens"
	RulePlaceholder   = "placeholder"
	RuleKeyAlias      = "key-alias"
	RuleCipherKey     = "cipher-key"
	RuleTLSPassword   = "tls-password"
	RuleTLSSingleKey  = "tls-single-key"
	RuleTLSSAN        = "tls-san"
	RuleTLSEffective  = "tls-effective"
	RuleCertExpiry    = "cert-expiry"
	RuleSignatureAlg  = "signature-alg"
	RuleRSASize       = "rsa-size"
	RuleTrustsTLS     = "truststore-trusts-tls"
	RuleGatewayAlias  = "gateway-alias"
	RuleDefaultPass   = "default-password"
	RuleDefaultCert   = "default-cert"
	RuleFileMode      = "file-mode"
	RuleIgnoredKey    = "ignored-key"
	RuleInstances     = "instances-identical"
	RuleTrustVisible  = "truststore-visible"
	RuleTrustExpiry   = "truststore-expiry"
	RuleVaultStore    = "vault-keystore"
	RuleEncryptionKey = "encryption-key"
)

// RuleSecretDecrypts: every $secret{…} decrypts with the secure vault's key.
const RuleSecretDecrypts = "secret-decrypts"

// Rule IDs of verify --connect: what a running server serves (connect*.go).
const (
	RuleConnectReachable = "connect-reachable"
	RuleConnectProtocol  = "connect-protocol"
	RuleConnectLeaf      = "connect-leaf"
	RuleConnectChain     = "connect-chain"
	RuleConnectComplete  = "connect-complete"
	RuleConnectSAN       = "connect-san"
	RuleConnectExpiry    = "connect-expiry"
)

// Rule is one check: what it verifies and how to fix a failure.
type Rule struct {
	ID      string `json:"id"`
	Explain string `json:"explain"`
	Fix     string `json:"fix"`
}

// Rules lists every rule in report order.
var Rules = []Rule{
	{RuleIgnoredKey, "deployment.toml has no key WSO2 would silently ignore (`name` for `file_name`, a path in an IS/APIM `file_name`, a bare name in an MI `file_name`)",
		"use `file_name`; IS and APIM want a bare file name under repository/resources/security, MI a path relative to MI_HOME"},
	{RuleVaultStore, "secret-conf.properties, when it sets keystore.identity.location and does not set secVault.enabled=false, names the store the cipher tool encrypts with ([keystore.internal], else [keystore.primary]), and its type and alias where it gives keystore.identity.type and .alias; a FAIL too when deployment.toml has [secrets] and no store is named or the vault is disabled",
		"set keystore.identity.location, keystore.identity.type and keystore.identity.alias in secret-conf.properties to that store's path, type and alias, or run the cipher tool again"},
	{RuleSecretDecrypts, "every `$secret{alias}` of deployment.toml (store passwords, [encryption] key, any other value) has an entry in [secrets] that decrypts with the secure vault's key, the internal store's (primary without [keystore.internal]); a SKIP, not a FAIL, when that store's password is not known (--password-file, WSO2KS_VERIFY_PASSWORD, a bundle's secrets.env, a home's password-tmp or password-persist)",
		"encrypt the value again with the cipher tool, which uses the internal store's certificate (or install the bundle again with 'wso2ks install'); when the store does not open, give verify the password the server reads from password-tmp"},
	{RuleEncryptionKey, "where internal data is encrypted with an `[encryption] key` (IS ≥ 5.11, APIM ≥ 4.7, unless `internal_crypto_provider` names the keystore-based provider), the key is set, is not WSO2's published default, and has a length the version reads (32 hex digits up to IS 7.0; 32, 48 or 64 from IS 7.1 and APIM 4.7)",
		"set `[encryption] key` to a key of the product's own before its first start ('wso2ks generate' makes one; or openssl rand -hex 32, up to IS 7.0 -hex 16); an install that already holds data must re-encrypt it first (IS 7.1 and later: old_key; otherwise WSO2's key rotation tool)"},
	{RulePlaceholder, "every `$env{…}` and `$ref{…}` value resolves (secret-decrypts checks `$secret{…}`)",
		"set the environment variable, or point the $ref{…} at a key deployment.toml sets"},
	{RuleStoreOpens, "the store file exists and opens with its configured password and type",
		"point file_name at the store and set its type and password to what the store was written with"},
	{RuleFileMode, "store files are not readable by group or others",
		"chmod 600 the store and chown it to the user the product runs as"},
	{RuleDefaultPass, "WSO2's default password `wso2carbon` is not in use",
		"generate new stores with 'wso2ks generate' and install them with 'wso2ks install'"},
	{RuleKeyAlias, "the configured alias exists and its key opens with key_password",
		"set alias to the key entry's alias (keytool -list shows it) and key_password to its password"},
	{RuleDefaultCert, "the certificate is not WSO2's shipped default (CN=localhost, O=WSO2)",
		"generate new stores with 'wso2ks generate' and install them with 'wso2ks install'"},
	{RuleCipherKey, "primary and internal keys are RSA ≥ 2048 with dataEncipherment in a KeyUsage (the cipher tool's Cipher.init needs it)",
		"regenerate the store with an RSA 2048+ key whose certificate's KeyUsage includes dataEncipherment ('wso2ks generate' does)"},
	{RuleRSASize, "RSA keys of every certificate in the key's chain are at least 2048 bits",
		"regenerate the key with at least 2048 bits"},
	{RuleSignatureAlg, "no certificate below a root is signed with SHA-1 or MD5",
		"reissue the certificate with SHA-256 or better"},
	{RuleCertExpiry, "certificates are not expired (WARN when they expire within the warning window, --within)",
		"renew the certificate before it expires and install the new store on every instance"},
	{RuleTLSPassword, "the tls store's password equals its key password (Tomcat and the passthrough transport open the key with the store password)",
		"re-key the store so store and key share one password, and set both password and key_password to it"},
	{RuleTLSSingleKey, "the tls store holds exactly one private key",
		"keep only the server key in the tls store (keytool -delete the others)"},
	{RuleTLSSAN, "the tls certificate's SAN covers [server] hostname, in a bundle every name manifest.json plans for it (localhost aside), and localhost for APIM ≥ 4.2",
		"reissue the tls certificate with every hostname in its subjectAltName ('wso2ks generate' with the hostnames in the topology)"},
	{RuleTLSEffective, "IS and APIM serve HTTPS from [keystore.tls]: no key elsewhere in deployment.toml (Tomcat's certificate or connector attributes under [transport.https.*], APIM's [transport.passthru_https.listener.key_store]) names another store, type, alias or password, as WSO2 lets such keys win; the FAIL gives the key's line:column",
		"delete the key so the server follows [keystore.tls] ('wso2ks merge' refuses to merge while it is there), or set it to what [keystore.tls] says"},
	{RuleTrustsTLS, "the truststore holds the product's tls certificate or its issuer",
		"import the tls certificate (or its CA) into the truststore"},
	{RuleTrustVisible, "every certificate of a PKCS#12 truststore carries the trusted-certificate attribute, without which Java does not see it",
		"rebuild the truststore with keytool -importcert (or openssl pkcs12 -export -jdktrust anyExtendedKeyUsage)"},
	{RuleGatewayAlias, "an APIM truststore has the `gateway_certificate_alias` entry (the primary certificate APIM verifies its JWTs with)",
		"import the primary certificate into the truststore as gateway_certificate_alias"},
	{RuleTrustExpiry, "no truststore entry but the public CAs (aliases public-…) and the product's own certificates (cert-expiry checks those) has expired or expires within --within; a WARN, as the product still starts but no longer trusts that peer",
		"import the peer's renewed certificate into the truststore (keytool -importcert) and delete the expired entry"},
	{RuleInstances, "across several PATHs of one product (instances), primary, internal and tls hold the same certificate (nodes must decrypt each other's data)",
		"copy one instance's primary, internal and tls stores to every other instance"},
	{RuleConnectReachable, "with --connect: the address answers a TLS handshake within --timeout (a FAIL names why not: DNS, connection refused, timeout, the server's TLS alert, or no TLS at all)",
		"start the server, or check that the address, the port (--port-offset for a [server] offset) and the firewall let this machine reach it"},
	{RuleConnectProtocol, "with --connect: the handshake negotiates TLS 1.2 or later",
		"turn TLS 1.0 and 1.1 off on the listener (IS/APIM [transport.https.sslHostConfig.properties] protocols, the passthrough and MI listeners' HttpsProtocols) and restart"},
	{RuleConnectLeaf, "with --connect: the server serves the certificate of the store its listener is configured with (SHA-256 fingerprint); after 'wso2ks renew' or 'wso2ks rotate' a server still on the old certificate is told apart from one serving another certificate",
		"install the store on the node ('wso2ks install') and restart the server; if it serves another certificate, find what overrides the listener's store (verify without --connect: tls-effective)"},
	{RuleConnectChain, "with --connect: the chain served validates against the product's truststore, with no more intermediates than the server sends",
		"serve the tls store's certificate (connect-leaf), or import the certificate served or its CA into the truststore; have the server send its intermediates (connect-complete)"},
	{RuleConnectComplete, "with --connect: the chain served is complete and in order: every certificate is followed by its issuer, up to a root or to a certificate a root of the truststore or the tls store signed (no missing intermediate of an internal or external CA)",
		"put the whole chain (certificate, intermediates) into the tls key entry ('wso2ks import-cert' with the chain) and restart the server"},
	{RuleConnectSAN, "with --connect: the certificate served covers the host name connected to (SNI)",
		"reissue the tls certificate with that name in its subjectAltName, or connect by a name it covers"},
	{RuleConnectExpiry, "with --connect: no certificate served has expired (WARN when one expires within --within)",
		"renew the certificate ('wso2ks renew'), install the store on every node and restart them"},
}

func ruleByID(id string) Rule {
	for _, r := range Rules {
		if r.ID == id {
			return r
		}
	}
	return Rule{ID: id}
}
