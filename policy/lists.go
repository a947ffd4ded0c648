package policy

import (
	"fmt"
	"slices"
	"strings"

	"github.com/secureheaders/secureheaders/internal/cfgerr"
	"github.com/secureheaders/secureheaders/internal/headerval"
)

// ReferrerPolicy is Referrer-Policy (W3C Referrer Policy): one or more
// tokens; the last one the browser understands wins, so earlier ones are
// fallbacks for older browsers. Empty means not sent.
//
//	policy.ReferrerPolicy{policy.NoReferrer, policy.StrictOriginWhenCrossOrigin}
//
// https://www.w3.org/TR/referrer-policy/
type ReferrerPolicy []ReferrerToken

// ReferrerToken is one Referrer-Policy token.
type ReferrerToken string

// Referrer-Policy tokens, from the least to the most sent (the spec's
// names, in CamelCase).
const (
	NoReferrer                  ReferrerToken = "no-referrer"                     // never send a Referer
	SameOrigin                  ReferrerToken = "same-origin"                     // the full URL to this origin, nothing elsewhere
	StrictOrigin                ReferrerToken = "strict-origin"                   // the origin, not on HTTPS to HTTP
	Origin                      ReferrerToken = "origin"                          // the origin only, even on HTTPS to HTTP
	StrictOriginWhenCrossOrigin ReferrerToken = "strict-origin-when-cross-origin" // browsers' default and presets': full URL to this origin, origin elsewhere, nothing on HTTPS to HTTP
	OriginWhenCrossOrigin       ReferrerToken = "origin-when-cross-origin"        // full URL to this origin, origin elsewhere, even on HTTPS to HTTP
	NoReferrerWhenDowngrade     ReferrerToken = "no-referrer-when-downgrade"      // the full URL except on HTTPS to HTTP
	UnsafeURL                   ReferrerToken = "unsafe-url"                      // the full URL everywhere, even on HTTPS to HTTP; Lint warns
)

var referrerValues = strs(
	NoReferrer, NoReferrerWhenDowngrade, Origin, OriginWhenCrossOrigin,
	SameOrigin, StrictOrigin, StrictOriginWhenCrossOrigin, UnsafeURL,
)

// Validate reports any token that is not a Referrer-Policy value.
func (v ReferrerPolicy) validate() error { return eachOneOf(strs(v...), referrerValues) }

// eachOneOf checks every item of a token list, naming each bad one's index.
func eachOneOf(items, allowed []string) error {
	var errs []error
	for i, t := range items {
		if err := oneOf(t, allowed); err != nil {
			errs = append(errs, cfgerr.Prefix(cfgerr.Index(i), err))
		}
	}
	return cfgerr.Join(errs)
}

// String renders the tokens joined by ", ".
func (v ReferrerPolicy) String() string { return strings.Join(strs(v...), ", ") }

// ClearSiteData is Clear-Site-Data: the data types to clear, e.g. "cache",
// "cookies", "storage", "executionContexts", or "*". Empty means not sent.
// Types are written bare; String quotes them as the header requires.
type ClearSiteData []string

var clearSiteDataValues = []string{"cache", "cookies", "storage", "executionContexts", "clientHints", "prefetchCache", "prerenderCache", "*"}

// Validate reports any type that Clear-Site-Data does not define.
func (v ClearSiteData) validate() error { return eachOneOf(v, clearSiteDataValues) }

// String renders `"cache", "cookies"`.
func (v ClearSiteData) String() string {
	var b strings.Builder
	for i, t := range v {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('"')
		b.WriteString(t)
		b.WriteByte('"')
	}
	return b.String()
}

// PermissionsPolicy is Permissions-Policy: each feature mapped to its
// allowlist. An empty allowlist disables the feature (`camera=()`); entries
// are "self", "src", "*" or an origin such as "https://a.example". Features
// render sorted by name, so equal policies render equal strings. Empty means
// not sent.
type PermissionsPolicy map[string][]string

// Validate reports malformed feature names and allowlist entries.
func (v PermissionsPolicy) validate() error {
	var errs []error
	for _, f := range sortedKeys(v) {
		if !isSFKey(f) {
			errs = append(errs, &Error{Path: f, Reason: "not a feature name", Fix: "use a lower-case name such as \"camera\" or \"geolocation\""})
		}
		for i, o := range v[f] {
			if err := checkAllowlistEntry(o); err != nil {
				errs = append(errs, cfgerr.Prefix(fmt.Sprintf("%s[%d]", f, i), err))
			}
		}
		if len(v[f]) > 1 && slices.Contains(v[f], "*") {
			errs = append(errs, &Error{Path: f, Reason: `"*" allows every origin, so the other entries do nothing`, Fix: `write ["*"] alone, or list the origins without "*"`})
		}
	}
	return cfgerr.Join(errs)
}

func checkAllowlistEntry(o string) error {
	switch o {
	case "self", "src", "*":
		return nil
	}
	if err := headerval.CheckAtom(o); err != nil || strings.ContainsAny(o, `"\()`) {
		return &Error{Value: o, Reason: "invalid allowlist entry", Fix: `use "self", "src", "*" or an origin like "https://a.example"`}
	}
	scheme, rest, ok := strings.Cut(o, "://")
	if !ok || scheme == "" || rest == "" || strings.Contains(rest, "/") {
		return &Error{Value: o, Reason: "allowlist entry is not an origin:", Fix: `write an origin like "https://a.example" (scheme, host, optional port, no path)`}
	}
	return nil
}

// isSFKey reports whether s is a structured-field key (RFC 8941 §3.1.2).
func isSFKey(s string) bool {
	if s == "" || !(s[0] >= 'a' && s[0] <= 'z' || s[0] == '*') {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.' || c == '*') {
			return false
		}
	}
	return true
}

// String renders `camera=(), geolocation=(self "https://a.example")`.
// An allowlist holding "*" renders as `feature=*`.
func (v PermissionsPolicy) String() string {
	var b strings.Builder
	n := 0
	for f, list := range v {
		n += len(f) + len(", =()")
		for _, o := range list {
			n += len(o) + len(` ""`)
		}
	}
	b.Grow(n)
	for i, f := range sortedKeys(v) {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(f)
		b.WriteByte('=')
		list := v[f]
		if slices.Contains(list, "*") {
			b.WriteByte('*')
			continue
		}
		b.WriteByte('(')
		for j, o := range list {
			if j > 0 {
				b.WriteByte(' ')
			}
			if o == "self" || o == "src" {
				b.WriteString(o)
			} else {
				b.WriteByte('"')
				b.WriteString(o)
				b.WriteByte('"')
			}
		}
		b.WriteByte(')')
	}
	return b.String()
}

// ReportingEndpoints is Reporting-Endpoints (Reporting API): each endpoint
// name mapped to its URL, an absolute https URL or a path on the same origin.
// A CSP report-to directive must name one of these. Endpoints render sorted by
// name. Empty means not sent.
type ReportingEndpoints map[string]string

// Validate reports malformed endpoint names and URLs.
func (v ReportingEndpoints) validate() error {
	var errs []error
	for _, name := range sortedKeys(v) {
		if !isSFKey(name) {
			errs = append(errs, &Error{Path: name, Reason: "not an endpoint name", Fix: `use a lower-case name such as "csp-endpoint"`})
		}
		u := v[name]
		if err := headerval.CheckAtom(u); err != nil || strings.ContainsAny(u, `"\`) {
			errs = append(errs, &Error{Path: name, Value: u, Reason: "invalid URL", Fix: `write "https://example.com/reports" or "/reports"`})
		} else if !strings.HasPrefix(u, "https://") && !(strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "//")) {
			errs = append(errs, &Error{Path: name, Value: u, Reason: "neither an https URL nor a path:", Fix: "browsers deliver reports only to secure endpoints: use https:// or a path on this origin"})
		}
	}
	return cfgerr.Join(errs)
}

// String renders `csp="/csp-report", default="https://r.example/"`.
func (v ReportingEndpoints) String() string {
	var b strings.Builder
	for i, name := range sortedKeys(v) {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(name)
		b.WriteString(`="`)
		b.WriteString(v[name])
		b.WriteByte('"')
	}
	return b.String()
}

// sortedKeys returns the keys of m in order, in one allocation
// (slices.Sorted(maps.Keys(m)) grows its slice as it collects).
func sortedKeys[M ~map[string]V, V any](m M) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
