// Package suggest finds the likely intended word for a misspelled one, for
// "did you mean …?" hints in validation errors.
package suggest

import "strings"

// Closest returns the candidate nearest to word by edit distance
// (case-insensitive, '_' and '-' alike), or "" when none is within a third of
// the word's length (at least 1, at most 3 edits). Ties go to the earlier
// candidate, so callers list candidates in order of preference.
func Closest(word string, candidates []string) string {
	w := fold(word)
	limit := min(max(len(w)/3, 1), 3)
	best, bestDist := "", limit+1
	for _, c := range candidates {
		if d := distance(w, fold(c)); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

func fold(s string) string {
	return strings.ReplaceAll(strings.ToLower(s), "_", "-")
}

// distance is the optimal-string-alignment distance between a and b
// (bytes): insertions, deletions, substitutions and transpositions of two
// adjacent bytes ("slef" → "self") each cost one.
func distance(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}
