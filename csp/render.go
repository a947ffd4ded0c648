package csp

import "strings"

// String renders p as a header value: directives in canonical order (see
// the package comment) joined by "; ", each its name followed by its items
// separated by single spaces, a directive without items as its name alone,
// and the nonce slot as NoncePlaceholder. The nil or empty Policy renders
// as "". String does not validate: render only a Policy that Validate
// accepts, or a Source's bytes reach the header as they are.
func (p Policy) String() string {
	s, _ := p.render(false)
	return s
}

// nonceInner is what String writes inside a nonce slot's quotes and
// Template cuts out: "{nonce}".
var nonceInner = NoncePlaceholder[len("'nonce-") : len(NoncePlaceholder)-1]

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
	s, cuts := p.render(true)
	parts := make([]string, 0, len(cuts)+1)
	from := 0
	for _, c := range cuts {
		parts = append(parts, s[from:c])
		from = c + len(nonceInner)
	}
	return append(parts, s[from:])
}

// render writes p as String does, in one allocation of the right size,
// and, when cut is set, returns the offset of each nonce slot's
// nonceInner in it (Template's parts are the text between them).
func (p Policy) render(cut bool) (string, []int) {
	ds := p.sortedDirectives()
	n, slots := 0, 0
	for _, d := range ds {
		n += len("; ") + len(d)
		for _, src := range p[d] {
			n += 1 + src.renderLen()
			if src.Kind == NonceSlot {
				slots++
			}
		}
	}
	var cuts []int
	if cut && slots > 0 {
		cuts = make([]int, 0, slots)
	}
	var b strings.Builder
	b.Grow(n)
	for i, d := range ds {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(string(d))
		for _, src := range p[d] {
			b.WriteByte(' ')
			switch src.Kind {
			case NonceSlot:
				b.WriteString("'nonce-")
				if cut {
					cuts = append(cuts, b.Len())
				}
				b.WriteString(nonceInner + "'")
			case Keyword, Hash:
				b.WriteByte('\'')
				b.WriteString(src.Value)
				b.WriteByte('\'')
			case Nonce:
				b.WriteString("'nonce-")
				b.WriteString(src.Value)
				b.WriteByte('\'')
			default:
				b.WriteString(src.Value)
			}
		}
	}
	return b.String(), cuts
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
