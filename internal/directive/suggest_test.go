package directive

import "testing"

func TestSuggest(t *testing.T) {
	known := []string{"pin-sha256", "max-age", "includeSubDomains", "report-uri", "preload"}
	tests := []struct{ name, want string }{
		{"includeSubDomain", "includeSubDomains"},
		{"include_subdomains", "includeSubDomains"},
		{"include-sub-domain", "includeSubDomains"},
		{"INCLUDESUBDOMAINS", "includeSubDomains"},
		{"maxage", "max-age"},
		{"max_age", "max-age"},
		{"mxa-age", "max-age"},
		{"pin_sha256", "pin-sha256"},
		{"perlaod", "preload"},
		{"report-to", ""},
		{"expect-ct", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Suggest(tt.name, known); got != tt.want {
			t.Errorf("Suggest(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}
