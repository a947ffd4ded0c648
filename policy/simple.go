package policy

import (
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

// CrossDomainPolicies is X-Permitted-Cross-Domain-Policies: which policy
// files Adobe clients (Flash, Acrobat) may load from this site. Presets send
// CrossDomainNone.
type CrossDomainPolicies string

// X-Permitted-Cross-Domain-Policies values.
const (
	CrossDomainNone             CrossDomainPolicies = "none"               // no policy file anywhere on the site
	CrossDomainMasterOnly       CrossDomainPolicies = "master-only"        // only /crossdomain.xml
	CrossDomainByContentType    CrossDomainPolicies = "by-content-type"    // files served as text/x-cross-domain-policy (HTTP only)
	CrossDomainByFTPFilename    CrossDomainPolicies = "by-ftp-filename"    // files named crossdomain.xml (FTP only)
	CrossDomainAll              CrossDomainPolicies = "all"                // any policy file
	CrossDomainNoneThisResponse CrossDomainPolicies = "none-this-response" // this response may not be used as one
)

// OpenerPolicy is Cross-Origin-Opener-Policy (HTML Living Standard,
// "Cross-origin opener policies"): whether a cross-origin window that opens
// this page, or that it opens, shares its browsing context group.
// OpenerSameOrigin, with EmbedderRequireCORP or EmbedderCredentialless,
// makes the page cross-origin isolated.
// https://html.spec.whatwg.org/multipage/browsers.html#cross-origin-opener-policies
type OpenerPolicy string

// Cross-Origin-Opener-Policy values.
const (
	OpenerUnsafeNone            OpenerPolicy = "unsafe-none"              // the default: share with any opener
	OpenerSameOriginAllowPopups OpenerPolicy = "same-origin-allow-popups" // keep references to popups this page opens
	OpenerSameOrigin            OpenerPolicy = "same-origin"              // isolate from every cross-origin window
	OpenerNoopenerAllowPopups   OpenerPolicy = "noopener-allow-popups"    // this page starts a new group even when a same-origin page opened it; its popups keep their opener
)

// EmbedderPolicy is Cross-Origin-Embedder-Policy (HTML Living Standard,
// "Cross-origin embedder policies"): what a page requires of the
// cross-origin resources it loads.
// https://html.spec.whatwg.org/multipage/browsers.html#coep
type EmbedderPolicy string

// Cross-Origin-Embedder-Policy values.
const (
	EmbedderUnsafeNone     EmbedderPolicy = "unsafe-none"    // the default: load anything
	EmbedderRequireCORP    EmbedderPolicy = "require-corp"   // cross-origin resources need CORS or Cross-Origin-Resource-Policy
	EmbedderCredentialless EmbedderPolicy = "credentialless" // no-cors cross-origin requests are sent without credentials
)

// ResourcePolicy is Cross-Origin-Resource-Policy (Fetch Standard): which
// origins may load this resource in no-cors mode (images, scripts, media).
// https://fetch.spec.whatwg.org/#cross-origin-resource-policy-header
type ResourcePolicy string

// Cross-Origin-Resource-Policy values.
const (
	ResourceSameSite    ResourcePolicy = "same-site"    // any origin of the same site (scheme and registrable domain)
	ResourceSameOrigin  ResourcePolicy = "same-origin"  // this origin only
	ResourceCrossOrigin ResourcePolicy = "cross-origin" // anyone, e.g. for a public CDN
)

// OriginAgentCluster is Origin-Agent-Cluster (HTML Living Standard), a
// structured-field boolean: OriginKeyed ("?1") asks for an origin-keyed agent
// cluster, SiteKeyed ("?0") declines.
// https://html.spec.whatwg.org/multipage/browsers.html#origin-keyed-agent-clusters
type OriginAgentCluster string

// Origin-Agent-Cluster values.
const (
	OriginKeyed OriginAgentCluster = "?1"
	SiteKeyed   OriginAgentCluster = "?0"
)

// DNSPrefetchControl is X-DNS-Prefetch-Control: DNSPrefetchOn or
// DNSPrefetchOff.
type DNSPrefetchControl string

// X-DNS-Prefetch-Control values.
const (
	DNSPrefetchOn  DNSPrefetchControl = "on"
	DNSPrefetchOff DNSPrefetchControl = "off" // presets send this: no look-ups of links the user has not followed
)

// CacheControl is Cache-Control for sensitive routes, e.g. "no-store". It is
// a comma-separated list of directives, each a token with an optional
// =token or ="quoted" argument.
type CacheControl string

var (
	xfoChoices  = strs(FrameDeny, FrameSameOrigin)
	xssValues   = strs(XSSOff, XSSOn, XSSBlock)
	xpcdpValues = strs(CrossDomainNone, CrossDomainMasterOnly, CrossDomainByContentType, CrossDomainByFTPFilename, CrossDomainAll, CrossDomainNoneThisResponse)
	coopValues  = strs(OpenerUnsafeNone, OpenerSameOriginAllowPopups, OpenerSameOrigin, OpenerNoopenerAllowPopups)
	coepValues  = strs(EmbedderUnsafeNone, EmbedderRequireCORP, EmbedderCredentialless)
	corpValues  = strs(ResourceSameSite, ResourceSameOrigin, ResourceCrossOrigin)
	oacValues   = strs(OriginKeyed, SiteKeyed)
	dnsValues   = strs(DNSPrefetchOn, DNSPrefetchOff)
)

// strs lists typed constants as the strings oneOf compares.
func strs[T ~string](vs ...T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

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
func (v FrameOptions) validate() error {
	if rest, ok := strings.CutPrefix(string(v), "ALLOW-FROM "); ok {
		if err := headerval.CheckAtom(rest); err != nil {
			return directive.GotError("", "ALLOW-FROM needs one origin, got", rest, `use "DENY" or "SAMEORIGIN", and CSP frame-ancestors to allow an origin`)
		}
		return nil
	}
	return oneOf(string(v), xfoChoices)
}

// Validate reports whether v is "nosniff".
func (v ContentTypeOptions) validate() error { return oneOf(string(v), []string{string(NoSniff)}) }

// Validate reports whether v is "0", "1", "1; mode=block" or "1; report=<uri>".
func (v XSSProtection) validate() error {
	if rest, ok := strings.CutPrefix(string(v), "1; report="); ok {
		if err := headerval.CheckAtom(rest); err != nil {
			return directive.GotError("", "report= needs one URI, got", rest, `use "0"`)
		}
		return nil
	}
	return oneOf(string(v), xssValues)
}

// Validate reports whether v is "noopen".
func (v DownloadOptions) validate() error { return oneOf(string(v), []string{string(NoOpen)}) }

// Validate reports whether v is a defined X-Permitted-Cross-Domain-Policies value.
func (v CrossDomainPolicies) validate() error { return oneOf(string(v), xpcdpValues) }

// Validate reports whether v is a defined Cross-Origin-Opener-Policy value.
func (v OpenerPolicy) validate() error { return oneOf(string(v), coopValues) }

// Validate reports whether v is a defined Cross-Origin-Embedder-Policy value.
func (v EmbedderPolicy) validate() error { return oneOf(string(v), coepValues) }

// Validate reports whether v is a defined Cross-Origin-Resource-Policy value.
func (v ResourcePolicy) validate() error { return oneOf(string(v), corpValues) }

// Validate reports whether v is "?1" or "?0".
func (v OriginAgentCluster) validate() error { return oneOf(string(v), oacValues) }

// Validate reports whether v is "on" or "off".
func (v DNSPrefetchControl) validate() error { return oneOf(string(v), dnsValues) }

// Validate reports whether v is a well-formed Cache-Control directive list.
func (v CacheControl) validate() error {
	if err := headerval.CheckValue(string(v)); err != nil {
		return &Error{Value: string(v), Reason: directive.ByteProblem(err) + " in", Fix: `write directives such as "no-store" or "private, max-age=0"`}
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
