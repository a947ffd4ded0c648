package main

import "github.com/secureheaders/secureheaders/policy"

// Grading, documented in docs/exporting.md ("Grading"): a site starts at 100
// points and loses 25 per error, 10 per warning and 2 per info finding (never
// below 0). The letter is A+ with no error and no warning, and otherwise A
// from 90 points, B from 80, C from 70, D from 60 and F below. A site without
// a working HTTPS response has an error finding ("https"), so it cannot get
// more than a C; with the findings that follow from it (no HSTS …) it is
// usually an F.
const (
	errorCost   = 25
	warningCost = 10
	infoCost    = 2
)

// grade returns the letter and the score of a set of findings.
func grade(findings []policy.Finding) (string, int) {
	errs, warnings, infos := count(findings)
	score := max(0, 100-errorCost*errs-warningCost*warnings-infoCost*infos)
	switch {
	case errs == 0 && warnings == 0:
		return "A+", score
	case score >= 90:
		return "A", score
	case score >= 80:
		return "B", score
	case score >= 70:
		return "C", score
	case score >= 60:
		return "D", score
	}
	return "F", score
}
