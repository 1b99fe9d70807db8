package verify

import (
	"github.com/wso2ks/wso2ks/pkg/keystore"
)

// checkVisible raises truststore-visible: Java lists a PKCS#12 certificate bag as a trusted
// entry only when it carries Oracle's trusted-key-usage attribute (2.16.840.1.113894.746875.1.1);
// a truststore written by openssl without -jdktrust looks empty to the product.
func (c *checker) checkVisible(s *storeConf, o *openStore) {
	if s.Type != keystore.PKCS12 {
		return
	}
	store := o.store
	switch {
	case len(store.Trusted) == 0:
		c.add(RuleTrustVisible, Fail, s.Role, "Java sees no trusted entries in %s: no certificate carries the trusted-certificate attribute", c.rel(s.File))
	case store.Unlisted > 0:
		c.add(RuleTrustVisible, Fail, s.Role, "%s holds certificates without the trusted-certificate attribute: Java does not see them", c.rel(s.File))
	default:
		c.add(RuleTrustVisible, Pass, s.Role, "Java sees all %d entries of %s", len(store.Trusted), c.rel(s.File))
	}
}
