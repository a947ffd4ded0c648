package csp

import "strings"

// String renders p as a header value: directives in canonical order (see
// the package comment) joined by "; ", each its name followed by its items
// separated by single spaces, a directive without items as its name alone,
// and the nonce slot as NoncePlaceholder. The nil or empty Policy renders
// as "". String does not validate: render only a Policy that Validate
// accepts, or a Source's bytes reach the header as they are.
func (p Policy) String() string {
	return strings.Join(p.Template(), NoncePlaceholder[len("'nonce-"):len(NoncePlaceholder)-1])
}

// Template renders p like String, split at each nonce slot, for writers
// that fill in a fresh nonce per response: the header value for nonce n is
// parts[0] + n + parts[1] + n + … + parts[len(parts)-1]. The slot's quotes
// and "nonce-" prefix stay in the parts:
//
//	script-src 'self' 'nonce-{nonce}'  →  ["script-src 'self' 'nonce-", "'"]
//
// Without a slot, Template returns one part, the whole value. The slice is
// new on each call. Like String, Template does not validate.
func (p Policy) Template() []string {
	var parts []string
	var b strings.Builder
	for i, d := range p.sortedDirectives() {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(string(d))
		for _, src := range p[d] {
			b.WriteByte(' ')
			if src.Kind == NonceSlot {
				b.WriteString("'nonce-")
				parts = append(parts, b.String())
				b.Reset()
				b.WriteByte('\'')
				continue
			}
			b.WriteString(src.String())
		}
	}
	return append(parts, b.String())
}

// HasNonce reports whether any directive of p holds the per-request nonce
// slot, RequestNonce: only then does a response need a fresh nonce.
func (p Policy) HasNonce() bool {
	for _, srcs := range p {
		for _, src := range srcs {
			if src.Kind == NonceSlot {
				return true
			}
		}
	}
	return false
}
