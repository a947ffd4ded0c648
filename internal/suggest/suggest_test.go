package suggest

import "testing"

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
