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
	Critical                 // the policy is invalid or defeats itself
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
// Validate error (Critical) and warnings for weak-but-legal choices (a CSP
// without object-src or base-uri, 'unsafe-inline', 'unsafe-eval', wildcard
// script sources, 'strict-dynamic' without a nonce or hash, fixed nonces,
// missing frame protection, short or absent HSTS, HPKP at all, X-XSS-Protection
// other than 0, ALLOW-FROM, …). Lint never changes p.
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
	if len(p.CSP[csp.FrameAncestors]) == 0 && p.FrameOptions == "" {
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

// lintCSP adds the CSP findings for c under key.
func lintCSP(add func(Severity, string, string, string), key string, c csp.Policy) {
	defaultNone := slices.Equal(c[csp.DefaultSrc], []csp.Source{csp.None})
	if _, ok := c[csp.ObjectSrc]; !ok && !defaultNone {
		add(Warning, key+".object-src", "object-src is not restricted: plugins can run script", "add object-src 'none'")
	}
	if _, ok := c[csp.BaseURI]; !ok {
		add(Warning, key+".base-uri", "base-uri is missing: an injected <base> tag can redirect relative script URLs", "add base-uri 'self' (or 'none')")
	}
	scriptDir := csp.ScriptSrc
	scripts, ok := c[scriptDir]
	if !ok {
		scriptDir = csp.DefaultSrc
		scripts, ok = c[scriptDir]
	}
	path := key + "." + string(scriptDir)
	if !ok {
		add(Warning, key+".script-src", "neither script-src nor default-src: scripts may load from anywhere", "add script-src 'self' or a nonce")
		return
	}
	hasNonceOrHash := false
	for _, s := range scripts {
		if s.Kind == csp.NonceSlot || s.Kind == csp.Nonce || s.Kind == csp.Hash {
			hasNonceOrHash = true
		}
	}
	for _, s := range scripts {
		switch {
		case s == csp.UnsafeInline && hasNonceOrHash:
			add(Warning, path, "'unsafe-inline' next to a nonce or hash: CSP2+ browsers ignore it, older ones run every inline script", "remove 'unsafe-inline'")
		case s == csp.UnsafeInline:
			add(Warning, path, "'unsafe-inline' lets injected inline scripts run, which defeats most of CSP", "use a nonce ('nonce') or hashes")
		case s == csp.UnsafeEval:
			add(Warning, path, "'unsafe-eval' lets strings run as code (eval, new Function)", "remove it; refactor the code that needs eval")
		case s.Kind == csp.Host && (s.Value == "*" || s.Value == "http:" || s.Value == "https:"):
			add(Warning, path, fmt.Sprintf("%q allows scripts from any host", s.Value), "list the hosts you load scripts from, or use a nonce with 'strict-dynamic'")
		case s.Kind == csp.Scheme && (s.Value == "http:" || s.Value == "https:" || s.Value == "data:" || s.Value == "blob:"):
			add(Warning, path, fmt.Sprintf("%q allows scripts from any host of that scheme", s.Value), "list the hosts you load scripts from, or use a nonce with 'strict-dynamic'")
		case s.Kind == csp.Nonce:
			add(Warning, path, "a fixed nonce is the same on every response, so an attacker can reuse it", "use the per-request nonce slot ('nonce')")
			if len(s.Value) < 22 {
				add(Warning, path, "nonce shorter than 128 bits", "use at least 16 random bytes")
			}
		}
	}
	if slices.Contains(scripts, csp.StrictDynamic) && !hasNonceOrHash {
		add(Warning, path, "'strict-dynamic' without a nonce or hash blocks every script", "add the per-request nonce ('nonce') or hashes")
	}
	if _, ok := c[csp.ReportURI]; ok {
		if _, ok := c[csp.ReportTo]; !ok {
			add(Info, key+".report-uri", "report-uri is deprecated in CSP3; browsers that know report-to prefer it", "add report-to with a Reporting-Endpoints entry, and keep report-uri for older browsers")
		}
	}
}

func lintHSTS(add func(Severity, string, string, string), h *hsts.Policy) {
	switch {
	case h == nil:
		add(Warning, "hsts", "no Strict-Transport-Security: the first request of each visit can be downgraded to HTTP", "send max-age=31536000; includeSubDomains")
	case h.MaxAge < hsts.OneYear:
		add(Warning, "hsts.max-age", fmt.Sprintf("max-age of %d seconds is under a year", int64(h.MaxAge.Seconds())), "use at least 31536000")
	case h.PreloadReady() != nil:
		add(Info, "hsts.preload", "not eligible for the HSTS preload list", "when every subdomain serves HTTPS, add includeSubDomains and preload")
	}
}
