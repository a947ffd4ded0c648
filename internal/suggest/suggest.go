// Package suggest finds the likely intended word for a misspelled one, for
// "did you mean …?" hints in validation errors.
package suggest

import "strings"

// Closest returns the candidate nearest to word by edit distance
// (case-insensitive, '_' and '-' alike), or "" when none is within a third of
// the word's length (at least 1, at most 3 edits). Ties go to the earlier
// candidate, so callers list candidates in order of preference.
//
// Closest is Rule{}.Closest; it is safe for concurrent use.
func Closest(word string, candidates []string) string {
	return Rule{}.Closest(word, candidates)
}

// Rule says when a word reads as a typo of a candidate, for packages whose
// hints need another threshold or folding than [Closest]. The zero Rule is
// Closest's. A Rule is plain data, safe to copy and to use concurrently
// (MaxEdits must be a pure function).
type Rule struct {
	// MaxEdits returns how many edits a word of n bytes (after folding) may
	// be from a candidate and still be suggested; 0 means only a word that
	// folds to the candidate. Nil means a third of n, at least 1, at most 3.
	MaxEdits func(n int) int
	// IgnoreSeparators drops '-' and '_' from both sides before comparing,
	// so "include-sub-domain" is one edit from "includeSubDomains". When it
	// is false, '_' and '-' are alike but each still counts.
	IgnoreSeparators bool
}

// Closest returns the candidate nearest to word by optimal string alignment
// distance (insertions, deletions, substitutions and transpositions of two
// adjacent bytes each cost one), ASCII case folded, or "" when none is within
// r.MaxEdits. Ties go to the earlier candidate.
func (r Rule) Closest(word string, candidates []string) string {
	w := r.fold(word)
	limit := min(max(len(w)/3, 1), 3)
	if r.MaxEdits != nil {
		limit = r.MaxEdits(len(w))
	}
	if limit < 0 {
		return ""
	}
	best, bestDist := "", limit+1
	for _, c := range candidates {
		fc := r.fold(c)
		if abs(len(fc)-len(w)) >= bestDist {
			continue // at least that many insertions or deletions
		}
		if d := distance(w, fc); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

var (
	dashes = strings.NewReplacer("_", "-")
	drop   = strings.NewReplacer("_", "", "-", "")
)

func (r Rule) fold(s string) string {
	s = strings.ToLower(s)
	if r.IgnoreSeparators {
		return drop.Replace(s)
	}
	return dashes.Replace(s)
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// distance is the optimal-string-alignment distance between a and b
// (bytes): insertions, deletions, substitutions and transpositions of two
// adjacent bytes ("slef" → "self") each cost one. It keeps three rows of
// len(b)+1 ints.
func distance(a, b string) int {
	rows := make([]int, 3*(len(b)+1))
	prev2, prev, cur := rows[:len(b)+1], rows[len(b)+1:2*(len(b)+1)], rows[2*(len(b)+1):]
	for j := range prev {
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
