//go:build !race

package secureheaders_test

import (
	"net/http"
	"net/http/httptest"
	"runtime"
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
// detector adds allocations, hence the build tag), one case per path of
// the performance table (docs/performance.md). The budget: one allocation
// for the request's state, header slots and nonce-bearing values
// together, one for the request copy that carries the nonce in its
// context; without a nonce, the header slots alone. Measured with
// -memprofile; a regression here is a regression of the hot path, so fix
// the engine rather than the numbers.
func TestAllocs(t *testing.T) {
	nop := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})
	tests := []struct {
		name   string
		opts   *secureheaders.Options
		target string
		setup  func(sh *secureheaders.Engine) http.Handler // nil: Handler(nop)
		max    float64
	}{
		// Table row "global, nonce": state, slots and CSP bytes in one
		// allocation, and the request copy.
		{"nonce", &secureheaders.Options{Policy: ptr(withNonce())}, "https://example.com/", nil, 2},
		// Row "no nonce": the header slots, nothing else.
		{"no nonce", nil, "https://example.com/", nil, 1},
		{"no nonce, plain HTTP", nil, "http://example.com/", nil, 1},
		// Row "any request once one Wrap route exists": with a Route
		// registered the request copy carries the engine's state (for a
		// Route further down the chain), nothing more.
		{"no nonce, a route elsewhere", nil, "https://example.com/", func(sh *secureheaders.Engine) http.Handler {
			sh.MustWrap(nop, embed)
			return sh.Handler(nop)
		}, 2},
		{"nonce, a route elsewhere", &secureheaders.Options{Policy: ptr(withNonce())}, "https://example.com/", func(sh *secureheaders.Engine) http.Handler {
			sh.MustWrap(nop, embed)
			return sh.Handler(nop)
		}, 2},
		{"nonce, redirect on, HTTPS", &secureheaders.Options{Policy: ptr(withNonce()), HTTPS: secureheaders.HTTPSOptions{Redirect: true, AllowedHosts: []string{"example.com"}}}, "https://example.com/", nil, 2},
		// Row "HTTP→HTTPS redirect": the Location string and its slice
		// (httptest.NewRequest makes a plain-HTTP request to example.com).
		{"redirect", &secureheaders.Options{Policy: ptr(withNonce()), HTTPS: secureheaders.HTTPSOptions{Redirect: true}}, "/page?id=1", nil, 2}, // origin-form, as a server reads it
		// Row "Wrap route": Handler(Route(h)) serves the route's set,
		// chosen when Handler was built.
		{"nonce, route", &secureheaders.Options{Policy: ptr(withNonce())}, "https://example.com/", func(sh *secureheaders.Engine) http.Handler {
			return sh.Handler(sh.MustWrap(nop, embed))
		}, 2},
		// A Route reached through a mux is applied on top of what Handler
		// wrote: its delta takes the spare slots and bytes of the
		// request's allocation while they last, then allocates (here
		// its CSP bytes: measured 3).
		{"nonce, route behind a mux", &secureheaders.Options{Policy: ptr(withNonce())}, "https://example.com/", func(sh *secureheaders.Engine) http.Handler {
			mux := http.NewServeMux()
			mux.Handle("/", sh.MustWrap(nop, embed))
			return sh.Handler(mux)
		}, 3},
		// The no-HSTS variant for localhost and IP literals is chosen from
		// the host Decide has already parsed: no allocation of its own.
		{"nonce, localhost", &secureheaders.Options{Policy: ptr(withNonce())}, "https://localhost:8443/", nil, 2},
		{"nonce, route, IP literal", &secureheaders.Options{Policy: ptr(withNonce())}, "https://[::1]/", func(sh *secureheaders.Engine) http.Handler {
			return sh.Handler(sh.MustWrap(nop, embed))
		}, 2},
		// Row "pattern route": literal patterns are matched from the
		// engine's table without allocating; a {wildcard} pattern goes
		// through ServeMux.Handler, which allocates the wildcard values.
		{"nonce, pattern route, exact", &secureheaders.Options{Policy: ptr(withNonce()), Routes: []policy.Route{{Pattern: "GET /embed", Override: embed}}}, "https://example.com/embed", nil, 2},
		{"nonce, pattern route, wildcard", &secureheaders.Options{Policy: ptr(withNonce()), Routes: []policy.Route{{Pattern: "GET /embed/{id}", Override: embed}}}, "https://example.com/embed/1", nil, 3},
		{"nonce, pattern route, subtree", &secureheaders.Options{Policy: ptr(withNonce()), Routes: []policy.Route{{Pattern: "GET /embed/", Override: embed}}}, "https://example.com/embed/1", nil, 2},
		// Layered pattern routes are composed at compile time: one set
		// per pattern, matched as before.
		{"nonce, layered pattern routes", &secureheaders.Options{Policy: ptr(withNonce()), Routes: []policy.Route{{Pattern: "/", Override: embed}, {Pattern: "GET /embed/", Override: embed}, {Pattern: "GET /embed/x", Override: embed}}}, "https://example.com/embed/x", nil, 2},
		// A Route under a pattern route: its layer is compiled on first
		// use and cached, then chosen like the pattern's own.
		{"nonce, route under a pattern route", &secureheaders.Options{Policy: ptr(withNonce()), Routes: []policy.Route{{Pattern: "GET /embed/", Override: embed}}}, "https://example.com/embed/1", func(sh *secureheaders.Engine) http.Handler {
			return sh.Handler(sh.MustWrap(nop, embed))
		}, 2},
		// Nested Routes: the inner one's layer on the outer one is
		// compiled on first use and cached, then chosen.
		{"nonce, nested routes", &secureheaders.Options{Policy: ptr(withNonce())}, "https://example.com/", func(sh *secureheaders.Engine) http.Handler {
			return sh.Handler(sh.MustWrap(sh.MustWrap(nop, policy.Override{Update: policy.Policy{CacheControl: "no-store"}}), embed))
		}, 2},
		{"nonce, pattern route, other path", &secureheaders.Options{Policy: ptr(withNonce()), Routes: []policy.Route{{Pattern: "GET /embed/", Override: embed}}}, "https://example.com/", nil, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sh, err := secureheaders.New(tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			h := sh.Handler(nop)
			if tt.setup != nil {
				h = tt.setup(sh)
			}
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

// TestAllocBytesNoNonce checks that the no-nonce path allocates only its
// header slots: one string header (16 bytes) per header written, rounded
// up to Go's size class, where v0.1 allocated a 256-byte state.
func TestAllocBytesNoNonce(t *testing.T) {
	sh, err := secureheaders.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	h := sh.Handler(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	w := &nopWriter{h: http.Header{}}
	r := httptest.NewRequest(http.MethodGet, "https://example.com/", nil)
	h.ServeHTTP(w, r)
	slots := 16 * len(w.h)
	const runs = 1000
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for range runs {
		clear(w.h)
		h.ServeHTTP(w, r)
	}
	runtime.ReadMemStats(&after)
	got := float64(after.TotalAlloc-before.TotalAlloc) / runs
	// The size classes of Go's allocator above 128 bytes are 16 to 32
	// bytes apart.
	if got < float64(slots) || got > float64(slots+32) {
		t.Errorf("%.0f bytes per request for %d headers, want %d-%d (the slots only)", got, len(w.h), slots, slots+32)
	}
}
