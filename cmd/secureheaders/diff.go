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
// did not and what it blocks. -fail-on widen exits 1 when the second allows
// something risky.
func runDiff(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("diff", stderr)
	failOn := fs.String("fail-on", "", `"widen": exit 1 when B allows something risky that A did not`)
	asJSON := fs.Bool("json", false, "print the changes as JSON")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: secureheaders diff [-fail-on widen] [-json] A B")
		fmt.Fprintln(stderr, "A and B are configuration files (JSON), header dumps (Name: value lines, as curl -sI prints them) or files holding one CSP.")
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
	for i, name := range fs.Args() {
		p, err := readPolicy(name)
		if err != nil {
			printErrors(stderr, "secureheaders diff: "+name, err)
			return 1
		}
		ps[i] = p
	}
	changes := policy.Diff(ps[0], ps[1])
	risky := 0
	for _, c := range changes {
		if c.Risk != "" {
			risky++
		}
	}
	if *asJSON {
		if changes == nil {
			changes = []policy.Change{}
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(changes); err != nil {
			fmt.Fprintf(stderr, "secureheaders diff: %v\n", err)
			return 1
		}
	} else {
		printChanges(stdout, changes)
		fmt.Fprintf(stdout, "%d changes, %d risky\n", len(changes), risky)
	}
	if *failOn == "widen" && risky > 0 {
		return 1
	}
	return 0
}

// printChanges writes one block per change: the header (and directive,
// with where its list comes from), "+" for what is newly allowed, "-" for
// what is newly blocked, or the values before and after, then the risk.
func printChanges(w io.Writer, changes []policy.Change) {
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
			fmt.Fprintln(w, where)
			for _, s := range c.Allowed {
				fmt.Fprintf(w, "  + %s\n", cell(s))
			}
			for _, s := range c.Blocked {
				fmt.Fprintf(w, "  - %s\n", cell(s))
			}
		} else {
			fmt.Fprintf(w, "%s\n  before: %s\n  after:  %s\n", where, cell(c.Before), cell(c.After))
		}
		if c.Risk != "" {
			fmt.Fprintf(w, "  RISK: %s\n", c.Risk)
		}
	}
}

// readPolicy reads a configuration file, a header dump or a bare CSP.
func readPolicy(name string) (policy.Policy, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return policy.Policy{}, err
	}
	if len(data) > 1<<20 {
		return policy.Policy{}, errors.New("larger than 1 MiB: not a policy")
	}
	text := bytes.TrimSpace(data)
	switch {
	case bytes.HasPrefix(text, []byte("{")):
		opts, err := secureheaders.ParseConfig(text)
		if err != nil {
			return policy.Policy{}, err
		}
		return *opts.Policy, nil
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
		return p, errors.Join(errs...)
	}
	c, err := csp.Parse(string(text))
	if err != nil {
		return policy.Policy{}, err
	}
	return policy.Policy{CSP: c}, nil
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
