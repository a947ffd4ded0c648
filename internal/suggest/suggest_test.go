package suggest

import (
	"strings"
	"testing"
)

func TestClosest(t *testing.T) {
	candidates := []string{"self", "none", "unsafe-inline", "unsafe-eval", "Content-Security-Policy", "X-Frame-Options"}
	tests := []struct{ word, want string }{
		{"unsafe-inlin", "unsafe-inline"},
		{"slef", "self"},
		{"unsafe_eval", "unsafe-eval"},
		{"x-frame-option", "X-Frame-Options"},
		{"content-security-polcy", "Content-Security-Policy"},
		{"totally-different", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Closest(tt.word, candidates); got != tt.want {
			t.Errorf("Closest(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
}

func TestRuleClosest(t *testing.T) {
	hsts := []string{"max-age", "includeSubDomains", "preload"}
	hpkp := []string{"pin-sha256", "max-age", "includeSubDomains", "report-uri"}
	csp := []string{"self", "none", "unsafe-inline", "unsafe-eval", "strict-dynamic", "nonce"}
	two := Rule{MaxEdits: func(int) int { return 2 }, IgnoreSeparators: true}
	quarter := Rule{MaxEdits: func(n int) int { return max(1, min(3, n/4)) }}
	exact := Rule{MaxEdits: func(int) int { return 0 }, IgnoreSeparators: true}
	never := Rule{MaxEdits: func(int) int { return -1 }}
	tests := []struct {
		name       string
		rule       Rule
		word       string
		candidates []string
		want       string
	}{
		{"zero rule is Closest", Rule{}, "x-frame-option", []string{"X-Frame-Options"}, "X-Frame-Options"},
		{"zero rule keeps separators", Rule{}, "include-sub-domain", []string{"includeSubDomains"}, "includeSubDomains"},
		{"zero rule: separators count", Rule{}, "in-clude-sub-do-main", []string{"includeSubDomains"}, ""},
		{"separators ignored", two, "in-clude-sub-do-main", hsts, "includeSubDomains"},
		{"snake case", two, "include_subdomains", hsts, "includeSubDomains"},
		{"missing dash", two, "maxage", hsts, "max-age"},
		{"case", two, "PRELOAD", hsts, "preload"},
		{"transposition is one edit", two, "perlaod", hsts, "preload"},
		{"three edits is too far", two, "report-to", hpkp, ""},
		{"underscore pin", two, "pin_sha256", hpkp, "pin-sha256"},
		{"fixed limit ignores length", two, "ma", hsts, ""},
		{"quarter: 6 bytes allow one edit", quarter, "nnonee", csp, ""},
		{"third: 6 bytes allow two", Rule{}, "nnonee", csp, "none"},
		{"quarter: 9 bytes allow two", quarter, "unsafe-ev", csp, "unsafe-eval"},
		{"quarter: 11 bytes allow two", quarter, "unsa-inlinx", csp, ""},
		{"quarter: 12 bytes allow three", quarter, "usafe-inlnex", csp, "unsafe-inline"},
		{"quarter: underscore is a dash", quarter, "unsafe_eval", csp, "unsafe-eval"},
		{"quarter: tie goes to the earlier", quarter, "nonse", csp, "none"},
		{"exact after folding", exact, "SHA-256", []string{"sha256"}, "sha256"},
		{"exact refuses a typo", exact, "sha255", []string{"sha256"}, ""},
		{"negative limit", never, "self", csp, ""},
		{"no candidates", Rule{}, "self", nil, ""},
		{"long word", two, strings.Repeat("preload", 1000), hsts, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.rule.Closest(tt.word, tt.candidates); got != tt.want {
				t.Errorf("Closest(%.40q, %q) = %q, want %q", tt.word, tt.candidates, got, tt.want)
			}
		})
	}
}

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"", "abc", 3},
		{"abc", "", 3},
		{"self", "self", 0},
		{"slef", "self", 1},
		{"ca", "abc", 3}, // optimal string alignment, not Damerau: no edit of a transposed pair
		{"kitten", "sitting", 3},
		{"reportto", "reporturi", 3},
	}
	for _, tt := range tests {
		if got := distance(tt.a, tt.b); got != tt.want {
			t.Errorf("distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

// FuzzClosest checks that skipping candidates by length never changes the
// answer of a search that computes every distance.
func FuzzClosest(f *testing.F) {
	f.Add("slef", 1, false)
	f.Add("include-sub-domain", 2, true)
	f.Add("", 0, false)
	f.Add("UNSAFE_EVAL", 3, false)
	candidates := []string{"self", "none", "unsafe-inline", "unsafe-eval", "max-age", "includeSubDomains", "pin-sha256", "a", ""}
	f.Fuzz(func(t *testing.T, word string, limit int, ignore bool) {
		if len(word) > 200 {
			return
		}
		r := Rule{MaxEdits: func(int) int { return limit % 5 }, IgnoreSeparators: ignore}
		got := r.Closest(word, candidates)
		want, bestDist := "", limit%5+1
		for _, c := range candidates {
			if d := distance(r.fold(word), r.fold(c)); d < bestDist {
				want, bestDist = c, d
			}
		}
		if got != want {
			t.Fatalf("Closest(%q) with limit %d = %q, want %q", word, limit%5, got, want)
		}
	})
}
