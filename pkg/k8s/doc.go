// Package k8s turns a bundle into Kubernetes manifests (issue 3, point 5).
// For every environment and product of a bundle Manifests makes three
// objects, one per file, so that
// `kubectl apply -f k8s/<env>/` applies an environment and a GitOps diff shows
// one object per file:
//
//	<env>/<product>-keystores.yaml  Secret wso2ks-<env>-<product>-keystores: the
//	                                store files, keyed by file name, to mount
//	                                (subPath per key) in repository/resources/security/
//	<env>/<product>-passwords.yaml  Secret wso2ks-<env>-<product>-passwords: the
//	                                product's secrets.env variables, for envFrom
//	<env>/<product>-config.yaml     wso2ks-<env>-<product>-config holding
//	                                deployment.snippet.toml, to merge into
//	                                deployment.toml, and in vault mode the secure
//	                                vault's secret-conf.properties and
//	                                cipher-text.properties
//
// The snippet is not a key of the passwords Secret: envFrom turns every key of
// a Secret into an environment variable (or skips it with a warning event), so
// that Secret holds variables only. The config object is a ConfigMap when its
// files hold no password — env mode, where the snippet says $env{…}, which the
// passwords Secret resolves, and vault mode, where it says $secret{…} and
// holds ciphertexts — and a Secret of the same name when they do (plain mode).
// That is decided from the bytes, not from a mode the bundle does not record:
// files that contain any password of their environment's secrets.env make a
// Secret, so a password never lands in a ConfigMap (a short supplied password
// that happens to occur in the text only makes it a Secret needlessly).
//
// It works on a bundle in memory, read by bundle or built by emit: it must
// not read or write files (the CLI writes the manifests) nor change what the
// bundle holds.
package k8s
