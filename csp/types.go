package csp

// Directive is a CSP directive name, lower case, as in the header:
// "default-src", "upgrade-insecure-requests".
type Directive string

// Fetch directives (CSP3 §6.1).
const (
	DefaultSrc     Directive = "default-src"
	ChildSrc       Directive = "child-src"
	ConnectSrc     Directive = "connect-src"
	FencedFrameSrc Directive = "fenced-frame-src"
	FontSrc        Directive = "font-src"
	FrameSrc       Directive = "frame-src"
	ImgSrc         Directive = "img-src"
	ManifestSrc    Directive = "manifest-src"
	MediaSrc       Directive = "media-src"
	ObjectSrc      Directive = "object-src"
	PrefetchSrc    Directive = "prefetch-src"
	ScriptSrc      Directive = "script-src"
	ScriptSrcElem  Directive = "script-src-elem"
	ScriptSrcAttr  Directive = "script-src-attr"
	StyleSrc       Directive = "style-src"
	StyleSrcElem   Directive = "style-src-elem"
	StyleSrcAttr   Directive = "style-src-attr"
	WorkerSrc      Directive = "worker-src"
)

// Document, navigation, reporting and other directives.
const (
	BaseURI                 Directive = "base-uri"
	Sandbox                 Directive = "sandbox"
	FormAction              Directive = "form-action"
	FrameAncestors          Directive = "frame-ancestors"
	ReportURI               Directive = "report-uri"
	ReportTo                Directive = "report-to"
	UpgradeInsecureRequests Directive = "upgrade-insecure-requests"
	RequireTrustedTypesFor  Directive = "require-trusted-types-for"
	TrustedTypes            Directive = "trusted-types"
)

// Deprecated directives: they parse, so that a migrated policy gets a precise
// error with the reason and the replacement instead of "unknown directive",
// but Validate refuses them.
const (
	BlockAllMixedContent Directive = "block-all-mixed-content"
	PluginTypes          Directive = "plugin-types"
	Referrer             Directive = "referrer"
	ReflectedXSS         Directive = "reflected-xss"
)

// Kind says what a Source is.
type Kind uint8

const (
	// Keyword is a quoted keyword such as 'self'; Value is the bare keyword
	// ("self", "unsafe-inline", "strict-dynamic", …).
	Keyword Kind = iota + 1
	// NonceSlot is the per-request nonce, filled in when a response is
	// written. Value is empty.
	NonceSlot
	// Nonce is a fixed 'nonce-…' source; Value is the base64 nonce.
	Nonce
	// Hash is a 'sha256-…', 'sha384-…' or 'sha512-…' source; Value is
	// "sha256-<base64>".
	Hash
	// Host is a host-source: [scheme://]host[:port][/path], host may start
	// with "*."; Value is the text as written (lower-cased scheme and host).
	Host
	// Scheme is a scheme-source such as "https:" or "data:"; Value includes
	// the colon.
	Scheme
	// Token is a bare value of a directive that does not take a source list:
	// a sandbox flag, a report-uri URL, a report-to group, a Trusted Types
	// policy name. Value is the token as written.
	Token
)

// Source is one item of a directive's value. The zero Source is invalid.
// Build one with the variables below (Self, RequestNonce, …), HashSource
// or ParseSource. Source is comparable: == is exact equality.
type Source struct {
	Kind  Kind
	Value string
}

// Common keyword sources.
var (
	Self                   = Source{Keyword, "self"}
	None                   = Source{Keyword, "none"}
	UnsafeInline           = Source{Keyword, "unsafe-inline"}
	UnsafeEval             = Source{Keyword, "unsafe-eval"}
	UnsafeHashes           = Source{Keyword, "unsafe-hashes"}
	StrictDynamic          = Source{Keyword, "strict-dynamic"}
	ReportSample           = Source{Keyword, "report-sample"}
	WasmUnsafeEval         = Source{Keyword, "wasm-unsafe-eval"}
	InlineSpeculationRules = Source{Keyword, "inline-speculation-rules"}
	// RequestNonce is the per-request nonce slot.
	RequestNonce = Source{Kind: NonceSlot}
)

// Policy is one Content-Security-Policy header value: each present directive
// mapped to its sources. A valueless directive (upgrade-insecure-requests,
// a bare sandbox) is present with an empty list.
//
// The zero value (nil) is an empty policy, which renders to "". A Policy is
// plain data: copy it with Clone before changing a shared one. It is rendered
// in the canonical order of [Order], so equal policies render equal strings.
type Policy map[Directive][]Source
