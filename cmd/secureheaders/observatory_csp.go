package main

import (
	"slices"
	"strings"

	"github.com/secureheaders/secureheaders/policy"
)

// cspResult is the Observatory's CSP test result, with what the
// X-Frame-Options test reads from it.
type cspResult struct {
	scoreTest
	// frameAncestors says the policy parsed and its header has
	// frame-ancestors (any value: the Observatory credits the directive,
	// not its sources); metaFrameAncestors that only a <meta> policy has it.
	frameAncestors, metaFrameAncestors bool
}

// sourceSet is one directive's sources, lower-cased. A map, so that two
// names for one list (script-src falling back to default-src) share it, as
// they do in the Observatory: removing 'unsafe-inline' from script-src
// there removes it from default-src too.
type sourceSet map[string]bool

func (s sourceSet) any(pred func(string) bool) bool {
	for src := range s {
		if pred(src) {
			return true
		}
	}
	return false
}

// broadSources allow any host of a scheme, or every host.
var broadSources = []string{"ftp:", "http:", "https:", "*", "http://*", "http://*.*", "https://*", "https://*.*"}

func isBroad(src string) bool { return contains(broadSources, src) }
func isInlineOrBroad(src string) bool {
	return src == "'unsafe-inline'" || src == "data:" || isBroad(src)
}
func isInsecureScheme(src string) bool {
	return strings.HasPrefix(src, "http:") || strings.HasPrefix(src, "ftp:")
}
func isNonceOrHash(src string) bool {
	for _, p := range []string{"'sha256-", "'sha384-", "'sha512-", "'nonce-"} {
		if strings.HasPrefix(src, p) {
			return true
		}
	}
	return false
}

// cspTest grades the enforced Content-Security-Policy of the page: its
// header, and the policies of its <meta http-equiv> elements, combined as
// parseCSPLikeObservatory does.
func cspTest(s *site) cspResult {
	const name = "content-security-policy"
	var header []string
	if v, ok := field(s.page, "Content-Security-Policy"); ok {
		header = []string{v}
	}
	csp, dup, err := parseCSPLikeObservatory(append(slices.Clone(header), s.metaCSP...))
	if err != nil {
		return cspResult{scoreTest: scored(name, "csp-header-invalid")}
	}
	// frame-ancestors, report-uri and sandbox do nothing in <meta>: a meta
	// policy of only those is no policy.
	headerOnly, _, _ := parseCSPLikeObservatory(header)
	metaOnly, _, _ := parseCSPLikeObservatory(s.metaCSP)
	for _, d := range []string{"frame-ancestors", "report-uri", "sandbox"} {
		delete(metaOnly, d)
	}
	if len(headerOnly)+len(metaOnly) == 0 {
		if ro, _ := field(s.page, "Content-Security-Policy-Report-Only"); ro != "" {
			return cspResult{scoreTest: scored(name, "csp-not-implemented-but-reporting-enabled")}
		}
		return cspResult{scoreTest: scored(name, "csp-not-implemented")}
	}
	// The Observatory credits a frame-ancestors of a <meta> policy too,
	// which browsers ignore; check counts the header's only.
	out := cspResult{frameAncestors: headerOnly["frame-ancestors"] != nil, metaFrameAncestors: csp["frame-ancestors"] != nil && headerOnly["frame-ancestors"] == nil}

	fallback := func(names ...string) sourceSet {
		for _, n := range names {
			if set, ok := csp[n]; ok {
				return set
			}
		}
		return sourceSet{"*": true}
	}
	objectSrc := fallback("object-src", "default-src")
	scriptSrc := fallback("script-src", "default-src")
	styleSrc := fallback("style-src", "default-src")

	// Browsers ignore 'unsafe-inline' beside a nonce or a hash.
	for _, list := range []sourceSet{scriptSrc, styleSrc} {
		if list.any(isNonceOrHash) {
			delete(list, "'unsafe-inline'")
		}
	}
	result := ""
	set := func(r string) {
		if result == "" {
			result = r
		}
	}
	// 'strict-dynamic' beside a nonce or hash makes browsers ignore host
	// and scheme sources, 'self' and 'unsafe-inline'; without one it is a
	// policy that allows no script, which the Observatory calls invalid.
	if scriptSrc["'strict-dynamic'"] {
		if scriptSrc.any(isNonceOrHash) {
			for src := range scriptSrc {
				if src == "'self'" || src == "'unsafe-inline'" || hasAnyPrefix(src, broadSources) {
					delete(scriptSrc, src)
				}
			}
		} else {
			set("csp-header-invalid")
		}
	}

	// Active content: every directive but img-src and media-src, with
	// script-src as it stands after the rules above.
	var active []string
	for d, list := range csp {
		if d == "img-src" || d == "media-src" || d == "script-src" {
			continue
		}
		for src := range list {
			active = append(active, src)
		}
	}
	for src := range scriptSrc {
		active = append(active, src)
	}
	var passive []string
	for _, d := range []string{"img-src", "media-src"} {
		list, ok := csp[d]
		if !ok {
			list = csp["default-src"]
		}
		for src := range list {
			passive = append(passive, src)
		}
	}

	if scriptSrc.any(isInlineOrBroad) || objectSrc.any(isBroad) {
		set("csp-implemented-with-unsafe-inline")
	}
	if s.pageHTTPS && anyOf(active, isInsecureScheme) {
		set("csp-implemented-with-insecure-scheme")
	}
	if scriptSrc["'unsafe-eval'"] || styleSrc["'unsafe-eval'"] {
		set("csp-implemented-with-unsafe-eval")
	}
	if s.pageHTTPS && anyOf(passive, isInsecureScheme) {
		set("csp-implemented-with-insecure-scheme-in-passive-content-only")
	}
	if styleSrc.any(isInlineOrBroad) {
		set("csp-implemented-with-unsafe-inline-in-style-src-only")
	}
	if d := csp["default-src"]; len(d) == 1 && d["'none'"] {
		set("csp-implemented-with-no-unsafe-default-src-none")
	}
	set("csp-implemented-with-no-unsafe")

	// A repeated report-uri or report-to costs the bonus of a passing policy.
	switch result {
	case "csp-implemented-with-no-unsafe", "csp-implemented-with-no-unsafe-default-src-none",
		"csp-implemented-with-unsafe-inline-in-style-src-only", "csp-implemented-with-insecure-scheme-in-passive-content-only":
		if dup {
			result = "csp-implemented-but-duplicate-directives"
		}
	}
	out.scoreTest = scored(name, result)
	return out
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

func anyOf(list []string, pred func(string) bool) bool {
	for _, s := range list {
		if pred(s) {
			return true
		}
	}
	return false
}

// cspVerdict makes the CSP test fail when the Observatory passes a policy
// that Lint finds lets injected scripts run (a critical finding on the
// enforced CSP): check grades no such site better than one whose policy
// the Observatory itself fails for unsafe scripts.
func cspVerdict(tests []scoreTest, findings []policy.Finding) {
	critical := slices.ContainsFunc(findings, func(f policy.Finding) bool {
		return f.Severity == policy.Critical && (f.Path == "csp" || strings.HasPrefix(f.Path, "csp."))
	})
	if !critical {
		return
	}
	for i, t := range tests {
		if t.Name == "content-security-policy" && t.Modifier >= 0 {
			tests[i] = scored(t.Name, "csp-script-injection-allowed")
			tests[i].Ours = true
		}
	}
}
