package secureheaders_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	secureheaders "github.com/secureheaders/secureheaders"
	"github.com/secureheaders/secureheaders/csp"
	"github.com/secureheaders/secureheaders/policy"
)

// TestRouteChainSameAsPatched checks that a Route wrapped directly by
// Handler, whose layered set Handler chooses and writes once, sends exactly
// the headers of the same Route reached through a mux or another
// middleware, which patches what Handler wrote: nested, under a pattern
// route, over plain HTTP and to localhost, with and without a nonce, and
// that the handler is told the nonce the response carries.
func TestRouteChainSameAsPatched(t *testing.T) {
	noStore := policy.Override{Update: policy.Policy{CacheControl: "no-store"}}
	noNonce := withNonce().CSP
	delete(noNonce, csp.ScriptSrc)
	dropNonce := policy.Override{Rewrite: policy.Policy{CSP: noNonce}}
	tests := []struct {
		name   string
		opts   *secureheaders.Options
		routes []policy.Override // outer first
		target string
	}{
		{"one route", &secureheaders.Options{Policy: ptr(withNonce())}, []policy.Override{embed}, "https://example.com/"},
		{"nested", &secureheaders.Options{Policy: ptr(withNonce())}, []policy.Override{noStore, embed}, "https://example.com/"},
		{"no nonce", nil, []policy.Override{embed}, "https://example.com/"},
		{"plain HTTP", &secureheaders.Options{Policy: ptr(withNonce())}, []policy.Override{embed}, "http://example.com/"},
		{"localhost", &secureheaders.Options{Policy: ptr(withNonce())}, []policy.Override{embed}, "https://localhost/"},
		{"under a pattern route", &secureheaders.Options{Policy: ptr(withNonce()), Routes: []policy.Route{{Pattern: "/embed/", Override: noStore}}},
			[]policy.Override{embed}, "https://example.com/embed/x"},
		{"route drops the nonce", &secureheaders.Options{Policy: ptr(withNonce())}, []policy.Override{dropNonce}, "https://example.com/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sh, err := secureheaders.New(tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			var told string
			app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { told = secureheaders.Nonce(r) })
			var wrapped http.Handler = app
			for i := len(tt.routes) - 1; i >= 0; i-- {
				wrapped = sh.MustWrap(wrapped, tt.routes[i])
			}
			mux := http.NewServeMux()
			mux.Handle("/", wrapped)
			passthrough := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { wrapped.ServeHTTP(w, r) })
			serve := func(h http.Handler) (http.Header, string) {
				told = ""
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tt.target, nil))
				return maskedNonce(t, rec.Header(), told), told
			}
			want, _ := serve(sh.Handler(mux))
			for name, h := range map[string]http.Handler{"direct": sh.Handler(wrapped), "middleware": sh.Handler(passthrough)} {
				got, _ := serve(h)
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("%s: headers differ from the mux's (-mux +%s):\n%s", name, name, diff)
				}
			}
		})
	}
}

// maskedNonce returns h with the nonce told to the handler replaced by
// "NONCE", failing t when a CSP carries a nonce the handler was not told.
func maskedNonce(t *testing.T, h http.Header, told string) http.Header {
	t.Helper()
	out := http.Header{}
	for k, vs := range h {
		for _, v := range vs {
			if told != "" {
				v = strings.ReplaceAll(v, told, "NONCE")
			}
			if strings.Contains(v, "'nonce-") && !strings.Contains(v, "'nonce-NONCE'") {
				t.Errorf("%s: %q carries a nonce the handler was not told (%q)", k, v, told)
			}
			out[k] = append(out[k], v)
		}
	}
	return out
}
