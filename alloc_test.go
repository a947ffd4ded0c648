//go:build !race

package secureheaders_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	secureheaders "github.com/secureheaders/secureheaders"
	"github.com/secureheaders/secureheaders/policy"
)

// nopWriter is the cheapest ResponseWriter: a reused header map, no body.
type nopWriter struct{ h http.Header }

func (w *nopWriter) Header() http.Header         { return w.h }
func (w *nopWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *nopWriter) WriteHeader(int)             {}

// TestAllocs checks the per-request allocation budget of Handler (the race
// detector adds allocations, hence the build tag). The budget: one
// allocation for the request's state and header slots, one for the nonce
// buffer, one for the request copy that carries the nonce in its context.
// Measured with -memprofile; a regression here is a regression of the hot
// path, so fix the engine rather than the numbers.
func TestAllocs(t *testing.T) {
	nop := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})
	tests := []struct {
		name   string
		opts   *secureheaders.Options
		target string
		wrap   bool // a Route inside Handler
		max    float64
	}{
		{"nonce", &secureheaders.Options{Policy: ptr(withNonce())}, "https://example.com/", false, 3},
		{"no nonce", nil, "https://example.com/", false, 1},
		{"no nonce, plain HTTP", nil, "http://example.com/", false, 1},
		// With any Route registered the request copy carries the state.
		{"no nonce, a route elsewhere", nil, "https://example.com/", false, 2},
		{"nonce, redirect on, HTTPS", &secureheaders.Options{Policy: ptr(withNonce()), HTTPS: secureheaders.HTTPSOptions{Redirect: true, AllowedHosts: []string{"example.com"}}}, "https://example.com/", false, 3},
		// A Route inside Handler rewrites the headers it changes with
		// render.Delta.ApplyInto into the request's spare header slots and
		// the spare bytes of its value buffer: no allocation of its own.
		{"nonce, route", &secureheaders.Options{Policy: ptr(withNonce())}, "https://example.com/", true, 3},
		// The no-HSTS variant for localhost and IP literals is chosen from
		// the host Decide has already parsed: no allocation of its own.
		{"nonce, localhost", &secureheaders.Options{Policy: ptr(withNonce())}, "https://localhost:8443/", false, 3},
		{"nonce, route, IP literal", &secureheaders.Options{Policy: ptr(withNonce())}, "https://[::1]/", true, 3},
		// Pattern routes: literal patterns are matched from the engine's
		// table without allocating; a {wildcard} pattern goes through
		// ServeMux.Handler, which allocates the wildcard values.
		{"nonce, pattern route, exact", &secureheaders.Options{Policy: ptr(withNonce()), Routes: []policy.Route{{Pattern: "GET /embed", Override: embed}}}, "https://example.com/embed", false, 3},
		{"nonce, pattern route, wildcard", &secureheaders.Options{Policy: ptr(withNonce()), Routes: []policy.Route{{Pattern: "GET /embed/{id}", Override: embed}}}, "https://example.com/embed/1", false, 4},
		{"nonce, pattern route, subtree", &secureheaders.Options{Policy: ptr(withNonce()), Routes: []policy.Route{{Pattern: "GET /embed/", Override: embed}}}, "https://example.com/embed/1", false, 3},
		// Layered pattern routes are composed at compile time: one set
		// per pattern, matched as before.
		{"nonce, layered pattern routes", &secureheaders.Options{Policy: ptr(withNonce()), Routes: []policy.Route{{Pattern: "/", Override: embed}, {Pattern: "GET /embed/", Override: embed}, {Pattern: "GET /embed/x", Override: embed}}}, "https://example.com/embed/x", false, 3},
		// A Route under a pattern route: its layer is compiled on first
		// use and cached; then only the delta is written.
		{"nonce, route under a pattern route", &secureheaders.Options{Policy: ptr(withNonce()), Routes: []policy.Route{{Pattern: "GET /embed/", Override: embed}}}, "https://example.com/embed/1", true, 3},
		// Nested Routes: the inner one's layer on the outer one is
		// compiled on first use and cached; a request then writes only
		// the delta, into the scratch's spare slots (measured: 3).
		{"nonce, nested routes", &secureheaders.Options{Policy: ptr(withNonce())}, "https://example.com/", false, 3},
		{"nonce, pattern route, other path", &secureheaders.Options{Policy: ptr(withNonce()), Routes: []policy.Route{{Pattern: "GET /embed/", Override: embed}}}, "https://example.com/", false, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sh, err := secureheaders.New(tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			var next http.Handler = nop
			if tt.name == "no nonce, a route elsewhere" {
				sh.MustWrap(nop, embed)
			}
			if tt.wrap {
				next = sh.MustWrap(nop, embed)
			}
			if tt.name == "nonce, nested routes" {
				next = sh.MustWrap(sh.MustWrap(nop, policy.Override{Update: policy.Policy{CacheControl: "no-store"}}), embed)
			}
			h := sh.Handler(next)
			w := &nopWriter{h: http.Header{}}
			r := httptest.NewRequest(http.MethodGet, tt.target, nil)
			got := testing.AllocsPerRun(1000, func() {
				clear(w.h)
				h.ServeHTTP(w, r)
			})
			t.Logf("%s: %v allocs per request", tt.name, got)
			if got > tt.max {
				t.Errorf("%v allocations per request, budget %v", got, tt.max)
			}
			if len(w.h) == 0 {
				t.Error("no header written")
			}
		})
	}
}
