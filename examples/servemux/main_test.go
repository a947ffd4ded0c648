package main

import (
	"net/http/httptest"
	"strings"
	"testing"
)

func TestNonceInHeaderAndPage(t *testing.T) {
	h, err := newHandler()
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "https://example.com/hello/gopher", nil))
	cspValue := rec.Header().Get("Content-Security-Policy")
	_, rest, ok := strings.Cut(cspValue, "'nonce-")
	if !ok {
		t.Fatalf("no nonce in Content-Security-Policy: %q", cspValue)
	}
	nonce, _, _ := strings.Cut(rest, "'")
	if !strings.Contains(rec.Body.String(), `<script nonce="`+nonce+`">`) {
		t.Errorf("page does not carry the header's nonce %q:\n%s", nonce, rec.Body)
	}
	if !strings.Contains(rec.Body.String(), "Hello, gopher") {
		t.Errorf("path value not rendered:\n%s", rec.Body)
	}
}
