package secureheaders_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"
	secureheaders "github.com/secureheaders/secureheaders"
	"github.com/secureheaders/secureheaders/policy"
	"github.com/secureheaders/secureheaders/report"
)

// roundTripOptions are configurations with every part set in turn.
func roundTripOptions() map[string]*secureheaders.Options {
	return map[string]*secureheaders.Options{
		"zero":   {},
		"nonce":  {Policy: ptr(withNonce())},
		"routes": {Routes: []policy.Route{{Pattern: "/embed/", Override: embed}, {Pattern: "GET /acme/{tok}", SkipRedirect: true}}},
		"https": {HTTPS: secureheaders.HTTPSOptions{
			Redirect: true, Permanent: true, Port: 8443, AllowedHosts: []string{"example.com", "*.example.com"},
			InsecureBypassPatterns: []string{"/.well-known/acme-challenge/", "GET /healthz"}, Skips: []string{"/legacy"},
			ProxyHeader: "X-Forwarded-Proto", TrustForwardedHost: true, NonIdempotent: secureheaders.RefuseNonIdempotent,
		}, TrustedProxies: []string{"10.0.0.0/8", "::1"}},
		"cookies": {Cookies: secureheaders.CookieOptions{Secure: true, HTTPOnly: true, SameSite: http.SameSiteLaxMode, Rules: []secureheaders.CookieRule{{Names: []string{"theme"}, Skip: true}, {Names: []string{"__Host-*"}, Secure: true, HTTPOnly: true, SameSite: http.SameSiteStrictMode}}}},
		"reports": {Reports: &report.Options{Path: "/r", MaxBytes: 4096, AllowedOrigins: []string{"https://app.example"}}, TrustedProxies: []string{"192.0.2.7"}},
		"everything": {
			Policy: ptr(withNonce()),
			Routes: []policy.Route{{Pattern: "/embed/", Override: embed, SkipRedirect: true}, {Pattern: "GET /lb", SkipHostCheck: true}},
			HTTPS: secureheaders.HTTPSOptions{Redirect: true, AllowedHosts: []string{"example.com", "www.example.com", "192.0.2.0/24"},
				InsecureBypassPatterns: []string{"GET /healthz"}, ProxyHeader: "Forwarded", CanonicalHost: "example.com", UpgradeLocation: true},
			Cookies: secureheaders.CookieOptions{Secure: true, SameSite: http.SameSiteStrictMode,
				Rules: []secureheaders.CookieRule{{Names: []string{"theme"}, Skip: true}}},
			TrustedProxies: []string{"10.0.0.0/8"},
			Reports:        &report.Options{},
			Logger:         slog.New(slog.DiscardHandler),
		},
	}
}

// servedResponses is what a fixed set of requests get through e, the nonce
// replaced by "{nonce}".
func servedResponses(t *testing.T, e *secureheaders.Engine) []response {
	t.Helper()
	h := e.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "session", Value: "1"})
		app("app").ServeHTTP(w, r)
	}))
	var out []response
	for _, r := range []*http.Request{
		get("https://example.com/"), get("http://example.com/"), get("https://example.com/embed/x"),
		get("http://example.com/embed/x"), get("http://example.com/healthz"), get("http://example.com/acme/t"),
		get("http://evil.example/"), httptest.NewRequest(http.MethodPost, "http://example.com/form", nil),
		httptest.NewRequest(http.MethodOptions, "https://example.com/r", nil),
	} {
		res := do(t, h, r)
		if res.nonce != "" {
			res.nonce = "{nonce}"
		}
		out = append(out, res)
	}
	return out
}

var loggerByIdentity = cmp.Comparer(func(a, b *slog.Logger) bool { return a == b })

// TestReconfigureOptionsRoundTrip checks that Reconfigure(Options()) is a
// no-op (the same Options, the same responses), and that a Reconfigure
// that fails returns every problem and changes nothing.
func TestReconfigureOptionsRoundTrip(t *testing.T) {
	for name, opts := range roundTripOptions() {
		t.Run(name, func(t *testing.T) {
			e, err := secureheaders.New(opts)
			if err != nil {
				t.Fatal(err)
			}
			defer e.Close()
			before, served := e.Options(), servedResponses(t, e)

			if err := e.Reconfigure(ptr(e.Options())); err != nil {
				t.Fatalf("Reconfigure(Options()): %v", err)
			}
			if diff := cmp.Diff(before, e.Options(), loggerByIdentity); diff != "" {
				t.Errorf("Options after Reconfigure(Options()) (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(served, servedResponses(t, e), cmp.AllowUnexported(response{})); diff != "" {
				t.Errorf("responses after Reconfigure(Options()) (-want +got):\n%s", diff)
			}

			bad := ptr(e.Options())
			bad.Routes = append(bad.Routes, policy.Route{Pattern: "GET/ x y"})
			bad.HTTPS.Port = 70000
			bad.HTTPS.InsecureBypassPatterns = []string{"/"}
			bad.Cookies.SameSite = http.SameSiteNoneMode
			bad.Cookies.Secure = false
			bad.TrustedProxies = []string{"10.0.0.0/33"}
			bad.Reports = &report.Options{MaxBytes: -1}
			bad.HTTPS.CanonicalHost = "elsewhere.example"
			bad.HTTPS.AllowedHosts = []string{"example.com", "10.0.0.1/8"}
			err = e.Reconfigure(bad)
			var got []string
			for e := range policy.AllErrors(err) {
				got = append(got, e.Path)
			}
			want := []string{
				"trustedProxies[0]", "https.allowedHosts[1]", "https.port", "https.canonicalHost", "https.insecureBypassPatterns[0]", "cookies.sameSite",
				"reports.maxBytes", "routes.GET/ x y",
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Reconfigure(bad) error paths (-want +got):\n%s\n%v", diff, err)
			}
			if diff := cmp.Diff(before, e.Options(), loggerByIdentity); diff != "" {
				t.Errorf("Options after a failed Reconfigure (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(served, servedResponses(t, e), cmp.AllowUnexported(response{})); diff != "" {
				t.Errorf("responses after a failed Reconfigure (-want +got):\n%s", diff)
			}
		})
	}
}
