package cli

import (
	"errors"
	"io/fs"
	"path/filepath"

	"github.com/wso2ks/wso2ks/pkg/gen"
	"github.com/wso2ks/wso2ks/pkg/infile"
)

// loadPlan reads the topology file (or the embedded default when file is
// empty) and plans the named environments.
func loadPlan(f *Factory, file string, envs []string) (*gen.Plan, error) {
	cfg, err := loadConfig(f, file)
	if err != nil {
		return nil, err
	}
	return cfg.Plan(envs)
}

// loadConfig reads and checks the topology file, or the embedded default
// when file is empty.
func loadConfig(f *Factory, file string) (*gen.Config, error) {
	src := gen.Source{Name: gen.DefaultTopologyName, Data: gen.DefaultTopology()}
	if file != "" {
		data, err := f.ReadFile(file, infile.Topology)
		if err != nil {
			var re *infile.Error
			if errors.As(err, &re) {
				return nil, &gen.InputError{Msg: re.Error()}
			}
			msg := "cannot read the topology file; check the -f path"
			if errors.Is(err, fs.ErrNotExist) {
				msg = "no such topology file; check the -f path, or run 'wso2ks init -o " + file + "' to write a starter"
			}
			return nil, &gen.InputError{File: file, Msg: msg}
		}
		src = gen.Source{Name: file, Data: data, ReadFile: f.ReadFile, Dir: filepath.Dir(file), Getenv: f.Getenv, Now: f.Now}
	}
	return gen.Load(src)
}
