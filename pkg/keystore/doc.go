// Package keystore encodes and decodes the Java key stores and trust stores a WSO2 product
// reads (JKS and PKCS#12), with the aliases Java sees, and checks each store it writes by
// reading it back.
//
// Every encoder decodes its own output again and checks it the way Java will see it: the alias,
// the key and the certificate chain. An encoder that writes a store Java reads differently from
// what deployment.toml says fails here, not at the product's start-up.
//
// PKCS#12 key aliases: go-pkcs12's Encoder.Encode writes no friendlyName attribute on the key
// bag, so Java names the key entry "1" (SSLMate/go-pkcs12 issue #34) while deployment.toml names
// the alias it configured. wso2ks keeps go-pkcs12 for all of the encryption and patches its
// output instead of writing a PKCS#12 encoder of its own: the key bag sits in the unencrypted
// SafeContents (the key inside it is shrouded on its own), so adding the attribute needs no
// decryption, only a re-marshal of that SafeContents and a new password MAC over the changed
// authenticated safe. See pkcs12.go.
//
// PKCS#12 reading: go-pkcs12 exposes no bag attributes for trust stores (DecodeTrustStore returns
// bare certificates, and ToPEM accepts only two-part files and rejects Java's trusted-certificate
// attribute), so Decode reads PKCS#12 itself. That also keeps the check after encoding
// independent of the library that did the encoding.
//
// It works on bytes only: it must not read or write files, and knows nothing of topologies,
// plans or bundles (those are gen's and bundle's); what a store is for is the caller's.
package keystore
