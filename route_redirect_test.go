package secureheaders_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	secureheaders "github.com/secureheaders/secureheaders"
	"github.com/secureheaders/secureheaders/policy"
)

// TestRouteSkipsRedirect checks a config route with "redirect": false: its
// plain-HTTP requests are served (without HSTS), every other path is still
// redirected, and a bad Host is still refused on the route.
func TestRouteSkipsRedirect(t *testing.T) {
	opts, err := secureheaders.ParseConfig([]byte(`{
		"routes": {"/.well-known/acme-challenge/": {"redirect": false}},
		"https": {"redirect": true, "allowedHosts": ["example.com"]}
	}`))
	if err != nil {
		t.Fatal(err)
	}
	if len(opts.Routes) != 1 || !opts.Routes[0].SkipRedirect {
		t.Fatalf("routes = %+v, want one route with SkipRedirect", opts.Routes)
	}
	sh, err := secureheaders.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	h := sh.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("token")) }))
	tests := []struct {
		name, method, target, host string
		wantStatus                 int
		wantLocation               string
	}{
		{"route over HTTP is served", "GET", "http://example.com/.well-known/acme-challenge/abc", "", 200, ""},
		{"route, POST over HTTP is served", "POST", "http://example.com/.well-known/acme-challenge/abc", "", 200, ""},
		{"other path is redirected", "GET", "http://example.com/login", "", 302, "https://example.com/login"},
		{"prefix look-alike is redirected", "GET", "http://example.com/.well-known/acme-challengeX", "", 302, "https://example.com/.well-known/acme-challengeX"},
		{"bad host on the route is refused", "GET", "http://example.com/.well-known/acme-challenge/abc", "evil.example", 400, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(tt.method, tt.target, strings.NewReader(""))
			if tt.host != "" {
				r.Host = tt.host
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != tt.wantStatus || w.Header().Get("Location") != tt.wantLocation {
				t.Errorf("got %d Location %q, want %d %q", w.Code, w.Header().Get("Location"), tt.wantStatus, tt.wantLocation)
			}
			if w.Code == 200 && w.Header().Get("Strict-Transport-Security") != "" {
				t.Error("HSTS sent over plain HTTP")
			}
			if w.Code == 200 && w.Header().Get("Content-Security-Policy") == "" {
				t.Error("the route's headers were not sent")
			}
		})
	}
}

// TestInsecureBypassPatterns checks the one bypass mechanism through the
// engine: InsecureBypassPatterns, the Skips alias and routes with
// SkipRedirect serve plain HTTP (without HSTS), everything else is
// redirected, and a path that is not clean never borrows a bypass.
func TestInsecureBypassPatterns(t *testing.T) {
	sh, err := secureheaders.New(&secureheaders.Options{
		Routes: []policy.Route{{Pattern: "/embed/", SkipRedirect: true}},
		HTTPS: secureheaders.HTTPSOptions{
			Redirect: true, AllowedHosts: []string{"example.com"},
			InsecureBypassPatterns: []string{"/.well-known/acme-challenge/", "GET /healthz", "/status/{$}"},
			Skips:                  []string{"/legacy"},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	h := sh.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) }))
	tests := []struct {
		method, target string
		wantStatus     int
	}{
		{"GET", "http://example.com/.well-known/acme-challenge/tok", 200},
		{"GET", "http://example.com/healthz", 200},
		{"HEAD", "http://example.com/healthz", 200},
		{"POST", "http://example.com/healthz", 307},
		{"GET", "http://example.com/status/", 200},
		{"GET", "http://example.com/status/x", 302},
		{"GET", "http://example.com/legacy", 200},
		{"GET", "http://example.com/legacy/x", 200},
		{"GET", "http://example.com/legacyx", 302},
		{"GET", "http://example.com/embed/x", 200},
		{"GET", "http://example.com/login", 302},
		{"GET", "http://example.com/.well-known/acme-challenge/%2e%2e/%2e%2e/admin", 302},
		{"GET", "http://example.com/.well-known/acme-challenge/../../admin", 302},
		{"GET", "http://example.com/.well-known/acme-challenge//x", 302},
		{"GET", "http://example.com/embed/a%2fb", 302},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.target, func(t *testing.T) {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest(tt.method, tt.target, nil))
			if w.Code != tt.wantStatus {
				t.Errorf("got %d, want %d", w.Code, tt.wantStatus)
			}
			if w.Code == 200 && w.Header().Get("Strict-Transport-Security") != "" {
				t.Error("HSTS sent over plain HTTP")
			}
		})
	}
}

// TestInsecureBypassPatternErrors checks that bad patterns are refused with
// the configuration path of each, a route's included.
func TestInsecureBypassPatternErrors(t *testing.T) {
	_, err := secureheaders.New(&secureheaders.Options{
		Routes: []policy.Route{{Pattern: "/", SkipRedirect: true}},
		HTTPS: secureheaders.HTTPSOptions{
			Redirect:               true,
			InsecureBypassPatterns: []string{"GET /", "/a/{x}", "/{y}/b"},
		},
	})
	var got []string
	for e := range policy.AllErrors(err) {
		got = append(got, e.Error())
	}
	want := []string{
		`routes./: pattern matching every path "/" (set https.redirect to false)`,
		`https.insecureBypassPatterns[0]: pattern matching every path "GET /" (set https.redirect to false)`,
		`https.insecureBypassPatterns[2]: overlaps "/a/{x}" (https.insecureBypassPatterns[1]), neither being more specific, in "/{y}/b" (remove one, or give one a method or a longer literal path)`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}
