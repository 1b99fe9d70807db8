package verify

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"fmt"

	"github.com/pavlo-v-chernykh/keystore-go/v4"
	"github.com/wso2ks/wso2ks/pkg/emit"
)

// decodeJKSKeyPassword reads a JKS store whose keys are protected with keyPassword, not with
// the store password: emit.DecodeStore opens keys with the store password only (what wso2ks
// writes and what Tomcat needs), while IS and APIM open primary and internal keys with
// key_password. Call it only after DecodeStore has checked the store's structure and its
// integrity digest with storePassword and failed on a key entry, so that keystore-go reads
// bytes that emit's own scanner has already accepted.
func decodeJKSKeyPassword(data []byte, storePassword, keyPassword string) (*emit.DecodedStore, error) {
	ks := keystore.New(keystore.WithCaseExactAliases())
	if err := ks.Load(bytes.NewReader(data), []byte(storePassword)); err != nil {
		return nil, fmt.Errorf("read jks: %w", err)
	}
	store := &emit.DecodedStore{}
	for _, alias := range ks.Aliases() {
		if !ks.IsPrivateKeyEntry(alias) {
			tce, err := ks.GetTrustedCertificateEntry(alias)
			if err != nil {
				return nil, fmt.Errorf("jks entry %q: %w", alias, err)
			}
			cert, err := x509.ParseCertificate(tce.Certificate.Content)
			if err != nil {
				return nil, fmt.Errorf("jks trusted entry %q: %w", alias, err)
			}
			store.Trusted = append(store.Trusted, emit.TrustedCert{Alias: alias, Cert: cert})
			continue
		}
		pke, err := ks.GetPrivateKeyEntry(alias, []byte(keyPassword))
		if err != nil {
			return nil, fmt.Errorf("open jks key entry %q with key_password: %w", alias, err)
		}
		key, err := x509.ParsePKCS8PrivateKey(pke.PrivateKey)
		if err != nil {
			return nil, fmt.Errorf("jks key entry %q: %w", alias, err)
		}
		signer, ok := key.(crypto.Signer)
		if !ok {
			return nil, fmt.Errorf("jks key entry %q: unsupported key type %T", alias, key)
		}
		entry := emit.KeyEntry{Alias: alias, Key: signer}
		for i, c := range pke.CertificateChain {
			cert, err := x509.ParseCertificate(c.Content)
			if err != nil {
				return nil, fmt.Errorf("jks key entry %q, certificate %d: %w", alias, i, err)
			}
			entry.Chain = append(entry.Chain, cert)
		}
		store.Keys = append(store.Keys, entry)
	}
	return store, nil
}
