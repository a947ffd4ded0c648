package bench

import (
	"net/http"
	"testing"

	"github.com/secureheaders/secureheaders"
	"github.com/secureheaders/secureheaders/policy"
)

// routeScenario is one way of serving a page, with the app policy or with a
// per-route override of it.
type routeScenario struct {
	name       string
	overridden bool // whether the page gets frameOverride's policy
	setup      func(tb testing.TB) (http.Handler, *http.Request)
}

var routeScenarios = []routeScenario{
	{"global", false, func(tb testing.TB) (http.Handler, *http.Request) {
		return newEngine(tb, appOptions(true)).Handler(app), newSecureRequest(requestPath)
	}},
	// Route/Wrap in code, inside Handler: the route's delta is applied on
	// top of what Handler wrote.
	{"wrap", true, func(tb testing.TB) (http.Handler, *http.Request) {
		sh := newEngine(tb, appOptions(true))
		return sh.Handler(sh.MustWrap(app, frameOverride())), newSecureRequest(requestPath)
	}},
	// Options.Routes: Handler matches the request against the patterns.
	{"pattern", true, func(tb testing.TB) (http.Handler, *http.Request) {
		return newEngine(tb, patternOptions()).Handler(app), newSecureRequest("/embed/page")
	}},
	// Options.Routes layered: "/" removes X-Frame-Options, "/embed/" adds
	// the frame-ancestors source; composed at compile time into one set.
	{"pattern-layered", true, func(tb testing.TB) (http.Handler, *http.Request) {
		o := appOptions(true)
		remove, add := splitFrameOverride()
		o.Routes = []policy.Route{{Pattern: "/", Override: remove}, {Pattern: "/embed/", Override: add}}
		return newEngine(tb, o).Handler(app), newSecureRequest("/embed/page")
	}},
	// Nested Routes, outer then inner: the inner layer is compiled on the
	// first request and cached.
	{"wrap-nested", true, func(tb testing.TB) (http.Handler, *http.Request) {
		sh := newEngine(tb, appOptions(true))
		remove, add := splitFrameOverride()
		return sh.Handler(sh.MustWrap(sh.MustWrap(app, add), remove)), newSecureRequest(requestPath)
	}},
	// Options.Routes, request outside every pattern: the price of matching.
	{"pattern-miss", false, func(tb testing.TB) (http.Handler, *http.Request) {
		return newEngine(tb, patternOptions()).Handler(app), newSecureRequest(requestPath)
	}},
}

func patternOptions() *secureheaders.Options {
	o := appOptions(true)
	o.Routes = []policy.Route{{Pattern: "/embed/", Override: frameOverride()}}
	return o
}

// BenchmarkRoute compares the app-wide policy with a per-route override,
// nonce on, minimal writer.
func BenchmarkRoute(b *testing.B) {
	for _, sc := range routeScenarios {
		b.Run("route="+sc.name, func(b *testing.B) {
			h, r := sc.setup(b)
			serve(b, "minimal", h, r, http.StatusOK)
		})
	}
}

// splitFrameOverride is frameOverride as two overrides that layer into it.
func splitFrameOverride() (remove, add policy.Override) {
	o := frameOverride()
	return policy.Override{Remove: o.Remove}, policy.Override{Update: o.Update}
}
