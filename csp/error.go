package csp

import (
	"strconv"
	"strings"

	"github.com/secureheaders/secureheaders/internal/headerval"
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
// folded), or "" when none is near enough to be a plausible typo.
func closest(word string, candidates []string) string {
	word = strings.ToLower(word)
	best, bestD := "", maxTypo(word)+1
	for _, c := range candidates {
		if d := distance(word, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// maxTypo is the largest edit distance still read as a typo of a word of
// that length: 1 up to 4 bytes, then one more per 4 bytes, at most 3.
func maxTypo(word string) int {
	return max(1, min(3, len(word)/4))
}

// distance is the optimal-string-alignment edit distance between a and b:
// insertions, deletions, substitutions and transpositions of two adjacent
// bytes each cost 1. Inputs are short (directive and keyword names); inputs
// longer than 64 bytes are never a typo of those and return a large value.
func distance(a, b string) int {
	const limit = 64
	if len(a) > limit || len(b) > limit {
		return limit
	}
	var rows [3][limit + 1]int
	prev2, prev, cur := &rows[0], &rows[1], &rows[2]
	for j := 0; j <= len(b); j++ {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
