package policy

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/secureheaders/secureheaders/csp"
	"github.com/secureheaders/secureheaders/hsts"
)

// Severity ranks a Finding. Each prints, and marshals to JSON, as its name
// in lower case: "info", "warning", "critical".
type Severity int

// Severities, least to most serious.
const (
	Info     Severity = iota // worth knowing; nothing is weakened
	Warning                  // valid, but weaker than it should be
	Critical                 // the policy is invalid or defeats itself (CSP Evaluator's HIGH)
)

var severityNames = [...]string{"info", "warning", "critical"}

// String returns "info", "warning" or "critical", and "Severity(n)" for a
// value out of range.
func (s Severity) String() string {
	if s < 0 || int(s) >= len(severityNames) {
		return fmt.Sprintf("Severity(%d)", int(s))
	}
	return severityNames[s]
}

// MarshalText renders the severity as String does. A value out of range is
// an error, so JSON never carries a severity UnmarshalText refuses.
func (s Severity) MarshalText() ([]byte, error) {
	if s < 0 || int(s) >= len(severityNames) {
		return nil, fmt.Errorf("policy: invalid severity %d", int(s))
	}
	return []byte(s.String()), nil
}

// UnmarshalText reads "info", "warning" or "critical", in any case.
func (s *Severity) UnmarshalText(b []byte) error {
	for i, n := range severityNames {
		if strings.EqualFold(string(b), n) {
			*s = Severity(i)
			return nil
		}
	}
	return fmt.Errorf("policy: unknown severity %q (use %q, %q or %q)", b, severityNames[0], severityNames[1], severityNames[2])
}

// Finding is one lint result.
type Finding struct {
	Severity Severity `json:"severity"`
	// Path names the header and part: "csp.script-src", "hsts.max-age".
	Path    string `json:"path"`
	Message string `json:"message"`
	Fix     string `json:"fix,omitempty"`
}

func (f Finding) String() string {
	s := fmt.Sprintf("%s: %s: %s", f.Severity, f.Path, f.Message)
	if f.Path == "" {
		s = fmt.Sprintf("%s: %s", f.Severity, f.Message)
	}
	if f.Fix != "" {
		s += " (fix: " + f.Fix + ")"
	}
	return s
}

// MarshalJSON is the default encoding; it exists so Finding stays stable if
// fields are added.
func (f Finding) MarshalJSON() ([]byte, error) {
	type plain Finding
	return json.Marshal(plain(f))
}

// Lint returns findings for p, most serious first, then by path: every
// Validate error (Critical) and the findings for weak-but-legal choices.
//
// The CSP is linted as browsers apply it: each fetch directive is read
// through the CSP3 fallback chain (script-src-elem → script-src →
// default-src, worker-src → child-src → script-src → default-src, …), and a
// finding is reported at the directive that holds the source, for the most
// serious thing that directive governs. What lets script run in the page
// (any host in any spelling: *, https://*, *:*, *.com, https:; data:,
// blob:, filesystem:; a whole host known to serve JSONP or AngularJS; an
// active 'unsafe-inline'; no script-src, object-src or, beside a nonce,
// base-uri; any host in object-src or base-uri) is Critical, as CSP
// Evaluator rates it HIGH. 'unsafe-eval', 'unsafe-hashes'
// with hashes, 'strict-dynamic' without a nonce or hash, fixed nonces,
// plain-HTTP script hosts, weak styles, connect-src to any host,
// frame-ancestors that allows any site, CSP1's unquoted inline and eval,
// missing frame protection, short or absent HSTS, HPKP at all,
// X-XSS-Protection other than 0, ALLOW-FROM, 'unsafe-inline' beside a
// nonce (ignored by CSP2+ browsers, everything to older ones), … are
// warnings. Hosts and schemes beside 'strict-dynamic' and a nonce or hash,
// which CSP3 browsers ignore, are not reported. docs/exporting.md maps each
// rule to CSP Evaluator's checks. Lint never changes p.
func Lint(p Policy) []Finding {
	var out []Finding
	add := func(sev Severity, path, msg, fix string) {
		out = append(out, Finding{Severity: sev, Path: path, Message: msg, Fix: fix})
	}
	for e := range AllErrors(Validate(p)) {
		msg := e.Reason
		if e.Value != "" {
			msg += " " + strconv.QuoteToASCII(e.Value)
		}
		add(Critical, e.Path, msg, e.Fix)
	}

	switch {
	case len(p.CSP) > 0:
		lintCSP(add, "csp", p.CSP)
	case len(p.CSPReportOnly) > 0:
		add(Warning, "csp", "only a report-only CSP is sent: nothing is enforced", "send an enforced Content-Security-Policy once the reports are clean")
		lintCSP(add, "csp-report-only", p.CSPReportOnly)
	default:
		add(Warning, "csp", "no Content-Security-Policy: injected scripts run freely", `start from "default-src 'self'; object-src 'none'; base-uri 'self'"`)
	}
	ancestors, hasAncestors := p.CSP[csp.FrameAncestors]
	if i := slices.IndexFunc(ancestors, anyOrigin); i >= 0 {
		msg := fmt.Sprintf("%q lets any site frame the page for clickjacking", ancestors[i].String())
		if p.FrameOptions != "" {
			msg += ", and browsers that know frame-ancestors then ignore X-Frame-Options"
		}
		add(Warning, "csp.frame-ancestors", msg, "use frame-ancestors 'self' or 'none', or list the sites that may frame the page")
	} else if !hasAncestors && p.FrameOptions == "" {
		add(Warning, "x-frame-options", "no frame protection: pages can be framed for clickjacking", `set CSP frame-ancestors 'self' (or 'none') and X-Frame-Options: DENY or SAMEORIGIN`)
	}
	if strings.HasPrefix(string(p.FrameOptions), "ALLOW-FROM") {
		add(Warning, "x-frame-options", "ALLOW-FROM is ignored by current browsers, so the page can be framed by anyone", "use CSP frame-ancestors with the allowed origin")
	}
	lintHSTS(add, p.HSTS)
	if p.HPKP != nil {
		add(Warning, "hpkp", "Public-Key-Pins is deprecated and ignored by browsers; a wrong pin once locked users out for max-age", "remove HPKP; use Certificate Transparency monitoring instead")
	}
	if p.XSSProtection != "" && p.XSSProtection != XSSOff {
		add(Warning, "x-xss-protection", fmt.Sprintf("%q enables a removed XSS filter that could be abused to leak data", p.XSSProtection), `send "0" and rely on CSP`)
	}
	if p.ContentTypeOptions == "" {
		add(Warning, "x-content-type-options", "no X-Content-Type-Options: browsers may sniff responses into scripts", `send "nosniff"`)
	}
	if slices.Contains(p.ReferrerPolicy, UnsafeURL) {
		add(Warning, "referrer-policy", "unsafe-url sends full URLs, including paths and queries, to every site, even over HTTP", `use "strict-origin-when-cross-origin"`)
	}
	slices.SortStableFunc(out, func(a, b Finding) int {
		if a.Severity != b.Severity {
			return int(b.Severity - a.Severity)
		}
		return strings.Compare(a.Path, b.Path)
	})
	return out
}

func lintHSTS(add func(Severity, string, string, string), h *hsts.Policy) {
	switch {
	case h == nil:
		add(Warning, "hsts", "no Strict-Transport-Security: the first request of each visit can be downgraded to HTTP", "send max-age=31536000; includeSubDomains")
	case h.MaxAge < hsts.OneYear:
		add(Warning, "hsts.max-age", fmt.Sprintf("max-age of %d seconds is under a year", int64(h.MaxAge.Seconds())), "use at least 31536000")
	case h.PreloadReady() != nil:
		fix := "when every subdomain serves HTTPS, add includeSubDomains and preload"
		if h.IncludeSubDomains {
			fix = "add preload, then submit the domain at https://hstspreload.org"
		}
		add(Info, "hsts.preload", "not eligible for the HSTS preload list", fix)
	}
}
