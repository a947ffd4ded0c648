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
	for range 3 {
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
}

func TestSessionCookieFlags(t *testing.T) {
	h, err := newHandler()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ target, want string }{
		{"https://example.com/", "session=demo; Path=/; Secure; HttpOnly; SameSite=Lax"},
		{"http://example.com/", "session=demo; Path=/; HttpOnly; SameSite=Lax"},
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", tc.target, nil))
		if got := rec.Header().Get("Set-Cookie"); got != tc.want {
			t.Errorf("GET %s: Set-Cookie %q, want %q", tc.target, got, tc.want)
		}
	}
}
