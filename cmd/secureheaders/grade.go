package main

// Grading, documented in docs/exporting.md ("How check grades"): check
// scores a site as MDN's HTTP Observatory does (npm @mdn/mdn-http-observatory
// 1.4.8, algorithm version 4), so the grade it prints offline is the one
// users see there. Ten tests (observatory.go) each give one result; a result
// carries a score modifier. The score starts at 100 and adds every
// modifier, but the bonuses (positive modifiers) count only when the score
// of the penalties alone is at least minScoreForBonus; it never goes below
// 0. The letter is read from gradeBands.

// minScoreForBonus is the score, penalties alone, from which bonuses count.
const minScoreForBonus = 90

// gradeBands maps a score, rounded down to a multiple of 5 and capped at
// 100, to its letter: the first band whose floor the score reaches.
var gradeBands = []struct {
	floor  int
	letter string
}{
	{100, "A+"}, {90, "A"}, {85, "A-"}, {80, "B+"}, {70, "B"}, {65, "B-"},
	{60, "C+"}, {50, "C"}, {45, "C-"}, {40, "D+"}, {30, "D"}, {25, "D-"},
	{0, "F"},
}

// scoreTest is the outcome of one of the Observatory's tests.
type scoreTest struct {
	// Name is the Observatory's name of the test ("content-security-policy").
	Name string `json:"name"`
	// Result is the Observatory's name of the outcome
	// ("csp-implemented-with-unsafe-inline").
	Result string `json:"result"`
	// Modifier is what the result adds to the score.
	Modifier int `json:"modifier"`
	// Message says what was seen, naming the header; Fix how to do better
	// ("" when there is nothing to do).
	Message string `json:"message"`
	Fix     string `json:"fix,omitempty"`
	// Ours marks a result of check's own, stricter than the Observatory's.
	Ours bool `json:"ours,omitempty"`
}

// stricter returns the names of the tests whose result is check's own.
func stricter(tests []scoreTest) []string {
	var out []string
	for _, t := range tests {
		if t.Ours {
			out = append(out, t.Name)
		}
	}
	return out
}

// grade returns the letter and the score of a site's test results.
func grade(tests []scoreTest) (string, int) {
	withBonus, penalties := 100, 100
	for _, t := range tests {
		withBonus += t.Modifier
		if t.Modifier < 0 {
			penalties += t.Modifier
		}
	}
	score := penalties
	if penalties >= minScoreForBonus {
		score = withBonus
	}
	score = max(score, 0)
	return letterFor(score), score
}

// letterFor returns the letter of a score.
func letterFor(score int) string {
	key := min(score-score%5, 100)
	for _, b := range gradeBands {
		if key >= b.floor {
			return b.letter
		}
	}
	return "F"
}
