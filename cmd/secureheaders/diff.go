package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/textproto"
	"os"
	"strings"

	"github.com/secureheaders/secureheaders"
	"github.com/secureheaders/secureheaders/csp"
	"github.com/secureheaders/secureheaders/internal/headerval"
	"github.com/secureheaders/secureheaders/policy"
)

// runDiff compares two policies: per header, and for a CSP per effective
// directive after the CSP3 fallbacks, what the second allows that the first
// did not and what it blocks; for two configuration files, the serving
// options (diffServing: the redirect, the Host check, proxies, cookies, the
// report receiver) and each route's policy, redirect and Host check
// (diffRoutes) too. -fail-on widen exits 1 when the second allows
// something risky, in the app policy, the serving options or a route.
func runDiff(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("diff", stderr)
	failOn := fs.String("fail-on", "", `"widen": exit 1 when B allows something risky that A did not`)
	asJSON := fs.Bool("json", false, "print the changes as JSON")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: secureheaders diff [-fail-on widen] [-json] A B")
		fmt.Fprintln(stderr, "A and B are configuration files (JSON), header dumps (Name: value lines, as curl -sI prints them) or files holding one CSP.")
		fmt.Fprintln(stderr, "For two configuration files, the serving options (https, trustedProxies, cookies, reports) and each route (the patterns of both, as the engine layers them, with their redirect and hostCheck) are compared too.")
		fs.PrintDefaults()
	}
	if code, ok := parseArgs(fs, args, 2, 2); !ok {
		return code
	}
	if *failOn != "" && *failOn != "widen" {
		fs.Usage()
		return 2
	}
	var ps [2]policy.Policy
	var cfgs [2]*diffConfig
	for i, name := range fs.Args() {
		p, cfg, err := readPolicy(name)
		if err != nil {
			printErrors(stderr, "secureheaders diff: "+name, err)
			return 1
		}
		ps[i], cfgs[i] = p, cfg
	}
	doc := diffDoc{Changes: policy.Diff(ps[0], ps[1])}
	switch {
	case cfgs[0] != nil && cfgs[1] != nil:
		doc.Serving = diffServing(cfgs[0], cfgs[1])
		doc.Routes = diffRoutes(cfgs[0], cfgs[1], doc.Changes)
	default:
		for i, cfg := range cfgs {
			if cfg == nil {
				continue
			}
			var what []string
			if cfg.serves() {
				what = append(what, "its serving options (https, trustedProxies, cookies, reports)")
			}
			if len(cfg.Routes) > 0 {
				what = append(what, fmt.Sprintf("its %d routes", len(cfg.Routes)))
			}
			if what != nil {
				fmt.Fprintf(stderr, "secureheaders diff: %s: %s are not compared: the other file is not a configuration\n", fs.Arg(i), strings.Join(what, " and "))
			}
		}
	}
	total, risky := doc.count()
	if *asJSON {
		if doc.Changes == nil {
			doc.Changes = []policy.Change{}
		}
		if doc.Serving == nil {
			doc.Serving = []servingChange{}
		}
		for i := range doc.Routes {
			if doc.Routes[i].Changes == nil {
				doc.Routes[i].Changes = []policy.Change{}
			}
			if doc.Routes[i].Serving == nil {
				doc.Routes[i].Serving = []servingChange{}
			}
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(doc); err != nil {
			fmt.Fprintf(stderr, "secureheaders diff: %v\n", err)
			return 1
		}
	} else {
		printChanges(stdout, "", doc.Changes)
		printServing(stdout, "", doc.Serving)
		for _, r := range doc.Routes {
			printRoute(stdout, r)
		}
		fmt.Fprintf(stdout, "%d changes, %d risky\n", total, risky)
	}
	if *failOn == "widen" && risky > 0 {
		return 1
	}
	return 0
}

// diffDoc is diff's output: the app policies' changes, the app-wide
// serving options' (two configuration files only), then each route's.
type diffDoc struct {
	Changes []policy.Change `json:"changes"`
	Serving []servingChange `json:"serving"`
	Routes  []routeDiff     `json:"routes,omitempty"`
}

// count returns the number of changes and of risky ones, serving options
// and routes included.
func (d diffDoc) count() (total, risky int) {
	lists := [][]policy.Change{d.Changes}
	serving := [][]servingChange{d.Serving}
	for _, r := range d.Routes {
		lists = append(lists, r.Changes)
		serving = append(serving, r.Serving)
	}
	for _, l := range lists {
		for _, c := range l {
			total++
			if c.Risk != "" {
				risky++
			}
		}
	}
	for _, l := range serving {
		for _, c := range l {
			total++
			if c.Risk != "" {
				risky++
			}
		}
	}
	return total, risky
}

// printRoute writes a route's heading (saying which config lacks the
// route, and what its paths get there) and its changes, indented.
func printRoute(w io.Writer, r routeDiff) {
	head := fmt.Sprintf("route %q", r.Pattern)
	if r.OnlyIn != "" {
		other, verb := "B", "get"
		if r.OnlyIn == "B" {
			other, verb = "A", "got"
		}
		what := "the app policy"
		if r.Other != "" {
			what = fmt.Sprintf("route %q", r.Other)
		}
		head += fmt.Sprintf(" (only in %s; in %s its paths %s %s)", r.OnlyIn, other, verb, what)
	}
	if r.inNeither {
		what := func(pat string) string {
			if pat == "" {
				return "the app policy"
			}
			return fmt.Sprintf("route %q", pat)
		}
		head += fmt.Sprintf(" (in neither file: its requests get %s in A, %s in B)", what(r.servedA), what(r.servedB))
	}
	switch {
	case len(r.Changes) == 0 && r.AsApp:
		head += ": the app policy's changes only"
	case len(r.Changes) == 0:
		head += ": same headers"
	case r.AsApp:
		head += ", besides the app policy's changes:"
	}
	fmt.Fprintln(w, head)
	printChanges(w, "  ", r.Changes)
	printServing(w, "  ", r.Serving)
}

// printChanges writes one block per change: the header (and directive,
// with where its list comes from), "+" for what is newly allowed, "-" for
// what is newly blocked, or the values before and after, then the risk.
func printChanges(w io.Writer, indent string, changes []policy.Change) {
	for _, c := range changes {
		where := c.Header
		if c.Directive != "" {
			where += " " + c.Directive
		}
		name := func(from string) string {
			switch from {
			case "":
				return c.Directive
			case "none":
				return "unrestricted"
			}
			return from
		}
		if c.Directive != "" && (c.Allowed != nil || c.Blocked != nil) {
			switch {
			case c.From == c.To && c.From != "":
				where += " (from " + c.From + ")"
			case c.From != c.To:
				where += " (" + name(c.From) + " → " + name(c.To) + ")"
			}
			fmt.Fprintln(w, indent+where)
			for _, s := range c.Allowed {
				fmt.Fprintf(w, "%s  + %s\n", indent, cell(s))
			}
			for _, s := range c.Blocked {
				fmt.Fprintf(w, "%s  - %s\n", indent, cell(s))
			}
		} else {
			fmt.Fprintf(w, "%s%s\n%s  before: %s\n%s  after:  %s\n", indent, where, indent, cell(c.Before), indent, cell(c.After))
		}
		if c.Risk != "" {
			fmt.Fprintf(w, "%s  RISK: %s\n", indent, c.Risk)
		}
	}
}

// readPolicy reads a configuration file, a header dump or a bare CSP. For
// a configuration it also returns the config, with each route's policy as
// the engine layers it, and its options.
func readPolicy(name string) (policy.Policy, *diffConfig, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return policy.Policy{}, nil, err
	}
	if len(data) > 1<<20 {
		return policy.Policy{}, nil, errors.New("larger than 1 MiB: not a policy")
	}
	text := bytes.TrimSpace(data)
	switch {
	case bytes.HasPrefix(text, []byte("{")):
		opts, err := secureheaders.ParseConfig(text)
		if err != nil {
			return policy.Policy{}, nil, err
		}
		cfg, err := newConfig(opts)
		if err != nil {
			return policy.Policy{}, nil, err
		}
		return cfg.Policy, &diffConfig{config: cfg, opts: opts}, nil
	case looksLikeHeaders(text):
		h := http.Header{}
		sc := bufio.NewScanner(bytes.NewReader(text))
		for sc.Scan() {
			line := strings.TrimSpace(sc.Text())
			name, value, ok := strings.Cut(line, ":")
			if !ok || strings.HasPrefix(line, "HTTP/") {
				continue
			}
			h.Add(textproto.CanonicalMIMEHeaderKey(strings.TrimSpace(name)), strings.TrimSpace(value))
		}
		p, errs := policy.FromHeader(h)
		return p, nil, errors.Join(errs...)
	}
	c, err := csp.Parse(string(text))
	if err != nil {
		return policy.Policy{}, nil, err
	}
	return policy.Policy{CSP: c}, nil, nil
}

// looksLikeHeaders reports whether text starts with an HTTP status line or
// a "Name: value" line.
func looksLikeHeaders(text []byte) bool {
	first, _, _ := bytes.Cut(text, []byte("\n"))
	if bytes.HasPrefix(first, []byte("HTTP/")) {
		return true
	}
	name, _, ok := bytes.Cut(first, []byte(":"))
	return ok && headerval.IsToken(string(name))
}
