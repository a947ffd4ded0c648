// Command secureheaders renders, lints, checks and serves secureheaders
// policies.
//
//	secureheaders render [-config F] [-route PATH] [-plain] [-format http|nginx|caddy|apache|netlify|json] [-nonce placeholder|sample] [-nonce-comment]
//	secureheaders lint   [-config F | -csp STRING | -header 'Name: value' …] [-format text|json] [-fail-on critical|warning|info]
//	secureheaders check  [-insecure] [-ca FILE] [-timeout D] [-json] URL (flags may follow the URL)
//	secureheaders serve  [-config F] [-http ADDR] [-https ADDR] [-cert F -key F]
//	secureheaders reports [-json] [-hosts LIST] [FILE…|-]
//	secureheaders suggest -config F [-o FILE] [-hosts LIST] [-json] [REPORTS…|-]
//	secureheaders diff   [-fail-on widen] [-json] A B
//	secureheaders version (or -version)
//
// render prints the headers a response gets, as HTTP lines, as server
// configuration (nginx, Caddy, Apache, a Netlify/Cloudflare Pages _headers
// file) with one block per config route, or as JSON. lint prints the findings
// of policy.Lint. check fetches a site over HTTP and HTTPS and grades the
// headers it sends with the same rules. See docs/exporting.md. serve runs
// the demo and shows the reports it receives at /reports to loopback peers,
// or to any peer with Authorization: Bearer and the token of the environment
// variable SECUREHEADERS_DASHBOARD_TOKEN (docs/reports.md).
//
// Every command exits 1 with a one-line error per problem on bad input (lint
// also when a finding is at least as severe as -fail-on, critical by
// default; check when a finding is critical), and 2 on bad usage.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"

	"github.com/secureheaders/secureheaders"
	"github.com/secureheaders/secureheaders/internal/suggest"
	"github.com/secureheaders/secureheaders/policy"
)

type command struct {
	name    string
	summary string
	run     func(args []string, stdout, stderr io.Writer) int
}

var commands []command

func init() {
	commands = []command{
		{"render", "print the headers an HTTPS response gets, or a server config that sends them", runRender},
		{"lint", "report weak or broken choices in a policy, a CSP or one header", runLint},
		{"check", "fetch a URL over HTTP and HTTPS and grade its security headers", runCheck},
		{"hash", "print the CSP hashes of the inline scripts and styles of HTML files", runHash},
		{"sri", "print the Subresource Integrity value of files", runSRI},
		{"serve", "run the demo: HTTP redirecting to HTTPS, nonce page, report endpoint", runServe},
		{"reports", "summarise CSP violation reports from logs, report bodies or snapshots", runReports},
		{"suggest", "propose the smallest policy change that allows what reports say was blocked", runSuggest},
		{"diff", "compare two policies: what the second newly allows or blocks, with risks", runDiff},
		{"version", "print the module version and the Go version it was built with", runVersion},
	}
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	if args[0] == "-version" || args[0] == "--version" {
		return runVersion(args[1:], stdout, stderr)
	}
	names := make([]string, len(commands))
	for i, c := range commands {
		if c.name == args[0] {
			return c.run(args[1:], stdout, stderr)
		}
		names[i] = c.name
	}
	if s := suggest.Closest(args[0], names); s != "" {
		fmt.Fprintf(stderr, "secureheaders: unknown command %q (did you mean %q?)\n", args[0], s)
	} else {
		fmt.Fprintf(stderr, "secureheaders: unknown command %q\n", args[0])
	}
	usage(stderr)
	return 2
}

// runVersion prints "secureheaders VERSION (GOVERSION)": the module version
// from the build information ("(devel)" for a build from a checkout, then
// with the VCS revision when known) and the Go version.
func runVersion(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("version", stderr)
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	fmt.Fprintln(stdout, versionLine())
	return 0
}

func versionLine() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "secureheaders (unknown version, built without module support) (" + runtime.Version() + ")"
	}
	v := info.Main.Version
	if v == "" || v == "(devel)" {
		v = "(devel)"
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += " " + s.Value[:12]
			}
		}
	}
	return "secureheaders " + v + " (" + info.GoVersion + ")"
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: secureheaders <command> [flags]")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "Run 'secureheaders <command> -h' for the flags of a command.")
}

// newFlags returns a FlagSet that reports errors instead of exiting.
func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// parseFlags parses args of a command that takes no argument; it returns
// the exit code to use when the command must stop (help asked: 0, bad
// flags: 2) and ok=false.
func parseFlags(fs *flag.FlagSet, args []string) (code int, ok bool) {
	if code, ok := parseArgs(fs, args, 0, -1); !ok {
		return code, false
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "secureheaders %s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		return 2, false
	}
	return 0, true
}

// parseArgs is parseFlags for a command that takes at least minArgs and at
// most maxArgs arguments (maxArgs < 0: any number); a wrong count prints
// the usage and exits 2.
func parseArgs(fs *flag.FlagSet, args []string, minArgs, maxArgs int) (code int, ok bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0, false
		}
		return 2, false
	}
	if n := fs.NArg(); n < minArgs || maxArgs >= 0 && n > maxArgs {
		fs.Usage()
		return 2, false
	}
	return 0, true
}

// config is what render and lint read of a configuration file: the app
// policy and the pattern routes, with each route's policy as the engine
// sends it (layered on the routes that cover it).
type config struct {
	Policy  policy.Policy
	Routes  []policy.Route
	layered map[string]policy.Policy // by pattern
	hosts   []string                 // https.allowedHosts
}

// routePolicy returns the policy route r sends.
func (c *config) routePolicy(r policy.Route) (policy.Policy, error) {
	if p, ok := c.layered[r.Pattern]; ok {
		return p, nil
	}
	return r.Override.Apply(c.Policy)
}

// loadConfig reads the config file (secureheaders.LoadConfig), or returns
// the recommended preset when path is empty.
func loadConfig(path string) (*config, error) {
	if path == "" {
		return &config{Policy: policy.Recommended()}, nil
	}
	opts, err := secureheaders.LoadConfig(path)
	if err != nil {
		return nil, err
	}
	return newConfig(opts)
}

// newConfig compiles opts in an engine to read each route's layered policy.
func newConfig(opts *secureheaders.Options) (*config, error) {
	cfg := &config{Policy: *opts.Policy, Routes: opts.Routes, layered: map[string]policy.Policy{}, hosts: opts.HTTPS.AllowedHosts}
	eng, err := secureheaders.New(opts)
	if err != nil {
		return nil, err
	}
	defer eng.Close()
	for _, r := range opts.Routes {
		if p, ok := eng.RoutePolicy(r.Pattern); ok {
			cfg.layered[r.Pattern] = p
		}
	}
	return cfg, nil
}

// printErrors writes each problem of err on its own line.
func printErrors(w io.Writer, prefix string, err error) {
	for e := range policy.AllErrors(err) {
		fmt.Fprintf(w, "%s: %s\n", prefix, e.Error())
	}
}
