package csp

import (
	"strconv"
	"strings"

	"github.com/secureheaders/secureheaders/internal/headerval"
	"github.com/secureheaders/secureheaders/internal/suggest"
)

// Error is one problem found by ParseSource, ParseValue, Parse or
// Validate. Parse and Validate return every Error they find, joined with
// errors.Join; use errors.As to get the first, or range over the joined
// error's Unwrap() []error to get them all.
//
// Path names where the problem is, relative to the policy: a directive
// ("scirpt-src") or one item of its value ("script-src[2]", zero-based).
// It is empty for a lone source given to ParseSource. A caller that nests a
// policy in something larger prefixes it ("csp." + Path).
//
// Value is the offending text as written (empty when the whole directive is
// at fault), Reason says what is wrong and Fix, when not empty, what to
// write instead ("did you mean …?"). The zero Error renders as "". An
// Error is plain data, safe to copy and to read concurrently.
type Error struct {
	Path, Value, Reason, Fix string
}

// Error renders the problem on one line:
//
//	script-src[2]: unknown keyword "unsafe-inlin" (did you mean "unsafe-inline"?)
//
// Path and Value are quoted where needed, so control bytes never reach a log
// line unescaped.
func (e *Error) Error() string {
	var b strings.Builder
	if e.Path != "" {
		if headerval.CheckAtom(e.Path) != nil {
			b.WriteString(strconv.QuoteToASCII(e.Path))
		} else {
			b.WriteString(e.Path)
		}
		b.WriteString(": ")
	}
	b.WriteString(e.Reason)
	if e.Value != "" {
		b.WriteByte(' ')
		b.WriteString(strconv.QuoteToASCII(e.Value))
	}
	if e.Fix != "" {
		b.WriteString(" (")
		b.WriteString(e.Fix)
		b.WriteByte(')')
	}
	return b.String()
}

// at returns e with its Path set, for errors made by a function that does
// not know where its input came from. e is always freshly allocated by the
// caller's callee, so setting the field in place is safe.
func at(err error, path string) error {
	if e, ok := err.(*Error); ok {
		e.Path = path
		return e
	}
	return &Error{Path: path, Reason: err.Error()}
}

// itemPath returns "d[i]".
func itemPath(d Directive, i int) string {
	return string(d) + "[" + strconv.Itoa(i) + "]"
}

// didYouMean returns the fix text that suggests s, or "" when s is "".
func didYouMean(s string) string {
	if s == "" {
		return ""
	}
	return "did you mean " + strconv.Quote(s) + "?"
}

// closest returns the candidate nearest to word by edit distance (ASCII case
// folded, '_' read as '-'), or "" when none is near enough to be a plausible
// typo.
func closest(word string, candidates []string) string {
	return typo.Closest(word, candidates)
}

// typo allows one edit in a word of up to 7 bytes, two up to 11, then
// three: tighter than suggest.Closest, because ParseSource reads a bare
// word near a keyword as a misspelt keyword rather than a single-label host.
var typo = suggest.Rule{MaxEdits: func(n int) int { return max(1, min(3, n/4)) }}
