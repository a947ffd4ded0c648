package csp

import (
	"slices"
	"strings"

	"github.com/secureheaders/secureheaders/internal/cfgerr"
	"github.com/secureheaders/secureheaders/internal/headerval"
)

// NoncePlaceholder is how the per-request nonce slot (RequestNonce) renders
// in String, and a spelling of it that ParseSource and Parse accept, so a
// rendered policy parses back to the same Policy. It is never sent: the
// header writer puts a fresh nonce where Template splits.
const NoncePlaceholder = "'nonce-{nonce}'"

// keywords are the bare keyword-source names of CSP3 §2.3.1, plus 'none'
// and 'inline-speculation-rules' (Speculation Rules). Order matters only for
// ties in "did you mean" suggestions.
var keywords = []string{
	"self",
	"none",
	"unsafe-inline",
	"unsafe-eval",
	"unsafe-hashes",
	"strict-dynamic",
	"report-sample",
	"wasm-unsafe-eval",
	"inline-speculation-rules",
	"trusted-types-eval",
	"report-sha256",
	"report-sha384",
	"report-sha512",
	"unsafe-allow-redirects",
	"unsafe-webtransport-hashes",
}

// suggestible is what a misspelled source may have meant: the keywords
// and the nonce slot.
var suggestible = append(append([]string(nil), keywords...), "nonce")

// bareSchemes are schemes that, written without their colon, would make a
// useless single-label host ("data" for "data:").
var bareSchemes = []string{"http", "https", "ws", "wss", "data", "blob", "filesystem", "mediastream"}

// keyword returns the lower-case keyword that s names, ASCII case
// insensitively, without allocating.
func keyword(s string) (string, bool) {
	for _, k := range keywords {
		if strings.EqualFold(s, k) {
			return k, true
		}
	}
	return "", false
}

// ParseSource parses one source-list item as a user writes it in a
// configuration file, a Go literal or a header. It is pure and safe for
// concurrent use. The grammar, after CSP3 §2.3.1, tried in this order:
//
//   - A keyword, quoted or not, matched exactly and ASCII
//     case-insensitively: "self", "'self'", "UNSAFE-INLINE" → Keyword with
//     the bare lower-case name. A word that merely starts with a keyword
//     ("selfie.example.com", "none.example") is not one.
//   - The per-request nonce: "nonce", "'nonce'" or NoncePlaceholder →
//     RequestNonce.
//   - A fixed nonce: "nonce-<v>" or "'nonce-<v>'" → Nonce with Value v,
//     which must be base64 or base64url (A-Z a-z 0-9 and + / or - _, up to
//     two '=').
//   - A hash: "sha256-<d>", "sha384-<d>", "sha512-<d>", quoted or not →
//     Hash with Value "sha256-<d>"; d must be base64 or base64url of a
//     32, 48 or 64-byte digest. Other algorithms (sha1, md5) are refused.
//     Unquoted, a "nonce-" or "sha…-" word with a '.' after the dash is a
//     host instead ("nonce-a.example.com").
//   - Anything else in quotes is an error: quotes only surround keywords,
//     nonces and hashes.
//   - A scheme-source: scheme ":" ("https:", "data:", "wss:") → Scheme,
//     lower-cased.
//   - A host-source: [scheme "://"] host [":" port] [path], host being "*",
//     "*." host-part or host-part (labels of letters, digits and '-'), port
//     digits (at most 65535) or "*", path an absolute path without query or
//     fragment → Host, with scheme and host lower-cased.
//
// An unquoted word with no '.', ':', '/' or '*' that is one or two typos
// away from a keyword ("unsafe-inlin", "slef"), or that is a common scheme
// without its colon ("data", "https"), is an error that suggests what was
// meant, not a single-label host; write such a host with its scheme
// ("https://shelf").
//
// The empty string, and any ';', ',', space, control byte or byte above
// 0x7E, are errors: they would split or inject into the header. Every error
// is a *policy.Error with an empty Path.
func ParseSource(s string) (Source, error) {
	if err := headerval.CheckAtom(s); err != nil {
		return Source{}, atomError(s, err)
	}
	inner, quoted := s, false
	if s[0] == '\'' || s[len(s)-1] == '\'' {
		if len(s) < 2 || s[0] != '\'' || s[len(s)-1] != '\'' {
			return Source{}, &cfgerr.Error{Value: s, Reason: "unbalanced quote in source",
				Fix: "quote keywords, nonces and hashes on both sides, or leave the quotes out"}
		}
		inner, quoted = s[1:len(s)-1], true
	}
	if k, ok := keyword(inner); ok {
		return Source{Keyword, k}, nil
	}
	if strings.EqualFold(inner, "nonce") || strings.EqualFold(inner, NoncePlaceholder[1:len(NoncePlaceholder)-1]) {
		return RequestNonce, nil
	}
	if len(inner) >= 6 && strings.EqualFold(inner[:6], "nonce-") {
		if v := inner[6:]; quoted || strings.IndexByte(v, '.') < 0 {
			if !headerval.IsBase64(v) {
				return Source{}, &cfgerr.Error{Value: s, Reason: "nonce is not base64",
					Fix: "a nonce is base64 or base64url: A-Z a-z 0-9 and + / or - _, up to two '='"}
			}
			return Source{Nonce, v}, nil
		}
	}
	if alg, digest, ok := hashPrefix(inner); ok && (quoted || strings.IndexByte(digest, '.') < 0) {
		return parseHash(s, inner, alg, digest)
	}
	if quoted {
		return Source{}, quotedError(s, inner)
	}
	if !strings.ContainsAny(inner, ".:/*") {
		if slices.Contains(bareSchemes, lower(inner)) {
			return Source{}, &cfgerr.Error{Value: s, Reason: "scheme without its colon", Fix: didYouMean(lower(inner) + ":")}
		}
		if k := closest(inner, suggestible); k != "" {
			return Source{}, &cfgerr.Error{Value: s, Reason: "unknown keyword", Fix: didYouMean(k)}
		}
	}
	return parseHostOrScheme(s)
}

// atomError turns a headerval error about s into a *cfgerr.Error.
func atomError(s string, err error) *cfgerr.Error {
	be, ok := err.(*headerval.ByteError)
	if !ok {
		return &cfgerr.Error{Reason: "empty value", Fix: "remove it, or write 'none' to allow nothing"}
	}
	e := &cfgerr.Error{Value: s, Reason: byteName(be.Byte) + " not allowed in",
		Fix: "header injection: remove control bytes"}
	switch c := be.Byte; {
	case c == ' ':
		e.Fix = "give one item per value"
	case c == ';':
		e.Fix = "';' ends a directive; give one item per value"
	case c == ',':
		e.Fix = "',' starts another policy; give one item per value"
	case c >= 0x80:
		e.Fix = "percent-encode or punycode non-ASCII text"
	}
	return e
}

// byteName names byte c for an error message: "space", "byte ';'",
// "byte '\\r'", "byte 0xc3".
func byteName(c byte) string {
	const hex = "0123456789abcdef"
	switch {
	case c == ' ':
		return "space"
	case c == '\r':
		return `byte '\r'`
	case c == '\n':
		return `byte '\n'`
	case c == '\t':
		return `byte '\t'`
	case c > ' ' && c < 0x7f:
		return "byte '" + string(rune(c)) + "'"
	}
	return "byte 0x" + string([]byte{hex[c>>4], hex[c&15]})
}

// quotedError explains why quoted text s (inner without its quotes) is no
// source.
func quotedError(s, inner string) *cfgerr.Error {
	e := &cfgerr.Error{Value: s, Reason: "unknown keyword"}
	if k := closest(inner, suggestible); k != "" {
		e.Fix = didYouMean("'" + k + "'")
	} else if src, err := parseHostOrScheme(inner); err == nil {
		e.Reason = "quoted host or scheme"
		e.Fix = didYouMean(src.Value) + " hosts and schemes are not quoted"
	} else {
		e.Fix = "only keywords, nonces and hashes are quoted"
	}
	return e
}

// String renders s as it appears in a header: keywords, nonces and hashes
// quoted ("'self'", "'nonce-abc'", "'sha256-…'"), the nonce slot as
// NoncePlaceholder, every other kind as its Value. String does not validate:
// the zero Source renders as "".
func (s Source) String() string {
	switch s.Kind {
	case Keyword, Hash:
		return "'" + s.Value + "'"
	case NonceSlot:
		return NoncePlaceholder
	case Nonce:
		return "'nonce-" + s.Value + "'"
	}
	return s.Value
}

// renderLen is len(s.String()), without rendering it.
func (s Source) renderLen() int {
	switch s.Kind {
	case Keyword, Hash:
		return len(s.Value) + 2
	case NonceSlot:
		return len(NoncePlaceholder)
	case Nonce:
		return len("'nonce-") + len(s.Value) + 1
	}
	return len(s.Value)
}

// lower returns s with ASCII upper-case letters lowered, allocating only
// when there is one.
func lower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'A' <= c && c <= 'Z' {
			return strings.ToLower(s)
		}
	}
	return s
}
