package k8s

import (
	"bytes"
	"fmt"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/wso2ks/wso2ks/pkg/bundle"
	"github.com/wso2ks/wso2ks/pkg/gen"
)

func productObjects(p *bundle.Product, files map[string][]byte, sec *envSecrets) ([]*k8sObject, error) {
	where := fmt.Sprintf("product %q in environment %q", p.Name, p.Env)
	stores, passwords := map[string][]byte{}, map[string][]byte{}
	for _, s := range p.Stores {
		data, ok := files[s.Path]
		if !ok {
			return nil, bundle.Errorf("%s is missing from the bundle", s.Path)
		}
		stores[path.Base(s.Path)] = data
	}
	pws, err := p.Passwords(sec.values)
	if err != nil {
		return nil, err
	}
	for v, pw := range pws {
		passwords[v] = []byte(pw)
	}
	snippetPath := path.Join(p.Env, p.Name, bundle.SnippetName)
	snippet, ok := files[snippetPath]
	if !ok {
		return nil, bundle.Errorf("%s is missing from the bundle", snippetPath)
	}
	// The encryption key goes with the passwords: in env mode the snippet
	// names it as $env{…}, and vault mode's password-tmp entrypoint reads
	// the same Secret.
	passwordsOf := "store passwords"
	if v := gen.EncryptionKeyVar(p.Name); sec.values[v] != "" {
		passwords[v] = []byte(sec.values[v])
		passwordsOf = "store passwords and encryption key"
	} else if bytes.Contains(snippet, []byte(v)) {
		return nil, bundle.Errorf("%s has no %s, the encryption key %s names; regenerate the bundle, or update it with 'wso2ks generate --update'", sec.file, v, snippetPath)
	}
	config := &k8sObject{kind: "ConfigMap", component: "config", data: map[string][]byte{bundle.SnippetName: snippet},
		comment: fmt.Sprintf("deployment.toml tables of %s: merge them into the product's deployment.toml.", where)}
	var vault []string
	for _, f := range bundle.VaultFiles(p.Env, p.Name) {
		if data, ok := files[f]; ok {
			if config.data[path.Base(f)] != nil {
				return nil, bundle.Errorf("product %q in environment %q has two %s; keep the one of its kind", p.Name, p.Env, path.Base(f))
			}
			config.data[path.Base(f)] = data
			vault = append(vault, path.Base(f))
			config.comment = fmt.Sprintf("deployment.toml tables of %s: merge them into the product's deployment.toml; put %s in %s/ of the product home.",
				where, strings.Join(vault, " and "), strings.TrimPrefix(path.Dir(f), p.Env+"/"+p.Name+"/"))
		}
	}
	for name, data := range config.data {
		if !utf8.Valid(data) {
			return nil, bundle.Errorf("%s of %s is not UTF-8 text", name, where)
		}
		if sec.appearsIn(data) {
			config.kind = "Secret"
		}
	}
	if config.kind == "Secret" {
		config.comment += " This file holds passwords (plain mode): keep it secret."
	}
	objs := []*k8sObject{
		{kind: "Secret", component: "keystores", data: stores,
			comment: fmt.Sprintf("keystores of %s: mount each key (subPath) in repository/resources/security/. Keep this file secret.", where)},
		{kind: "Secret", component: "passwords", data: passwords,
			comment: fmt.Sprintf("%s of %s, for envFrom. Keep this file secret.", passwordsOf, where)},
		config,
	}
	kind := productKind(snippet, p.Env, p.Name)
	for _, o := range objs {
		o.name = ObjectName(p.Env, p.Name, o.component)
		o.labels = map[string]string{
			"app.kubernetes.io/component":  o.component,
			"app.kubernetes.io/managed-by": "wso2ks",
			"app.kubernetes.io/part-of":    "wso2",
			"wso2ks.io/environment":        p.Env,
			"wso2ks.io/product":            p.Name,
		}
		if kind != "" {
			o.labels["app.kubernetes.io/name"] = kind
		}
		size := 0
		for k, v := range o.data {
			size += len(k) + len(v)
		}
		if size > k8sObjectMax {
			return nil, bundle.Errorf("the %s of %s hold %d bytes, more than the %d a Kubernetes %s can; leave out the public CAs (public_cas = false) or ship the stores another way",
				o.component, where, size, k8sObjectMax, o.kind)
		}
	}
	return objs, nil
}

// productKind reads the product kind (wso2is…) from the first line of its
// snippet, which names the product ("# wso2ks: keystores for WSO2 Identity
// Server 7.1.0, product …"); "" when the line does not say, and the
// app.kubernetes.io/name label is then left out.
func productKind(snippet []byte, env, product string) string {
	h, ok := bundle.ParseSnippetHeader(snippet)
	if !ok || h.Product != product || h.Env != env {
		return ""
	}
	return string(h.Kind)
}

// envSecrets is one environment's secrets.env, parsed.
type envSecrets struct {
	file   string
	values map[string]string
}

func readSecretsEnv(env string, files map[string][]byte) (*envSecrets, error) {
	values, err := bundle.EnvSecrets(files, env)
	if err != nil {
		return nil, err
	}
	return &envSecrets{file: path.Join(env, bundle.SecretsName), values: values}, nil
}

// appearsIn reports whether any password of the environment is in data.
func (s *envSecrets) appearsIn(data []byte) bool {
	for _, v := range s.values {
		if bytes.Contains(data, []byte(v)) {
			return true
		}
	}
	return false
}
