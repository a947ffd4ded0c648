package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"strings"

	"github.com/secureheaders/secureheaders/internal/suggestcsp"
	"github.com/secureheaders/secureheaders/policy"
	"github.com/secureheaders/secureheaders/report"
)

// runSuggest reads violation reports as reports does, groups them, leaves
// the noise out and prints the smallest change to the configuration's
// policy that would have allowed the rest (internal/suggestcsp): a JSON
// fragment of the configuration, what to do about each group, and the
// diff the fragment makes. -o writes the configuration with the fragment
// merged in. -json prints the same as one JSON object (suggestDoc).
//
// Exit codes: 0 when it printed a suggestion (or found nothing to
// suggest), 1 when the configuration does not validate (its errors are
// printed), a report file cannot be read or -o cannot be written, 2 on bad
// usage.
func runSuggest(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("suggest", stderr)
	configPath := fs.String("config", "", "the configuration file (JSON) the reports are about (required)")
	out := fs.String("o", "", "write the configuration with the suggestion applied to this file (it may be the -config file)")
	asJSON := fs.Bool("json", false, "print the suggestion as one JSON object (fragment, notes, noise, targets, summary) instead of text")
	hosts := fs.String("hosts", "", "comma-separated hosts of your own documents (default: the names of the configuration's https.allowedHosts, unless it holds addresses): reports about other hosts are noise")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: secureheaders suggest -config F [-o FILE] [-hosts LIST] [-json] [REPORTS…|-]")
		fmt.Fprintln(stderr, "REPORTS are what secureheaders reports reads: log lines of the default sink, report bodies, snapshots.")
		fs.PrintDefaults()
	}
	if code, ok := parseArgs(fs, args, 0, -1); !ok {
		return code
	}
	if *configPath == "" {
		fmt.Fprintln(stderr, "secureheaders suggest: -config is required: the suggestion is a change to that file's policy")
		fs.Usage()
		return 2
	}
	cfg, err := loadConfig(*configPath)
	if err != nil {
		printErrors(stderr, "secureheaders suggest: "+*configPath, err)
		return 1
	}
	allowed := nameHosts(cfg.hosts)
	if len(allowed) < len(cfg.hosts) && *hosts == "" {
		fmt.Fprintln(stderr, "secureheaders suggest: https.allowedHosts holds addresses or ranges: documents' hosts are not checked; give -hosts with your names to class reports from other hosts as noise")
		allowed = nil
	}
	if *hosts != "" {
		allowed = strings.Split(*hosts, ",")
	}
	agg, err := report.NewAggregator(report.AggregatorOptions{AllowedHosts: allowed, MaxGroups: reportsMaxGroups})
	if err != nil {
		printErrors(stderr, "secureheaders suggest: -hosts", err)
		return 1
	}
	snap, ok := collectReports("secureheaders suggest", fs.Args(), agg, stderr)
	if !ok {
		return 1
	}
	var routes []suggestcsp.Route
	for _, r := range cfg.Routes {
		if p, err := cfg.routePolicy(r); err == nil {
			routes = append(routes, suggestcsp.Route{Pattern: r.Pattern, Policy: p})
		}
	}
	violations, noise := violationsOf(snap)
	s := suggestcsp.Suggest(cfg.Policy, routes, violations)
	if *asJSON {
		doc := newSuggestDoc(s, *configPath, snap, len(violations), noise)
		code := 0
		if *out != "" {
			if writeSuggestion(*configPath, *out, s, stderr) {
				doc.Wrote = *out
			} else {
				code = 1
			}
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false) // "<script>" in an action reads as written
		if err := enc.Encode(doc); err != nil {
			fmt.Fprintf(stderr, "secureheaders suggest: %v\n", err)
			return 1
		}
		return code
	}
	printSuggestion(stdout, s, *configPath, snap)
	fmt.Fprintf(stdout, "%d reports in %d groups: %d suggested on, %d noise left out", snap.Reports, len(snap.Groups), len(violations), noise)
	if snap.Evicted > 0 {
		fmt.Fprintf(stdout, ", %d groups evicted", snap.Evicted)
	}
	fmt.Fprintln(stdout)
	if *out == "" {
		return 0
	}
	if !writeSuggestion(*configPath, *out, s, stderr) {
		return 1
	}
	fmt.Fprintf(stdout, "wrote %s\n", *out)
	return 0
}

// writeSuggestion writes the configuration at configPath with s merged to
// out (applySuggestion, then a temporary file and a rename), or says on
// stderr why it did not.
func writeSuggestion(configPath, out string, s suggestcsp.Suggestion, stderr io.Writer) bool {
	data, err := os.ReadFile(configPath)
	if err != nil {
		fmt.Fprintf(stderr, "secureheaders suggest: %v\n", err)
		return false
	}
	applied, err := applySuggestion(data, s)
	if err != nil {
		fmt.Fprintf(stderr, "secureheaders suggest: %s not written: %v\n", out, err)
		return false
	}
	if err := writeFileAtomic(out, applied); err != nil {
		fmt.Fprintf(stderr, "secureheaders suggest: %s not written: %v\n", out, err)
		return false
	}
	return true
}

// printSuggestion writes the fragment, the notes and the diff of each
// target.
func printSuggestion(w io.Writer, s suggestcsp.Suggestion, configPath string, snap report.Snapshot) {
	if len(s.Targets) == 0 {
		fmt.Fprintln(w, "No change to suggest for "+configPath+".")
	} else {
		fmt.Fprintf(w, "Fragment to merge into %s (-o writes it merged):\n", configPath)
		w.Write(s.Fragment())
	}
	if len(s.Notes) > 0 {
		fmt.Fprintln(w, "\nWhat the reports say:")
	}
	for _, n := range s.Notes {
		where := "app policy"
		if n.Route != "" {
			where = "route " + cell(n.Route)
		}
		what := "enforced"
		if strings.HasSuffix(n.Header, "Report-Only") {
			what = "report-only"
		}
		fmt.Fprintf(w, "- %s %s %s (%s, %s), %s:\n", cell(n.Directive), cell(n.Blocked), plural(int(min(n.Count, 1<<31)), "report"), what, where, plural(len(n.Where)+n.More, "place"))
		if n.Added != "" {
			fmt.Fprintf(w, "    added: %s\n", n.Added)
		}
		fmt.Fprintf(w, "    do: %s\n", n.Action)
		if n.Risk != "" {
			fmt.Fprintf(w, "    RISK: %s\n", n.Risk)
		}
		for _, at := range n.Where {
			fmt.Fprintf(w, "    at %s\n", printable(at))
		}
		if n.More > 0 {
			fmt.Fprintf(w, "    and %d more\n", n.More)
		}
	}
	for _, g := range snap.Groups {
		if g.Noise == report.NoiseBlockerMedia {
			fmt.Fprintf(w, "- %s %s %s on %s: left out as noise (content blockers inject data: images); if your pages use data: images, add data: to img-src yourself\n",
				cell(g.Directive), cell(g.Blocked), plural(int(min(g.Count, 1<<31)), "report"), cell(g.Path))
		}
	}
	for _, t := range s.Targets {
		where := "the app policy"
		if t.Pattern != "" {
			where = "route " + cell(t.Pattern) + " (its part of the fragment; the app policy's part applies under it too)"
		}
		fmt.Fprintf(w, "\nDiff of %s:\n", where)
		printChanges(w, "", policy.Diff(t.Before, t.After))
	}
}

// violationsOf returns the groups of s that are not noise, as suggestcsp
// reads them, and how many groups are noise.
func violationsOf(s report.Snapshot) (vs []suggestcsp.Violation, noise int) {
	for _, g := range s.Groups {
		if g.Noise != "" {
			noise++
			continue
		}
		v := suggestcsp.Violation{Disposition: g.Disposition, Directive: g.Directive, Blocked: g.Blocked, Path: g.Path, Count: g.Count}
		for _, sm := range g.Samples {
			v.Samples = append(v.Samples, suggestcsp.Sample{SourceFile: sm.SourceFile, Line: sm.Line, Sample: sm.Sample})
		}
		vs = append(vs, v)
	}
	return vs, noise
}

// nameHosts returns the host names and *.suffix patterns of an
// https.allowedHosts list, without its IP addresses and ranges.
func nameHosts(hosts []string) []string {
	var out []string
	for _, h := range hosts {
		if strings.ContainsAny(h, ":/[") || net.ParseIP(h) != nil {
			continue
		}
		out = append(out, h)
	}
	return out
}
