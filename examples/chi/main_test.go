package main

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestChi(t *testing.T) {
	h, err := newRouter()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		url          string
		wantStatus   int
		wantLocation string
	}{
		{"http://example.com/", http.StatusFound, "https://example.com/"},
		{"http://example.com/healthz", http.StatusOK, ""},
		{"https://example.com/", http.StatusOK, ""},
		{"https://evil.example/", http.StatusBadRequest, ""},
	} {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("GET", tc.url, nil)
		h.ServeHTTP(rec, req)
		if rec.Code != tc.wantStatus || rec.Header().Get("Location") != tc.wantLocation {
			t.Errorf("GET %s: %d %q, want %d %q", tc.url, rec.Code, rec.Header().Get("Location"), tc.wantStatus, tc.wantLocation)
		}
	}
}
