package main

import (
	"net/http/httptest"
	"strings"
	"testing"
)

func TestOverrideStaysOnItsRoute(t *testing.T) {
	h, err := newHandler()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path, wantAncestors, wantXFO, wantCORP string
	}{
		{"/", "frame-ancestors 'self';", "SAMEORIGIN", "same-origin"},
		{"/embed/", "frame-ancestors 'self' https://partner.example;", "", "cross-origin"},
		{"/", "frame-ancestors 'self';", "SAMEORIGIN", "same-origin"}, // the route did not leak
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "https://example.com"+tc.path, nil))
		if c := rec.Header().Get("Content-Security-Policy"); !strings.Contains(c, tc.wantAncestors) {
			t.Errorf("GET %s: CSP %q lacks %q", tc.path, c, tc.wantAncestors)
		}
		if got := rec.Header().Get("X-Frame-Options"); got != tc.wantXFO {
			t.Errorf("GET %s: X-Frame-Options = %q, want %q", tc.path, got, tc.wantXFO)
		}
		if got := rec.Header().Get("Cross-Origin-Resource-Policy"); got != tc.wantCORP {
			t.Errorf("GET %s: Cross-Origin-Resource-Policy = %q, want %q", tc.path, got, tc.wantCORP)
		}
	}
}
