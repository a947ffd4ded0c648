package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/secureheaders/secureheaders"
	"github.com/secureheaders/secureheaders/csp"
	"github.com/secureheaders/secureheaders/internal/suggest"
	"github.com/secureheaders/secureheaders/policy"
)

// headerFlags collects repeated -header 'Name: value' flags.
type headerFlags []string

func (h *headerFlags) String() string     { return strings.Join(*h, "; ") }
func (h *headerFlags) Set(v string) error { *h = append(*h, v); return nil }

func runLint(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("lint", stderr)
	configPath := fs.String("config", "", "JSON configuration file to lint, with its routes (default: the recommended preset)")
	cspText := fs.String("csp", "", "lint one Content-Security-Policy value")
	var headers headerFlags
	fs.Var(&headers, "header", "lint one header line, 'Name: value' (repeat to lint several together)")
	var pages headerFlags
	fs.Var(&pages, "html", "also lint the `FILE|DIR` of a static site: external <script src> without integrity, or not over https: (repeatable)")
	asJSON := fs.Bool("json", false, "print the findings as a JSON array (same as -format json)")
	format := fs.String("format", "text", "output format: text or json")
	failOn := policy.Critical
	fs.TextVar(&failOn, "fail-on", policy.Critical, "exit 1 when a finding is at least this severe: critical, warning or info")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	switch *format {
	case "text":
	case "json":
		*asJSON = true
	default:
		fmt.Fprintf(stderr, "secureheaders lint: unknown -format %q (use text or json)\n", *format)
		return 2
	}
	modes := 0
	for _, set := range []bool{*configPath != "", *cspText != "", len(headers) > 0} {
		if set {
			modes++
		}
	}
	if modes > 1 {
		fmt.Fprintln(stderr, "secureheaders lint: use one of -config, -csp or -header")
		return 2
	}
	var findings []policy.Finding
	var err error
	switch {
	case *cspText != "":
		findings = lintCSP(*cspText)
	case len(headers) > 0:
		findings, err = lintHeaders(headers)
	case modes == 0 && len(pages) > 0:
		// -html alone lints the pages only.
	default:
		findings, err = lintConfig(*configPath)
	}
	if err != nil {
		printErrors(stderr, "secureheaders lint", err)
		return 1
	}
	if len(pages) > 0 {
		found, skipped := lintPages(pages)
		for _, e := range skipped {
			fmt.Fprintf(stderr, "secureheaders lint: %s\n", printable(e.Error()))
		}
		findings = append(findings, found...)
	}
	sortFindings(findings)
	if findings == nil {
		findings = []policy.Finding{}
	}
	if *asJSON {
		writeJSON(stdout, findings)
	} else {
		printFindings(stdout, findings)
	}
	if atLeast(findings, failOn) {
		return 1
	}
	return 0
}

// lintConfig lints the app policy of the file and each pattern route's
// policy as the engine sends it (layered on the routes that cover it); a
// route reports only the findings the app policy does not already have,
// plus what it weakens compared with the app policy (policy.Diff's risks)
// and a "/" that matches every path (Flask's "/" is the index only). A
// configuration that does not decode gives its errors as findings; a file
// that cannot be read is an error.
func lintConfig(path string) ([]policy.Finding, error) {
	if path == "" {
		return policy.Lint(policy.Recommended()), nil
	}
	opts, err := secureheaders.LoadConfig(path)
	if err != nil {
		if _, ok := errors.AsType[*fs.PathError](err); ok {
			return nil, err
		}
		return errorFindings("config", err), nil
	}
	eng, err := secureheaders.New(opts)
	if err != nil {
		return errorFindings("config", err), nil
	}
	defer eng.Close()
	app := *opts.Policy
	findings := policy.Lint(app)
	for _, r := range opts.Routes {
		p, ok := eng.RoutePolicy(r.Pattern)
		if !ok {
			continue
		}
		prefix := "routes." + r.Pattern
		for _, f := range policy.Lint(p) {
			if !slices.Contains(findings, f) {
				f.Path = prefix + "." + f.Path
				findings = append(findings, f)
			}
		}
		for _, c := range policy.Diff(app, p) {
			if c.Risk == "" {
				continue
			}
			where := prefix + "." + strings.ToLower(c.Header)
			if c.Directive != "" {
				where += "." + c.Directive
			}
			findings = append(findings, policy.Finding{Severity: policy.Warning, Path: where,
				Message: "weaker than the app policy: " + c.Risk,
				Fix:     "if the route needs it, say why in a comment; otherwise keep the app's value"})
		}
		if _, rest, _ := strings.Cut(r.Pattern, " "); r.Pattern == "/" || rest == "/" {
			findings = append(findings, policy.Finding{Severity: policy.Warning, Path: prefix,
				Message: `"/" matches every path, not only the index (Flask's '/' is the index only)`,
				Fix:     `write "/{$}" for the index alone, or change the app policy for every page`})
		}
	}
	return findings, nil
}

// lintCSP lints one CSP value: its parse errors, or the CSP findings of Lint.
func lintCSP(text string) []policy.Finding {
	c, err := csp.Parse(text)
	if err != nil {
		return errorFindings("csp", err)
	}
	return only(policy.Lint(policy.Policy{CSP: c}), []string{"csp"})
}

// lintHeaders reads 'Name: value' lines into a Policy with policy.FromHeader
// and lints it: what does not parse is an error, and only the findings about
// the given headers are kept.
func lintHeaders(lines []string) ([]policy.Finding, error) {
	h := http.Header{}
	var keys []string
	var errs []error
	for _, line := range lines {
		name, value, ok := strings.Cut(line, ":")
		name = strings.TrimSpace(name)
		if !ok || name == "" {
			errs = append(errs, fmt.Errorf("-header %q: want 'Name: value'", line))
			continue
		}
		key, err := headerKey(name)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		keys = append(keys, key)
		h.Add(name, strings.TrimSpace(value))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	p, perrs := policy.FromHeader(h)
	var findings []policy.Finding
	for _, err := range perrs {
		findings = append(findings, errorFindings("", err)...)
	}
	return append(findings, only(policy.Lint(p), keys)...), nil
}

// headerKey returns the path key Lint uses for a header name.
func headerKey(name string) (string, error) {
	switch strings.ToLower(name) {
	case "content-security-policy":
		return "csp", nil
	case "content-security-policy-report-only":
		return "csp-report-only", nil
	case "strict-transport-security":
		return "hsts", nil
	case "public-key-pins", "public-key-pins-report-only":
		return "hpkp", nil
	}
	known := append(policy.Headers(), "Public-Key-Pins-Report-Only")
	for _, k := range known {
		if strings.EqualFold(k, name) {
			return strings.ToLower(k), nil
		}
	}
	fix := "lint knows the headers of policy.Headers()"
	if s := suggest.Closest(name, known); s != "" {
		fix = fmt.Sprintf("did you mean %q?", s)
	}
	return "", fmt.Errorf("-header: unknown header %q (%s)", name, fix)
}

// only keeps the findings whose path is one of keys or below one.
func only(findings []policy.Finding, keys []string) []policy.Finding {
	var out []policy.Finding
	for _, f := range findings {
		for _, k := range keys {
			if f.Path == k || strings.HasPrefix(f.Path, k+".") || strings.HasPrefix(f.Path, k+"[") {
				out = append(out, f)
				break
			}
		}
	}
	return out
}

// errorFindings turns the problems of err into error findings, their paths
// under prefix.
func errorFindings(prefix string, err error) []policy.Finding {
	var out []policy.Finding
	for e := range policy.AllErrors(err) {
		path := e.Path
		switch {
		case prefix == "config" && path != "":
			// Config paths are already complete ("update.CSP…").
		case prefix != "" && path != "":
			path = prefix + "." + path
		case path == "":
			path = prefix
		}
		out = append(out, policy.Finding{Severity: policy.Critical, Path: path, Message: errorMessage(e), Fix: e.Fix})
	}
	return out
}

// errorMessage is e's reason followed by its value, quoted, as in e.Error().
func errorMessage(e *policy.Error) string {
	if e.Value == "" {
		return e.Reason
	}
	return e.Reason + " " + strconv.QuoteToASCII(e.Value)
}

// sortFindings orders findings most serious first, then by path, keeping
// the order of equal ones.
func sortFindings(findings []policy.Finding) {
	slices.SortStableFunc(findings, func(a, b policy.Finding) int {
		if a.Severity != b.Severity {
			return int(b.Severity - a.Severity)
		}
		return strings.Compare(a.Path, b.Path)
	})
}

func hasErrors(findings []policy.Finding) bool { return atLeast(findings, policy.Critical) }

// atLeast reports whether a finding is at least as severe as sev.
func atLeast(findings []policy.Finding, sev policy.Severity) bool {
	return slices.ContainsFunc(findings, func(f policy.Finding) bool { return f.Severity >= sev })
}

// count returns how many findings have each severity.
func count(findings []policy.Finding) (errs, warnings, infos int) {
	for _, f := range findings {
		switch f.Severity {
		case policy.Critical:
			errs++
		case policy.Warning:
			warnings++
		default:
			infos++
		}
	}
	return errs, warnings, infos
}

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// printFindings writes one finding per line and a summary.
func printFindings(w io.Writer, findings []policy.Finding) {
	for _, f := range findings {
		fmt.Fprintln(w, printable(f.String()))
	}
	if len(findings) == 0 {
		fmt.Fprintln(w, "no findings")
		return
	}
	fmt.Fprintln(w, summary(findings))
}

// summary counts findings by severity: "1 critical, 2 warnings, 0 infos".
func summary(findings []policy.Finding) string {
	e, wa, i := count(findings)
	return fmt.Sprintf("%d critical, %s, %s", e, plural(wa, "warning"), plural(i, "info"))
}

// writeJSON writes v as indented JSON, HTML characters unescaped.
func writeJSON(w io.Writer, v any) {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}
