package secureheaders_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	secureheaders "github.com/secureheaders/secureheaders"
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
