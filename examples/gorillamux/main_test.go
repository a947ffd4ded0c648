package main

import (
	"net/http/httptest"
	"testing"
)

func TestHeadersOnMatchAndMiss(t *testing.T) {
	h, err := newRouter()
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/articles/42", "/nowhere"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "https://example.com"+path, nil))
		if got := rec.Header().Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("GET %s (%d): X-Content-Type-Options = %q, want nosniff", path, rec.Code, got)
		}
	}
}
