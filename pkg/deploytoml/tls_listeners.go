package deploytoml

import "github.com/wso2ks/wso2ks/pkg/gen"

// What an IS or APIM server presents on TLS comes from [keystore.tls] only
// through WSO2's defaults, and an explicit key wins over a default:
// config-mapper's DefaultParser adds a default only for a key the
// deployment.toml leaves unset (wso2/config-mapper DefaultParser.java
// @42cd7605; ConfigParser.java @11b2ff7b runs it after the TOML is read).
// The keys below are those defaults, or keys the templates copy to the same
// place. Set to anything but the default, they keep the server on another
// store whatever merge writes into [keystore.tls].

// Listeners whose key store a deployment.toml can set.
const (
	ListenerTomcat     = "Tomcat's HTTPS connector"
	ListenerPassthru   = "the passthrough HTTPS listener"
	listenerPassSender = "the passthrough HTTPS sender"
)

// Settings an override stands for: the [keystore.tls] keys, and two that
// have none.
const (
	settingPEM          = "pem"           // a PEM certificate, key or chain in place of a key store
	settingPasswordFile = "password_file" // a file holding the password
)

// overrideTable is a table whose keys choose a listener's key store.
type overrideTable struct {
	path     []string
	listener string
	keys     map[string]string // key → the [keystore.tls] key it stands for
	// defaults are WSO2's default.json values: they follow [keystore.tls].
	defaults map[string]string
	// tomcat: keys are Tomcat attributes, matched as Tomcat's
	// IntrospectionUtils.setProperty does ("set" + capitalize(name)), so the
	// first letter's case does not matter (apache/tomcat
	// java/org/apache/tomcat/util/IntrospectionUtils.java).
	tomcat bool
	apim   bool // APIM's Synapse passthrough transport only
}

// tomcatCertificate are the attributes of Tomcat's <Certificate>, and of
// <SSLHostConfig>, which hands them to its default certificate (apache/tomcat
// java/org/apache/tomcat/util/net/SSLHostConfig.java setCertificateKeystoreFile
// and its siblings).
var tomcatCertificate = map[string]string{
	"certificateKeystoreFile":         "file_name",
	"certificateKeystorePassword":     "password",
	"certificateKeystorePasswordFile": settingPasswordFile,
	"certificateKeystoreType":         "type",
	"certificateKeyAlias":             "alias",
	"certificateKeyPassword":          "key_password",
	"certificateKeyPasswordFile":      settingPasswordFile,
	"certificateFile":                 settingPEM,
	"certificateKeyFile":              settingPEM,
	"certificateChainFile":            settingPEM,
}

// tomcatDefaults: carbon-kernel v4.10.42
// distribution/kernel/carbon-home/repository/resources/conf/default.json
// l.89–93, the same since 4.5.
var tomcatDefaults = map[string]string{
	"certificateKeystoreFile":     "${carbon.home}/" + gen.SecurityDir + "/$ref{keystore.tls.file_name}",
	"certificateKeystorePassword": "$ref{keystore.tls.password}",
	"certificateKeystoreType":     "$ref{keystore.tls.type}",
	"certificateKeyAlias":         "$ref{keystore.tls.alias}",
	"certificateKeyPassword":      "$ref{keystore.tls.key_password}",
}

// passthroughKeys: product-apim v4.7.0
// all-in-one-apim/modules/distribution/product/src/main/resources/conf/templates/repository/conf/axis2/axis2.xml.j2
// l.254–257 (listener) and l.366–369 (sender); no key alias.
var passthroughKeys = map[string]string{"location": "file_name", "type": "type", "password": "password", "key_password": "key_password"}

// passthroughDefaults: the same release's default.json l.111–114 and
// l.131–134 (also v4.0.0 and v4.5.0); the location is relative to the
// home, the server's working directory.
var passthroughDefaults = map[string]string{
	"location":     gen.SecurityDir + "/$ref{keystore.tls.file_name}",
	"type":         "$ref{keystore.tls.type}",
	"password":     "$ref{keystore.tls.password}",
	"key_password": "$ref{keystore.tls.key_password}",
}

var overrideTables = []overrideTable{
	{path: []string{"transport", "https", "sslHostConfig", "certificate", "properties"}, listener: ListenerTomcat,
		keys: tomcatCertificate, defaults: tomcatDefaults, tomcat: true},
	{path: []string{"transport", "https", "sslHostConfig", "properties"}, listener: ListenerTomcat,
		keys: tomcatCertificate, defaults: tomcatDefaults, tomcat: true},
	// The <Connector>'s own attributes, which Tomcat hands to its default
	// SSLHostConfig (apache/tomcat
	// java/org/apache/coyote/http11/AbstractHttp11Protocol.java setKeystoreFile
	// and its siblings). WSO2 ships none of them.
	{path: []string{"transport", "https", "properties"}, listener: ListenerTomcat, tomcat: true,
		keys: map[string]string{
			"keystoreFile": "file_name", "keystorePass": "password", "keystoreType": "type",
			"keyAlias": "alias", "keyPass": "key_password", "SSLPassword": "key_password",
			"SSLCertificateFile": settingPEM, "SSLCertificateKeyFile": settingPEM, "SSLCertificateChainFile": settingPEM,
		},
		defaults: map[string]string{
			"keystoreFile": tomcatDefaults["certificateKeystoreFile"], "keystorePass": tomcatDefaults["certificateKeystorePassword"],
			"keystoreType": tomcatDefaults["certificateKeystoreType"], "keyAlias": tomcatDefaults["certificateKeyAlias"],
			"keyPass": tomcatDefaults["certificateKeyPassword"],
		}},
	{path: []string{"transport", "passthru_https", "listener", "key_store"}, listener: ListenerPassthru,
		keys: passthroughKeys, defaults: passthroughDefaults, apim: true},
	{path: []string{"transport", "passthru_https", "sender", "key_store"}, listener: listenerPassSender,
		keys: passthroughKeys, defaults: passthroughDefaults, apim: true},
	// APIM maps MI's names for these stores onto its passthrough ones, all
	// but file_name, which it maps to a key no template reads
	// (product-apim v4.7.0 all-in-one-apim/modules/distribution/product/src/main/resources/conf/key-mappings.json
	// l.52–55 and l.72–75).
	{path: []string{"transport", "http", "listener", "keystore"}, listener: ListenerPassthru,
		keys: mappedKeys, defaults: passthroughDefaults, apim: true},
	{path: []string{"transport", "http", "sender", "keystore"}, listener: listenerPassSender,
		keys: mappedKeys, defaults: passthroughDefaults, apim: true},
}

var mappedKeys = map[string]string{"type": "type", "password": "password", "key_password": "key_password"}
