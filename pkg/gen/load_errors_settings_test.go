package gen

import "strings"

// settingErrorCases: [defaults], product and environment settings.
var settingErrorCases = []loadErrorCase{
	{
		name: "unknown format in defaults",
		toml: topoBase + "[defaults]\nformat = \"p12\"\n",
		want: "topology.toml:9:1: format \"p12\" is unknown; use one of \"auto\", \"jks\", \"pkcs12\"",
	},
	{
		name: "unknown format in environment",
		toml: topoBase + "[environment.prod]\nformat = \"PKCS12\"\n",
		want: "topology.toml:9:1: format \"PKCS12\" is unknown; use one of \"auto\", \"jks\", \"pkcs12\"",
	},
	{
		name: "unknown pkcs12_profile in defaults",
		toml: topoBase + "[defaults]\npkcs12_profile = \"modern2026\"\n",
		want: "topology.toml:9:1: pkcs12_profile \"modern2026\" is unknown; use one of \"modern\", \"legacy\"",
	},
	{
		name: "unknown pkcs12_profile in environment",
		toml: topoBase + "[environment.dev]\n[environment.prod]\npkcs12_profile = \"des\"\n",
		want: "topology.toml:10:1: pkcs12_profile \"des\" is unknown; use one of \"modern\", \"legacy\"",
	},
	{
		name: "unknown key type in defaults",
		toml: topoBase + "[defaults]\nkey = \"rsa-1024\"\n",
		want: "topology.toml:9:1: key \"rsa-1024\" is unknown; use one of \"rsa-2048\", \"rsa-3072\", \"rsa-4096\", \"ecdsa-p256\", \"ecdsa-p384\"",
	},
	{
		name: "unknown key type in product",
		toml: topoBase + "key = \"ed25519\"\n",
		want: "topology.toml:8:1: key \"ed25519\" is unknown; use one of \"rsa-2048\", \"rsa-3072\", \"rsa-4096\", \"ecdsa-p256\", \"ecdsa-p384\"",
	},
	{
		name: "unknown key type in environment",
		toml: topoBase + "[environment.prod]\nkey = \"rsa\"\n",
		want: "topology.toml:9:1: key \"rsa\" is unknown; use one of \"rsa-2048\", \"rsa-3072\", \"rsa-4096\", \"ecdsa-p256\", \"ecdsa-p384\"",
	},
	{
		name: "unknown password_mode in defaults",
		toml: topoBase + "[defaults]\npassword_mode = \"secret\"\n",
		want: "topology.toml:9:1: password_mode \"secret\" is unknown; use one of \"plain\", \"env\", \"vault\"",
	},
	{
		name: "unknown password_mode in environment",
		toml: topoBase + "[environment.prod]\npassword_mode = \"Plain\"\n",
		want: "topology.toml:9:1: password_mode \"Plain\" is unknown; use one of \"plain\", \"env\", \"vault\"",
	},
	{
		name: "validity_days zero",
		toml: topoBase + "[defaults]\nvalidity_days = 0\n",
		want: "topology.toml:9:1: validity_days 0 is out of range; use 1 to 3650",
	},
	{
		name: "validity_days beyond ten years in environment",
		toml: topoBase + "[environment.prod]\nvalidity_days = 4000\n",
		want: "topology.toml:9:1: validity_days 4000 is out of range; use 1 to 3650",
	},
	{
		name: "negative validity_days in product",
		toml: topoBase + "validity_days = -1\n",
		want: "topology.toml:8:1: validity_days -1 is out of range; use 1 to 3650",
	},
	{
		name: "tls_validity_days beyond 825",
		toml: topoBase + "[defaults]\ntls_validity_days = 900\n",
		want: "topology.toml:9:1: tls_validity_days 900 is out of range; use 1 to 825 (clients refuse longer TLS certificates)",
	},
}

// tlsErrorCases: [tls].
var tlsErrorCases = []loadErrorCase{
	{
		name: "external-ca without files",
		toml: topoBase + "[tls]\nissuer = \"external-ca\"\nca_cert = \"ca.pem\"\n",
		want: "topology.toml:9:1: [tls] issuer = \"external-ca\" needs ca_cert and ca_key; set both to PEM files relative to the topology file",
	},
	{
		name: "unknown issuer",
		toml: topoBase + "[tls]\nissuer = \"letsencrypt\"\n",
		want: "topology.toml:9:1: [tls] issuer \"letsencrypt\" is unknown; use \"self-signed\", \"internal-ca\" or \"external-ca\"",
	},
	{
		name: "ca_cert without external-ca",
		toml: topoBase + "[tls]\nca_cert = \"ca.pem\"\n",
		want: "topology.toml:9:1: [tls] ca_cert, ca_key and ca_key_passphrase go with issuer = \"external-ca\"; remove them",
	},
	{
		name: "ca_key without external-ca",
		toml: topoBase + "[tls]\nissuer = \"self-signed\"\nca_key = \"ca-key.pem\"\n",
		want: "topology.toml:10:1: [tls] ca_cert, ca_key and ca_key_passphrase go with issuer = \"external-ca\"; remove them",
	},
}

// extraTrustedErrorCases: extra_trusted.
var extraTrustedErrorCases = []loadErrorCase{
	{
		name: "extra_trusted file missing",
		toml: topoBase + "[defaults]\nextra_trusted = [\"ca.pem\", \"missing.pem\"]\n",
		want: "topology.toml:9:28: extra_trusted file \"missing.pem\" cannot be read (file does not exist); give a PEM file path relative to the topology file",
	},
	{
		name: "extra_trusted file without a certificate",
		toml: topoBase + "[environment.prod]\nextra_trusted = [\"no-cert.pem\"]\n",
		want: "topology.toml:9:18: extra_trusted file \"no-cert.pem\" holds no PEM certificate; give a file with -----BEGIN CERTIFICATE----- blocks",
	},
	{
		name: "extra_trusted file with a corrupt certificate",
		toml: topoBase + "extra_trusted = [\"corrupt.pem\"]\n",
		want: "topology.toml:8:18: extra_trusted file \"corrupt.pem\": certificate 2 does not parse (its DER encoding is malformed); give PEM certificates",
	},
	{
		name:    "extra_trusted without a file system",
		toml:    topoBase + "[defaults]\nextra_trusted = [\"ca.pem\"]\n",
		noFiles: true,
		want:    "topology.toml:9:18: extra_trusted file \"ca.pem\" cannot be read from the built-in topology; pass a topology with -f",
	},
}

// environmentErrorCases: [environment.*].
var environmentErrorCases = []loadErrorCase{
	{
		name: "environment name in capitals",
		toml: topoBase + "[environment.dev]\n[environment.Prod]\n",
		want: "topology.toml:9:2: environment name \"Prod\" " + nameRule,
	},
	{
		name: "environment name too long",
		toml: topoBase + "[environment." + strings.Repeat("e", 33) + "]\n",
		want: "topology.toml:8:2: environment name \"" + strings.Repeat("e", 33) + "\" is longer than 32 characters; shorten it",
	},
	{
		name: "first bad environment in file order",
		toml: topoBase + "[environment.zz-]\n[environment.Aa]\n",
		want: "topology.toml:8:2: environment name \"zz-\" " + nameRule,
	},
}
