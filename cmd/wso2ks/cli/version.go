package cli

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// Version is set at build time with -ldflags "-X .../cli.Version=v1.2.3";
// otherwise the module version, or "devel".
var Version = ""

// unknown stands for a commit or build date the binary does not record.
const unknown = "unknown"

// buildVersion is what `wso2ks version` prints, from the build information
// the Go toolchain writes into the binary: `go install module@v1.2.3` records
// the module version and no VCS state; `go build` in a checkout records
// vcs.revision, vcs.time and vcs.modified (and, from Go 1.24, a pseudo-version
// as the module version); `go build -buildvcs=false` records neither.
type buildVersion struct {
	Version  string `json:"version"`
	Commit   string `json:"commit"`
	Modified bool   `json:"modified"`
	Date     string `json:"date"`
	Go       string `json:"go"`
	Platform string `json:"platform"`
}

// readVersion reads the build information through f.BuildInfo
// (debug.ReadBuildInfo when nil).
func readVersion(f *Factory) buildVersion {
	read := f.BuildInfo
	if read == nil {
		read = debug.ReadBuildInfo
	}
	v := buildVersion{Version: "devel", Commit: unknown, Date: unknown, Go: runtime.Version()}
	goos, goarch := runtime.GOOS, runtime.GOARCH
	if bi, ok := read(); ok && bi != nil {
		if bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			v.Version = bi.Main.Version
		}
		if bi.GoVersion != "" {
			v.Go = bi.GoVersion
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				v.Commit = s.Value
			case "vcs.time":
				v.Date = s.Value
			case "vcs.modified":
				v.Modified = s.Value == "true"
			case "GOOS":
				goos = s.Value
			case "GOARCH":
				goarch = s.Value
			}
		}
	}
	if Version != "" {
		v.Version = Version
	}
	v.Platform = goos + "/" + goarch
	return v
}

// text is the two lines `wso2ks version` and `wso2ks --version` print:
// "wso2ks devel (abc1234, modified)" and when and with what it was built.
func (v buildVersion) text() string {
	commit := "commit unknown"
	if v.Commit != unknown {
		commit = v.Commit[:min(7, len(v.Commit))]
	}
	if v.Modified {
		commit += ", modified"
	}
	return fmt.Sprintf("wso2ks %s (%s)\nbuilt %s with %s for %s\n", v.Version, commit, v.Date, v.Go, v.Platform)
}

// NewCmdVersion builds `wso2ks version`.
func NewCmdVersion(f *Factory) *cobra.Command {
	var output string
	cmd := &cobra.Command{
		Use:   "version [--output text|json]",
		Short: "Print the wso2ks version",
		Long: `Print the wso2ks version, the commit it was built from (with ", modified" when
the checkout had uncommitted changes), the commit's date, and the Go version
and platform. A binary from 'go install' knows its module version but not its
commit; one from 'go build' in a checkout knows the commit. What the binary
does not record is "unknown". --output json prints one object with the fields
version, commit (the full revision), modified, date, go and platform.`,
		Args: noArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if err := checkOutput(c, output); err != nil {
				return err
			}
			v := readVersion(f)
			if output == "text" {
				_, err := fmt.Fprint(f.Stdout, v.text())
				return err
			}
			return writeJSON(f.Stdout, v)
		},
	}
	addOutput(cmd, &output, "text", "json")
	return cmd
}
