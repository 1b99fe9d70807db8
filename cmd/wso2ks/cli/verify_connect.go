package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/wso2ks/wso2ks/pkg/verify"
)

// connectAll is --connect's value when it is given alone: every node and listener.
const connectAll = "all"

// maxConnectTimeout bounds --timeout: past it a check of a deployment would take hours.
const maxConnectTimeout = 5 * time.Minute

// ConnectFlags are the flags of `wso2ks verify --connect`.
type ConnectFlags struct {
	On         bool
	Addresses  []string
	Envs       []string
	Products   []string
	PortOffset int
	Timeout    time.Duration
	offsetSet  bool
}

// addressList is --connect's value: HOST:PORT, comma-separated and repeatable, or "all".
type addressList struct{ cf *ConnectFlags }

func (a addressList) String() string { return strings.Join(a.cf.Addresses, ",") }
func (a addressList) Type() string   { return "HOST:PORT" }
func (a addressList) Set(v string) error {
	a.cf.On = true
	if v == connectAll {
		return nil
	}
	for _, addr := range strings.Split(v, ",") {
		addr = strings.TrimSpace(addr)
		if _, _, err := verify.ParseAddress(addr); err != nil {
			// pflag quotes the value and names the flag before it.
			return errors.New("not HOST:PORT; give a host name or address and a port from 1 to 65535, e.g. iam.example.com:9443")
		}
		a.cf.Addresses = append(a.cf.Addresses, addr)
	}
	return nil
}

// connectHelp ends verify's help.
const connectHelp = `

With --connect, verify checks running servers instead of the files (run it
without --connect for their audit). It connects over TLS, SNI set to HOST, to
each HOST:PORT given, or, given alone, to every node name of every product
PATH describes (the tls certificate's names in a bundle's manifest, localhost
left out when there are others; a home's [server] hostname) at each HTTPS
listener: IS and APIM 9443, APIM's gateway 8243, MI 8253 and its internal API
9164, as deployment.toml sets them, [server] offset included (--port-offset
replaces it). It checks that the server serves the configured store's
certificate (and says when it still serves the one from before 'wso2ks renew'
or 'wso2ks rotate': a restart is due), that the chain validates against the
truststore and is complete, that it covers HOST, is not expiring, and that
TLS 1.2 or later is negotiated. A host that does not answer within --timeout
is a FAIL that says why. Only those addresses are contacted, at most 16 at a
time; --env and --product narrow them. The connect-* rules are in
docs/verify.md.`

// addConnectFlags registers --connect and the flags that shape it, and says so in verify's
// usage line and help.
func addConnectFlags(cmd *cobra.Command, cf *ConnectFlags) {
	cmd.Use += " [--connect [HOST:PORT...]]"
	cmd.Long += connectHelp
	fl := cmd.Flags()
	fl.Var(addressList{cf}, "connect", "connect over TLS to each HOST:PORT (comma-separated, repeatable; HOST:PORT arguments after --connect too) and check what it serves; alone: every node name and HTTPS listener of every product PATH describes")
	fl.Lookup("connect").NoOptDefVal = connectAll
	fl.StringSliceVar(&cf.Envs, "env", nil, "with --connect: only the products of environment `NAME` (repeatable)")
	fl.StringSliceVar(&cf.Products, "product", nil, "with --connect: only the products named `NAME` (repeatable)")
	fl.IntVar(&cf.PortOffset, "port-offset", 0, "with --connect: the [server] offset `N` the servers run with, in place of deployment.toml's (MI's default is 10)")
	fl.DurationVar(&cf.Timeout, "timeout", verify.DefaultConnectTimeout, "with --connect: how long one connection and its handshake may take (`DURATION`: 5s, 1m)")
}

// takeConnectArgs checks the --connect flags and, with --connect, takes the arguments that
// are HOST:PORT and no existing file as addresses, leaving the PATHs in opts.Paths.
func takeConnectArgs(c *cobra.Command, opts *VerifyOptions) error {
	cf := &opts.Connect
	cf.offsetSet = c.Flags().Changed("port-offset")
	if !cf.On {
		for _, name := range []string{"env", "product", "port-offset", "timeout"} {
			if c.Flags().Changed(name) {
				return &usageError{fmt.Sprintf("--%s shapes what --connect contacts; add --connect, or leave --%s out", name, name)}
			}
		}
		return nil
	}
	var paths []string
	for _, arg := range opts.Paths {
		if _, err := os.Stat(arg); err != nil {
			if _, _, perr := verify.ParseAddress(arg); perr == nil {
				cf.Addresses = append(cf.Addresses, arg)
				continue
			}
		}
		paths = append(paths, arg)
	}
	if len(paths) == 0 {
		return &usageError{fmt.Sprintf("%s --connect needs a PATH (the bundle or home to compare the servers with) before the addresses; see '%s --help'", c.CommandPath(), c.CommandPath())}
	}
	opts.Paths = paths
	if cf.Timeout <= 0 || cf.Timeout > maxConnectTimeout {
		return &usageError{fmt.Sprintf("--timeout %s is out of range; give a duration above 0 and up to %s, e.g. 5s", cf.Timeout, maxConnectTimeout)}
	}
	if cf.PortOffset < 0 || cf.PortOffset > 65535 {
		return &usageError{fmt.Sprintf("--port-offset %d is out of range; give WSO2's [server] offset, from 0 to 65535", cf.PortOffset)}
	}
	return nil
}

// verifyConnectRun checks the servers against opts.Paths with the audit's options o.
func verifyConnectRun(opts *VerifyOptions, o verify.Options) error {
	f, cf := opts.F, opts.Connect
	co := verify.ConnectOptions{Addresses: cf.Addresses, Envs: cf.Envs, Products: cf.Products, Timeout: cf.Timeout, Dial: f.Dial}
	if cf.offsetSet {
		co.PortOffset = &cf.PortOffset
	}
	report, err := verify.Connect(context.Background(), opts.Paths, o, co)
	if err != nil {
		return err
	}
	return verifyOutput(opts, report, addressHeader, addressCount(report))
}

// addressHeader groups --connect's findings by address, with the store it should serve.
func addressHeader(f verify.Finding) string { return f.Address + " (" + f.Store + ")" }

// addressCount leads --connect's totals: how many addresses were contacted.
func addressCount(r *verify.Report) string {
	addrs := map[string]bool{}
	for _, f := range r.Findings {
		addrs[f.Address] = true
	}
	if len(addrs) == 1 {
		return "1 address: "
	}
	return fmt.Sprintf("%d addresses: ", len(addrs))
}
