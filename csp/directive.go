package csp

import "slices"

// order lists every known, accepted directive in the canonical render order
// documented in the package comment. It never changes: header strings must
// stay stable across releases.
var order = [...]Directive{
	DefaultSrc,
	ChildSrc,
	ConnectSrc,
	FencedFrameSrc,
	FontSrc,
	FrameSrc,
	ImgSrc,
	ManifestSrc,
	MediaSrc,
	ObjectSrc,
	PrefetchSrc,
	ScriptSrc,
	ScriptSrcAttr,
	ScriptSrcElem,
	StyleSrc,
	StyleSrcAttr,
	StyleSrcElem,
	WorkerSrc,
	BaseURI,
	FormAction,
	FrameAncestors,
	Sandbox,
	UpgradeInsecureRequests,
	RequireTrustedTypesFor,
	TrustedTypes,
	ReportURI,
	ReportTo,
}

// rank maps a known directive to its index in order.
var rank = func() map[Directive]int {
	m := make(map[Directive]int, len(order))
	for i, d := range order {
		m[d] = i
	}
	return m
}()

// deprecation says why a directive is refused and what to use instead.
type deprecation struct {
	reason, fix string
}

// deprecated holds the directives that parse but that Validate refuses. The
// last three have no exported constant: they were never widely shipped, but
// migrated policies still carry them.
var deprecated = map[Directive]deprecation{
	BlockAllMixedContent: {
		"deprecated directive: browsers now upgrade or block all mixed content",
		"remove it; use upgrade-insecure-requests",
	},
	PluginTypes: {
		"deprecated directive: removed from CSP3, browsers no longer run plugins",
		"remove it; use object-src 'none'",
	},
	Referrer: {
		"deprecated directive: removed from CSP2",
		"remove it; send a Referrer-Policy header",
	},
	ReflectedXSS: {
		"deprecated directive: browsers removed their XSS auditors",
		"remove it; rely on a strict script-src and send X-XSS-Protection: 0",
	},
	"navigate-to": {
		"deprecated directive: removed from CSP3",
		"remove it; use form-action and frame-ancestors",
	},
	"require-sri-for": {
		"deprecated directive: never shipped by browsers",
		"remove it; put integrity attributes on the elements",
	},
	"disown-opener": {
		"deprecated directive: never shipped by browsers",
		"remove it; send a Cross-Origin-Opener-Policy header",
	},
}

// Order returns d's rank in the canonical render order (see the package
// comment): 0 for default-src, increasing from there. Every unknown or
// deprecated directive gets the same rank, len(Directives()), after all known
// ones; callers sort those by name. Order is case-sensitive, like Policy keys.
func Order(d Directive) int {
	if r, ok := rank[d]; ok {
		return r
	}
	return len(order)
}

// Directives returns every known directive that Validate accepts, in
// canonical order. prefetch-src is included: it is accepted (see the package
// comment). The deprecated directives are not. The slice is new on each call;
// the caller may change it.
func Directives() []Directive {
	return append([]Directive(nil), order[:]...)
}

// IsFetch reports whether d is a fetch directive (CSP3 §6.1), default-src
// included. Only fetch directives fall back to default-src.
func IsFetch(d Directive) bool {
	r, ok := rank[d]
	return ok && r <= rank[WorkerSrc]
}

// SourceList reports whether d's value is a source list (CSP3 §2.3.1): the
// fetch directives, base-uri, form-action and frame-ancestors. Other
// directives take tokens (sandbox flags, report-uri URLs, …) or nothing.
func (d Directive) SourceList() bool {
	r, ok := rank[d]
	return ok && r <= rank[FrameAncestors]
}

// valueless reports whether d takes no value at all.
func valueless(d Directive) bool {
	return d == UpgradeInsecureRequests || d == BlockAllMixedContent
}

// Fallbacks returns the directives a browser reads for the fetch directive d
// when d itself is absent, in CSP3 §6.8.3 order: script-src-elem falls back
// to script-src, then default-src; worker-src to child-src, script-src,
// default-src; and so on. It is nil for default-src and for directives that
// are not fetch directives. The slice is the caller's.
func Fallbacks(d Directive) []Directive { return slices.Clone(fallback(d)) }

// Effective returns the directive whose source list a browser uses for d in
// p: d itself when p has it, else the first directive of Fallbacks(d) that p
// has. ok is false when p has none of them: p does not restrict d.
func (p Policy) Effective(d Directive) (governing Directive, ok bool) {
	if _, ok := p[d]; ok {
		return d, true
	}
	for _, f := range fallback(d) {
		if _, ok := p[f]; ok {
			return f, true
		}
	}
	return "", false
}

// fallback returns the directives that d falls back to when it is absent, in
// CSP3 §6.8.3 order ("script-src-elem" → script-src, default-src). It is nil
// for default-src and non-fetch directives.
func fallback(d Directive) []Directive {
	switch d {
	case ScriptSrcElem, ScriptSrcAttr:
		return []Directive{ScriptSrc, DefaultSrc}
	case StyleSrcElem, StyleSrcAttr:
		return []Directive{StyleSrc, DefaultSrc}
	case WorkerSrc:
		return []Directive{ChildSrc, ScriptSrc, DefaultSrc}
	case FrameSrc:
		return []Directive{ChildSrc, DefaultSrc}
	case FencedFrameSrc:
		return []Directive{FrameSrc, ChildSrc, DefaultSrc}
	case DefaultSrc:
		return nil
	}
	if IsFetch(d) {
		return []Directive{DefaultSrc}
	}
	return nil
}
