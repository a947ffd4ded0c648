package https

import "testing"

// TestMatchesEverythingWithoutPath checks that a pattern without a path
// ("GET ", a bare host) is left for ServeMux to refuse instead of crashing
// the check (found by FuzzParseConfig: a route "GET " with redirect false).
func TestMatchesEverythingWithoutPath(t *testing.T) {
	tests := []struct {
		pattern, want string
	}{
		{"GET ", ""},
		{"GET \t", ""},
		{"", ""},
		{"example.com", ""},
		{"GET /", "pattern matching every path"},
		{"example.com/", "pattern matching every path"},
		{"/{a}/", "pattern with wildcard segments only, matching nearly every path"},
		{"/api/", ""},
	}
	for _, tt := range tests {
		if got := matchesEverything(tt.pattern); got != tt.want {
			t.Errorf("matchesEverything(%q) = %q, want %q", tt.pattern, got, tt.want)
		}
	}
}
