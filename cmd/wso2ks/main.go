// Command wso2ks plans and generates the keystores a WSO2 deployment should run with.
package main

import (
	"os"

	"github.com/wso2ks/wso2ks/cmd/wso2ks/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
