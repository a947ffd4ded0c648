package csp

import (
	"strconv"

	"github.com/secureheaders/secureheaders/internal/cfgerr"
	"github.com/secureheaders/secureheaders/internal/suggest"
)

// at returns e with its Path set, for errors made by a function that does
// not know where its input came from. e is always freshly allocated by the
// caller's callee, so setting the field in place is safe.
func at(err error, path string) error {
	if e, ok := err.(*cfgerr.Error); ok {
		e.Path = path
		return e
	}
	return &cfgerr.Error{Path: path, Reason: err.Error()}
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
