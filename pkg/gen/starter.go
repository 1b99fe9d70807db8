package gen

import (
	"bytes"
	_ "embed"
	"fmt"
	"text/template"
)

//go:embed starter.toml.tmpl
var starterText string

var starterTemplate = template.Must(template.New("starter").Parse(starterText))

// starters are the product each kind's starter topology describes: the
// newest release wso2ks knows, as the product ships it.
var starters = map[Kind]struct{ Name, Version, InstallDir string }{
	IdentityServer:  {"iam", "7.1.0", "/home/wso2carbon/wso2is-7.1.0"},
	APIManager:      {"apim", "4.5.0", "/home/wso2carbon/wso2am-4.5.0"},
	MicroIntegrator: {"mi", "4.4.0", "/home/wso2carbon/wso2mi-4.4.0"},
}

// Starter returns a commented starter topology for a product kind. file is
// how the comments name the topology file.
func Starter(kind, file string) ([]byte, error) {
	s, ok := starters[Kind(kind)]
	if !ok {
		return nil, &InputError{Msg: fmt.Sprintf("--kind %q is unknown; use %s", kind, kindNames())}
	}
	var b bytes.Buffer
	err := starterTemplate.Execute(&b, map[string]string{
		"File": file, "Name": s.Name, "Kind": kind, "Version": s.Version, "InstallDir": s.InstallDir,
	})
	return b.Bytes(), err
}
