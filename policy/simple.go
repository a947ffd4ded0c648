package policy

import (
	"errors"
	"fmt"
	"strings"

	"github.com/secureheaders/secureheaders/internal/directive"
	"github.com/secureheaders/secureheaders/internal/headerval"
)

// The simpler headers are typed strings: the empty string means "not sent".
// Each type's Validate reports a value the header's grammar does not allow,
// with the allowed values in the fix; String returns the value as sent.

// FrameOptions is X-Frame-Options (RFC 7034): FrameDeny or FrameSameOrigin.
// "ALLOW-FROM uri" is accepted for migrations but browsers ignore it; Lint
// warns and points at CSP frame-ancestors.
type FrameOptions string

// X-Frame-Options values.
const (
	FrameDeny       FrameOptions = "DENY"
	FrameSameOrigin FrameOptions = "SAMEORIGIN"
)

// ContentTypeOptions is X-Content-Type-Options; only NoSniff exists.
type ContentTypeOptions string

// NoSniff is the one X-Content-Type-Options value.
const NoSniff ContentTypeOptions = "nosniff"

// XSSProtection is X-XSS-Protection: "0", "1", "1; mode=block" or
// "1; report=<uri>". Current browsers have removed the XSS auditor and its
// filter could be abused to leak data, so presets send "0" (XSSOff).
type XSSProtection string

// X-XSS-Protection values.
const (
	XSSOff   XSSProtection = "0"
	XSSOn    XSSProtection = "1"
	XSSBlock XSSProtection = "1; mode=block"
)

// DownloadOptions is X-Download-Options (Internet Explorer); only NoOpen.
type DownloadOptions string

// NoOpen is the one X-Download-Options value.
const NoOpen DownloadOptions = "noopen"

// CrossDomainPolicies is X-Permitted-Cross-Domain-Policies (Adobe clients):
// "none", "master-only", "by-content-type", "by-ftp-filename", "all" or
// "none-this-response".
type CrossDomainPolicies string

// OpenerPolicy is Cross-Origin-Opener-Policy: "unsafe-none",
// "same-origin-allow-popups", "same-origin" or "noopener-allow-popups".
type OpenerPolicy string

// EmbedderPolicy is Cross-Origin-Embedder-Policy: "unsafe-none",
// "require-corp" or "credentialless".
type EmbedderPolicy string

// ResourcePolicy is Cross-Origin-Resource-Policy: "same-site", "same-origin"
// or "cross-origin".
type ResourcePolicy string

// OriginAgentCluster is Origin-Agent-Cluster, a structured-field boolean:
// "?1" asks for an origin-keyed agent cluster, "?0" declines.
type OriginAgentCluster string

// DNSPrefetchControl is X-DNS-Prefetch-Control: "on" or "off".
type DNSPrefetchControl string

// CacheControl is Cache-Control for sensitive routes, e.g. "no-store". It is
// a comma-separated list of directives, each a token with an optional
// =token or ="quoted" argument.
type CacheControl string

var (
	xfoChoices  = []string{"DENY", "SAMEORIGIN"}
	xpcdpValues = []string{"none", "master-only", "by-content-type", "by-ftp-filename", "all", "none-this-response"}
	coopValues  = []string{"unsafe-none", "same-origin-allow-popups", "same-origin", "noopener-allow-popups"}
	coepValues  = []string{"unsafe-none", "require-corp", "credentialless"}
	corpValues  = []string{"same-site", "same-origin", "cross-origin"}
)

// oneOf checks that v is one of the allowed values, exactly as written.
func oneOf(v string, allowed []string) error {
	for _, a := range allowed {
		if v == a {
			return nil
		}
	}
	return &Error{Value: v, Reason: "invalid value", Fix: "use one of " + quoteList(allowed)}
}

func quoteList(vs []string) string {
	q := make([]string, len(vs))
	for i, v := range vs {
		q[i] = fmt.Sprintf("%q", v)
	}
	return strings.Join(q, ", ")
}

// Validate reports whether v is DENY, SAMEORIGIN or ALLOW-FROM with a URI.
func (v FrameOptions) Validate() error {
	if rest, ok := strings.CutPrefix(string(v), "ALLOW-FROM "); ok {
		if err := headerval.CheckAtom(rest); err != nil {
			return directive.GotError("", "ALLOW-FROM needs one origin, got", rest, `use "DENY" or "SAMEORIGIN", and CSP frame-ancestors to allow an origin`)
		}
		return nil
	}
	return oneOf(string(v), xfoChoices)
}

// Validate reports whether v is "nosniff".
func (v ContentTypeOptions) Validate() error { return oneOf(string(v), []string{string(NoSniff)}) }

// Validate reports whether v is "0", "1", "1; mode=block" or "1; report=<uri>".
func (v XSSProtection) Validate() error {
	if rest, ok := strings.CutPrefix(string(v), "1; report="); ok {
		if err := headerval.CheckAtom(rest); err != nil {
			return directive.GotError("", "report= needs one URI, got", rest, `use "0"`)
		}
		return nil
	}
	return oneOf(string(v), []string{"0", "1", "1; mode=block"})
}

// Validate reports whether v is "noopen".
func (v DownloadOptions) Validate() error { return oneOf(string(v), []string{string(NoOpen)}) }

// Validate reports whether v is a defined X-Permitted-Cross-Domain-Policies value.
func (v CrossDomainPolicies) Validate() error { return oneOf(string(v), xpcdpValues) }

// Validate reports whether v is a defined Cross-Origin-Opener-Policy value.
func (v OpenerPolicy) Validate() error { return oneOf(string(v), coopValues) }

// Validate reports whether v is a defined Cross-Origin-Embedder-Policy value.
func (v EmbedderPolicy) Validate() error { return oneOf(string(v), coepValues) }

// Validate reports whether v is a defined Cross-Origin-Resource-Policy value.
func (v ResourcePolicy) Validate() error { return oneOf(string(v), corpValues) }

// Validate reports whether v is "?1" or "?0".
func (v OriginAgentCluster) Validate() error { return oneOf(string(v), []string{"?1", "?0"}) }

// Validate reports whether v is "on" or "off".
func (v DNSPrefetchControl) Validate() error { return oneOf(string(v), []string{"on", "off"}) }

// Validate reports whether v is a well-formed Cache-Control directive list.
func (v CacheControl) Validate() error {
	if err := headerval.CheckValue(string(v)); err != nil {
		return &Error{Value: string(v), Reason: byteProblem(err) + " in", Fix: `write directives such as "no-store" or "private, max-age=0"`}
	}
	for d := range strings.SplitSeq(string(v), ",") {
		d = strings.TrimSpace(d)
		name, arg, hasArg := strings.Cut(d, "=")
		if !headerval.IsToken(name) || (hasArg && !isTokenOrQuoted(arg)) {
			reason := "invalid Cache-Control directive"
			if d == "" {
				reason = "empty Cache-Control directive"
			}
			return &Error{Value: d, Reason: reason, Fix: `write directives such as "no-store" or "private, max-age=0"`}
		}
	}
	return nil
}

func isTokenOrQuoted(s string) bool {
	if headerval.IsToken(s) {
		return true
	}
	return len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' && !strings.ContainsAny(s[1:len(s)-1], `"\`)
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}

// byteProblem says which byte of a value headerval refused, and where.
func byteProblem(err error) string {
	var be *headerval.ByteError
	if errors.As(err, &be) {
		return fmt.Sprintf("byte %s at offset %d is not allowed", directive.QuoteByte(be.Byte), be.Offset)
	}
	return err.Error()
}
