package infile

// Kind is what a file holds and the most wso2ks reads of it. The limits
// are documented in docs/topology.md (Limits); each is far above what the
// largest real file of its kind, or wso2ks's own output at the count
// limits, needs.
type Kind struct {
	// What names the kind in messages: "a topology file".
	What string
	// Max is the largest size read, in bytes.
	Max int64
}

const (
	kib = 1 << 10
	mib = 1 << 20
)

var (
	// Topology: 100 products of a few names each take 10-20 KiB; at every
	// limit (100 names each, 50 environments) about 300 KiB.
	Topology = Kind{"a topology file", 1 * mib}
	// Certificates: a PEM file of certificates (extra_trusted, ca_cert, the
	// chain import-cert takes). Mozilla's whole CA bundle, the largest PEM
	// file anyone trusts wholesale, is about 230 KiB.
	Certificates = Kind{"a PEM certificate file", 1 * mib}
	// PrivateKey: a PEM private key (ca_key, a bundle's ca.key). An
	// encrypted RSA-16384 key is under 13 KiB.
	PrivateKey = Kind{"a PEM private key file", 64 * kib}
	// Password: a file whose first line is a password or passphrase (a
	// file: source, ca_key_passphrase, verify --password-file).
	Password = Kind{"a password file", 64 * kib}
	// SecretsEnv: a secrets.env (--passwords, a bundle's). Five variables
	// of about 80 bytes for each of the 100 products an environment may
	// hold make 40 KiB.
	SecretsEnv = Kind{"a secrets.env file", 1 * mib}
	// Deployment: a deployment.toml (the merge target, a home's, a
	// bundle's snippet). WSO2's own are under 64 KiB.
	Deployment = Kind{"a deployment.toml file", 4 * mib}
	// Properties: secret-conf.properties and cipher-text.properties.
	Properties = Kind{"a properties file", 1 * mib}
	// KeyStore: a JKS or PKCS#12 store. A truststore at the limits
	// (200 peer certificates, 140 public CAs, 500 extra_trusted) is
	// under 2 MiB.
	KeyStore = Kind{"a key store", 16 * mib}
	// Manifest: a bundle's manifest.json, which lists every truststore's
	// aliases: about 55 MiB for 5,000 products with the public CAs, under
	// 200 MiB with 500 extra_trusted certificates as well.
	Manifest = Kind{"a manifest.json", 256 * mib}
	// HomeFile: any other file install reads or writes in a WSO2 home
	// (its install record, password-tmp), a few KiB each.
	HomeFile = Kind{"a file of a WSO2 home", 16 * mib}
	// BundleFile: any other file of a bundle (an internal CA's
	// certificate, Kubernetes manifests, whose Secrets Kubernetes caps at
	// 1 MiB each).
	BundleFile = Kind{"a bundle file", 64 * mib}
)
