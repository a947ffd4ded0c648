package main

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/secureheaders/secureheaders/htmlhash"
	"github.com/secureheaders/secureheaders/policy"
)

// lintPages reports, for the HTML files named by args (files, or every
// *.html under a directory, read as hash reads them), each <script src>
// from another host without integrity, and each loaded over http: or a
// protocol-relative //host URL: what the Observatory's subresource-integrity
// test deducts points for. A relative src is the site's own file; every
// absolute or protocol-relative one counts as another host, since a static
// tree does not say where it is served. Files that cannot be read are
// returned as errors, one each.
func lintPages(args []string) ([]policy.Finding, []error) {
	type pageFindings struct {
		url      string
		findings []policy.Finding
	}
	var byPage []pageFindings
	skipped := walkPages(args, func(p page) {
		var out []policy.Finding
		for i, sc := range htmlhash.Scripts(p.doc) {
			if sc.Src == "" {
				continue
			}
			kind, u := classifyScript(sc.Src)
			if kind == scriptRelative {
				continue
			}
			path := "html" + p.url + ".script[" + strconv.Itoa(i) + "]"
			insecure := kind == scriptProtocolRelative || u == nil || u.Scheme != "https"
			if insecure {
				out = append(out, policy.Finding{Severity: policy.Warning, Path: path,
					Message: fmt.Sprintf("<script src=%q> is not an https:// URL: on HTTPS browsers block an http: script, and over plain HTTP anyone on the network can change it", sc.Src),
					Fix:     "load it from an https:// URL"})
			}
			if sc.Integrity == "" {
				out = append(out, policy.Finding{Severity: policy.Warning, Path: path,
					Message: fmt.Sprintf("<script src=%q> from another host has no integrity attribute: whoever controls that host runs code in your pages", sc.Src),
					Fix:     `add integrity="sha384-…" crossorigin="anonymous" (secureheaders sri FILE prints the value of a downloaded copy)`})
			}
		}
		byPage = append(byPage, pageFindings{p.url, out})
	})
	// Pages in URL order, for stable output whatever the walk's order.
	slices.SortStableFunc(byPage, func(a, b pageFindings) int { return strings.Compare(a.url, b.url) })
	var out []policy.Finding
	for _, p := range byPage {
		out = append(out, p.findings...)
	}
	return out, skipped
}
