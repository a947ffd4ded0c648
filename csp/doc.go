// Package csp models one Content-Security-Policy header (CSP Level 3,
// https://www.w3.org/TR/CSP3/): typed directives and sources, parsing,
// validation, merging and canonical rendering.
//
// A [Policy] is plain data, a map from [Directive] to its list of
// [Source] values, so it can be written as a Go literal, built from JSON by
// a caller, compared with reflect.DeepEqual or go-cmp, and merged:
//
//	p := csp.Policy{
//		csp.DefaultSrc: {csp.Self},
//		csp.ScriptSrc:  {csp.Self, csp.RequestNonce},
//		csp.ObjectSrc:  {csp.None},
//	}
//	err := p.Validate()
//
// or parsed from a header value with [Parse] (or [MustParse] for constants).
// Everything in the package is pure: no function keeps or changes its
// arguments, and all are safe for concurrent use on data nobody writes.
//
// # Sources
//
// [ParseSource] reads one source as people write it, quoted or not:
// "self" and "'self'" are the same [Keyword]. Keywords match exactly, so
// "selfie.example.com" and "none.example" are hosts. "nonce" is the
// per-request nonce slot [RequestNonce]; a fixed nonce or a hash must be
// valid base64 (or base64url), and a hash must have the digest length of its
// algorithm. [HashSource] computes the hash source of an inline script or
// style. A [Source] renders with [Source.String], keywords, nonces and
// hashes quoted.
//
// # Rendering and the canonical order
//
// [Policy.String] renders directives in this order, which is part of the
// package's compatibility promise and will not change, so that equal
// policies always render byte-equal headers:
//
//  1. default-src;
//  2. the other fetch directives, alphabetically: child-src, connect-src,
//     fenced-frame-src, font-src, frame-src, img-src, manifest-src,
//     media-src, object-src, prefetch-src, script-src, script-src-attr,
//     script-src-elem, style-src, style-src-attr, style-src-elem,
//     worker-src;
//  3. base-uri, form-action, frame-ancestors, sandbox,
//     upgrade-insecure-requests, require-trusted-types-for, trusted-types;
//  4. report-uri, report-to;
//  5. unknown and deprecated directives, by name (Validate refuses them,
//     but String still renders what it is given).
//
// Within a directive, items keep the order they were written in.
// Directives are joined with "; " and items with " "; a directive without
// items renders as its name alone. [Order] and [Directives] expose the
// order.
//
// # Nonces
//
// [RequestNonce] is a slot, not a value: [Policy.String] shows it as
// [NoncePlaceholder], and [Policy.Template] splits the rendered value at each
// slot so that a header writer can put a fresh nonce there per response
// without parsing or formatting anything. [Policy.HasNonce] says whether a
// nonce is needed at all.
//
// # Validation
//
// [Policy.Validate] and [Parse] report every problem at once, joined with
// errors.Join, each a *policy.Error (the module's one configuration error
// type; csp cannot import policy, the type lives in an internal package)
// naming its path relative to the policy ("script-src[2]"; the policy
// package prefixes "csp."), the offending text, the reason, and a fix
// ("did you mean …?") where one helps. Deprecated
// directives (block-all-mixed-content, plugin-types, referrer,
// reflected-xss) parse, so that a migrated policy gets the reason and the
// replacement instead of "unknown directive", and are then refused.
//
// prefetch-src is accepted: it was dropped from the CSP3 draft and browsers
// ignore it, so it neither helps nor harms. It stays in [Directives] and
// falls back to default-src like the other fetch directives. A linter may
// warn about it; this package has no warnings, only errors.
//
// # Merging
//
// [Update] adds one policy to another by rules listed in its documentation:
// source lists are unioned in order, 'none' is dropped once something else
// is allowed, and a fetch directive that is added starts from what it fell
// back to (default-src), so adding never narrows. [Policy.Clone] makes a
// deep copy.
package csp
