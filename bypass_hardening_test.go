package secureheaders_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/secureheaders/secureheaders"
	"github.com/secureheaders/secureheaders/policy"
)

// TestBypassRoutesSeeTheCleanPath is issue 12 item 5: a route that skips
// the redirect is matched on the path as it was written for it. An escaped
// "/acme/%2e%2e/%2e%2e/admin" (which the application would see as
// "/acme/../../admin") is redirected, never served over plain HTTP.
func TestBypassRoutesSeeTheCleanPath(t *testing.T) {
	sh, err := secureheaders.New(&secureheaders.Options{
		HTTPS:  secureheaders.HTTPSOptions{Redirect: true, AllowedHosts: []string{"example.com"}},
		Routes: []policy.Route{{Pattern: "/acme/", SkipRedirect: true}},
	})
	if err != nil {
		t.Fatal(err)
	}
	served := ""
	h := sh.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { served = r.URL.Path }))
	for _, target := range []string{"/acme/%2e%2e/%2e%2e/admin", "/acme/%2E%2E/admin", "/acme/../../admin", "/acme/.%2e/admin", "/acme/a%2f..%2f..%2fadmin", "/acme//admin"} {
		t.Run(target, func(t *testing.T) {
			served = ""
			r := httptest.NewRequest("GET", target, nil)
			r.Host = "example.com"
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if served != "" || w.Code != http.StatusFound || !strings.HasPrefix(w.Header().Get("Location"), "https://example.com/acme/") {
				t.Errorf("got %d Location %q, served %q over plain HTTP; want a redirect", w.Code, w.Header().Get("Location"), served)
			}
		})
	}
	// The route itself is still served over plain HTTP.
	r := httptest.NewRequest("GET", "/acme/token", nil)
	r.Host = "example.com"
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != http.StatusOK || served != "/acme/token" {
		t.Errorf("/acme/token: got %d, served %q; want it served", w.Code, served)
	}
}

// TestBypassMatchingEverythingRefused is issue 12 item 6: a bypass that
// would serve every path over plain HTTP is a configuration error, whichever
// way it is written, and v0.1's regular expressions ("exempt") are gone.
func TestBypassMatchingEverythingRefused(t *testing.T) {
	tests := []struct {
		name string
		opts secureheaders.Options
	}{
		{"/", secureheaders.Options{HTTPS: secureheaders.HTTPSOptions{Redirect: true, InsecureBypassPatterns: []string{"/"}}}},
		{"GET /", secureheaders.Options{HTTPS: secureheaders.HTTPSOptions{Redirect: true, InsecureBypassPatterns: []string{"GET /"}}}},
		{"/{path...}", secureheaders.Options{HTTPS: secureheaders.HTTPSOptions{Redirect: true, InsecureBypassPatterns: []string{"/{path...}"}}}},
		{"GET /{path...}", secureheaders.Options{HTTPS: secureheaders.HTTPSOptions{Redirect: true, InsecureBypassPatterns: []string{"GET /{path...}"}}}},
		{"example.com/", secureheaders.Options{HTTPS: secureheaders.HTTPSOptions{Redirect: true, InsecureBypassPatterns: []string{"example.com/"}}}},
		{"/{a}/", secureheaders.Options{HTTPS: secureheaders.HTTPSOptions{Redirect: true, InsecureBypassPatterns: []string{"/{a}/"}}}},
		{"GET example.com/{a}/{b...}", secureheaders.Options{HTTPS: secureheaders.HTTPSOptions{Redirect: true, InsecureBypassPatterns: []string{"GET example.com/{a}/{b...}"}}}},
		{"/{a}", secureheaders.Options{HTTPS: secureheaders.HTTPSOptions{Redirect: true, InsecureBypassPatterns: []string{"/{a}"}}}},
		{"route /{a}/{$} skipping the redirect", secureheaders.Options{HTTPS: secureheaders.HTTPSOptions{Redirect: true},
			Routes: []policy.Route{{Pattern: "/{a}/{$}", SkipRedirect: true}}}},
		{"skip /", secureheaders.Options{HTTPS: secureheaders.HTTPSOptions{Redirect: true, Skips: []string{"/"}}}},
		{"route / skipping the redirect", secureheaders.Options{HTTPS: secureheaders.HTTPSOptions{Redirect: true},
			Routes: []policy.Route{{Pattern: "/", SkipRedirect: true}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sh, err := secureheaders.New(&tt.opts)
			if err == nil {
				sh.Close()
				t.Fatal("accepted")
			}
			if msg := err.Error(); !strings.Contains(msg, "every path") || !strings.Contains(msg, "set https.redirect to false") {
				t.Errorf("error %q does not say it matches every path and how to turn the redirect off", msg)
			}
		})
	}
	// Patterns with a literal segment, and the root alone, stay accepted.
	for _, p := range []string{"/{$}", "/api/{id}", "GET /u/{id}/avatar", "/.well-known/{rest...}"} {
		sh, err := secureheaders.New(&secureheaders.Options{HTTPS: secureheaders.HTTPSOptions{Redirect: true, InsecureBypassPatterns: []string{p}}})
		if err != nil {
			t.Errorf("%q refused: %v", p, err)
			continue
		}
		sh.Close()
	}
	runCfgCases(t, []cfgCase{
		{
			name:    "https.exempt (v0.1 regular expressions)",
			js:      `{"https": {"redirect": true, "exempt": ["^api/", "."]}}`,
			want:    []string{`https.exempt: was removed in v0.2 (regular expressions) (write ServeMux patterns in https.insecureBypassPatterns instead: "^api/" becomes "/api/")`},
			fixedJS: `{"https": {"redirect": true, "insecureBypassPatterns": ["/api/"]}}`,
		},
	})
}

// TestForwardedAppendedByProxiesConfig is the JSON side of issue 12 item
// 10: "proxyElement" is "first" or "last", exactly.
func TestForwardedAppendedByProxiesConfig(t *testing.T) {
	opts, err := secureheaders.ParseConfig([]byte(`{"trustedProxies": ["10.0.0.0/8"],
		"https": {"redirect": true, "proxyHeader": "Forwarded", "proxyElement": "last"}}`))
	if err != nil {
		t.Fatal(err)
	}
	if opts.HTTPS.ProxyElement != secureheaders.LastProxyElement {
		t.Errorf("ProxyElement = %v, want last", opts.HTTPS.ProxyElement)
	}
	sh, err := secureheaders.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer sh.Close()
	r := httptest.NewRequest("GET", "/", nil)
	r.Host, r.RemoteAddr = "example.com", "10.0.0.7:4000"
	r.Header.Set("Forwarded", "proto=https, for=192.0.2.1;proto=http")
	w := httptest.NewRecorder()
	sh.Handler(http.NotFoundHandler()).ServeHTTP(w, r)
	if w.Code != http.StatusFound {
		t.Errorf("client-sent proto=https believed: got %d", w.Code)
	}
	runCfgCases(t, []cfgCase{
		{name: "proxyElement unknown", js: `{"trustedProxies": ["10.0.0.0/8"], "https": {"proxyHeader": "Forwarded", "proxyElement": "rightmost"}}`,
			want: []string{`https.proxyElement: unknown element "rightmost" (use "first" (the proxy replaces the header) or "last" (it appends))`}},
		{name: "proxyElement case", js: `{"trustedProxies": ["10.0.0.0/8"], "https": {"proxyHeader": "Forwarded", "proxyElement": "Last"}}`,
			want: []string{`https.proxyElement: unknown element "Last" (use "first" (the proxy replaces the header) or "last" (it appends))`}},
		{name: "proxyElement key case", js: `{"https": {"ProxyElement": "last"}}`,
			want: []string{`https.ProxyElement: unknown key (did you mean "proxyElement"? keys are case-sensitive)`}},
		{name: "proxyElement last with nothing to read", js: `{"https": {"proxyElement": "last"}}`,
			want: []string{`https.proxyElement: is set but neither proxyHeader nor trustForwardedHost is, so it would read nothing (name your proxy's proxyHeader, or remove proxyElement)`}},
	})
}
