package main

import (
	"errors"
	"slices"
	"strings"

	"github.com/secureheaders/secureheaders/policy"
)

// cspResult is the Observatory's CSP test result, with what the
// X-Frame-Options test reads from it.
type cspResult struct {
	scoreTest
	// frameAncestors says the policy parsed and has frame-ancestors (any
	// value: the Observatory credits the directive, not its sources).
	frameAncestors bool
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

// errCSPSyntax is what parseCSPLikeObservatory refuses.
var errCSPSyntax = errors.New("CSP cannot be parsed")

// shortestPolicy is the length under which the Observatory refuses a
// policy: "img-src" less one.
const shortestPolicy = len("img-src") - 1

// parseCSPLikeObservatory reads a Content-Security-Policy value as the
// Observatory does: directive names and sources lower-cased, a -src
// directive without sources is 'none', a repeated directive is an error
// but for report-uri and report-to (the first is kept; dup says so). It
// returns a nil map for a value with no directive.
func parseCSPLikeObservatory(v string) (csp map[string]sourceSet, dup bool, err error) {
	v = strings.TrimSpace(strings.NewReplacer("\r", "", "\n", "").Replace(v))
	if len(v) < shortestPolicy {
		return nil, false, errCSPSyntax
	}
	for d := range strings.SplitSeq(v, ";") {
		f := strings.Fields(d)
		if len(f) == 0 {
			continue
		}
		name := strings.ToLower(f[0])
		if _, seen := csp[name]; seen {
			if name != "report-uri" && name != "report-to" {
				return nil, false, errCSPSyntax
			}
			dup = true
			continue
		}
		set := sourceSet{}
		for _, s := range f[1:] {
			set[strings.ToLower(s)] = true
		}
		if len(set) == 0 && strings.HasSuffix(name, "-src") {
			set["'none'"] = true
		}
		if csp == nil {
			csp = map[string]sourceSet{}
		}
		csp[name] = set
	}
	return csp, dup, nil
}

// cspTest grades the enforced Content-Security-Policy header of the page.
// A <meta http-equiv> policy is not read (docs/exporting.md).
func cspTest(s *site) cspResult {
	const name = "content-security-policy"
	v, ok := field(s.page, "Content-Security-Policy")
	if !ok {
		v = ""
	}
	var csp map[string]sourceSet
	dup := false
	if ok {
		var err error
		if csp, dup, err = parseCSPLikeObservatory(v); err != nil {
			return cspResult{scoreTest: scored(name, "csp-header-invalid")}
		}
	}
	if len(csp) == 0 {
		if ro, _ := field(s.page, "Content-Security-Policy-Report-Only"); ro != "" {
			return cspResult{scoreTest: scored(name, "csp-not-implemented-but-reporting-enabled")}
		}
		return cspResult{scoreTest: scored(name, "csp-not-implemented")}
	}
	out := cspResult{frameAncestors: csp["frame-ancestors"] != nil}

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
