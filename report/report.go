package report

import (
	"context"
	"encoding/json"
	"time"
)

// TypeCSP is the Type of every Content Security Policy violation
// report, whichever format the browser used to send it.
const TypeCSP = "csp-violation"

// Limits applied by [Decode] so that the memory one request can pin
// stays small and flat, whatever the body holds.
const (
	// reportMaxField is the longest a string field of a Report may be, in
	// bytes; longer values are cut on a UTF-8 boundary.
	reportMaxField = 2048
	// reportMaxRaw is the longest Report.Raw may be, in bytes, after
	// compaction; a longer body is dropped (Raw is nil, Truncated is set).
	reportMaxRaw = 4096
	// reportMaxBatch is how many reports of one Reporting API batch are
	// decoded; the rest of the array is ignored unread.
	reportMaxBatch = 100
)

// Report is one browser report, normalised from either of the formats a
// browser may POST:
//
//   - the legacy body of CSP's report-uri directive, media type
//     application/csp-report: {"csp-report": {"document-uri": …}}, see
//     https://www.w3.org/TR/CSP3/#deprecated-serialize-violation;
//   - a Reporting API batch, media type application/reports+json: a JSON array
//     of {"age", "body", "type", "url", "user_agent"} objects, see
//     https://www.w3.org/TR/reporting-1/ and, for the "csp-violation" body,
//     https://www.w3.org/TR/CSP3/#reporting.
//
// A CSP violation has Type [TypeCSP] and its fields set; any other
// report type (deprecation, intervention, crash, …) keeps Type, Age, URL and
// UserAgent and its body, untouched, in Raw.
//
// Normalisation rules, in order:
//
//  1. Every string is at most 2048 bytes, cut on a UTF-8 boundary; Raw is at
//     most 4096 bytes or nil. Truncated says whether anything was cut.
//  2. ViolatedDirective, a historical alias in CSP3, is copied from
//     EffectiveDirective when the browser did not send it; EffectiveDirective
//     is taken from the first word of ViolatedDirective when only the latter
//     was sent (CSP1/2 browsers sent the whole directive there).
//  3. Numbers below zero become zero, numbers above 2^31-1 become 2^31-1.
//  4. For a Reporting API csp-violation, URL is body.documentURL, or the
//     report's url when the body has none.
//  5. UserAgent is the report's user_agent; [Handler] fills it from the
//     request's User-Agent header when the format has none (legacy).
//
// The JSON encoding of a Report (its struct tags) uses camelCase keys named
// after the Reporting API's: "type", "age", "url", "blockedURL", … Age is
// encoded as a time.Duration is, in integer nanoseconds.
//
// A Report is plain data; a sink may keep it.
type Report struct {
	// Type is "csp-violation" for both CSP formats, else the Reporting API
	// type of the report ("deprecation", "intervention", …).
	Type string `json:"type"`
	// Age is how long the browser held the report before sending it (the
	// Reporting API's age, in milliseconds on the wire); zero for legacy.
	Age time.Duration `json:"age,omitempty"`
	// URL is the address of the document (or worker) the report is about:
	// document-uri, documentURL or the report's url.
	URL string `json:"url,omitempty"`
	// Referrer is the document's referrer.
	Referrer string `json:"referrer,omitempty"`
	// BlockedURL is the resource that was blocked, or a keyword such as
	// "inline", "eval" or "wasm-eval".
	BlockedURL string `json:"blockedURL,omitempty"`
	// EffectiveDirective is the directive whose enforcement was violated,
	// e.g. "script-src-elem".
	EffectiveDirective string `json:"effectiveDirective,omitempty"`
	// ViolatedDirective is the legacy name of EffectiveDirective.
	ViolatedDirective string `json:"violatedDirective,omitempty"`
	// OriginalPolicy is the whole policy that was violated, as served.
	OriginalPolicy string `json:"originalPolicy,omitempty"`
	// Disposition is "enforce" or "report" (report-only policy), as sent.
	Disposition string `json:"disposition,omitempty"`
	// SourceFile, LineNumber and ColumnNumber locate the violation in a
	// script, when the browser knows it.
	SourceFile   string `json:"sourceFile,omitempty"`
	LineNumber   int    `json:"lineNumber,omitempty"`
	ColumnNumber int    `json:"columnNumber,omitempty"`
	// Sample is the first characters of the offending inline script, style
	// or eval string; browsers send it only with 'report-sample'.
	Sample string `json:"sample,omitempty"`
	// StatusCode is the HTTP status code of the document's response.
	StatusCode int `json:"statusCode,omitempty"`
	// UserAgent is the browser's User-Agent string.
	UserAgent string `json:"userAgent,omitempty"`
	// Raw is the body of a report whose Type is not "csp-violation", as
	// compact valid JSON; nil for CSP violations, for an absent or null body,
	// and for a body longer than 4096 bytes once compacted.
	Raw json.RawMessage `json:"body,omitempty"`
	// Truncated reports that a string was cut or Raw was dropped.
	Truncated bool `json:"truncated,omitempty"`
}

// Sink receives reports from a [Handler]. It is called by one
// worker goroutine, one report at a time, never concurrently with itself for
// the same handler, so it may block; reports that arrive meanwhile wait in a
// bounded queue or are dropped. ctx is cancelled when the handler is closed:
// a sink that does slow work (network, disk) must return promptly then.
// A panic in the sink is recovered and logged; the worker carries on.
type Sink func(ctx context.Context, r Report)
