// Package certs makes the keys and certificates of a wso2ks bundle, with the
// key usages WSO2 and Java need, and checks each certificate after creating
// it.
package certs
