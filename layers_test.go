package secureheaders_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/secureheaders/secureheaders"
	"github.com/secureheaders/secureheaders/csp"
	"github.com/secureheaders/secureheaders/policy"
)

// pageCSP is the app's page policy in these tests: Recommended with a
// nonce in script-src.
const pageCSP = "default-src 'none'; connect-src 'self'; font-src 'self'; frame-src 'self'; img-src 'self' data:; manifest-src 'self'; media-src 'self'; object-src 'none'; script-src 'self' 'nonce-{nonce}'; script-src-attr 'none'; style-src 'self'; worker-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'; upgrade-insecure-requests"

const scriptHash = "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="

func pageApp() policy.Policy {
	p := policy.Recommended()
	p.CSP[csp.ScriptSrc] = []csp.Source{csp.Self, csp.RequestNonce}
	return p
}

// hasNonce reports whether any header value holds a CSP nonce.
func hasNonce(h http.Header) bool {
	for _, vs := range h {
		for _, v := range vs {
			if strings.Contains(v, "'nonce-") {
				return true
			}
		}
	}
	return false
}

// TestRouteUseCases runs the three use cases of per-route rewrites both as
// pattern routes (Options.Routes) and as Route wrappers inside Handler.
func TestRouteUseCases(t *testing.T) {
	tests := []struct {
		name     string
		o        policy.Override
		wantCSP  string
		wantHdr  map[string]string // other headers, "" for absent
		wantSeen bool              // the handler sees a nonce
	}{{
		// A JSON API sends nothing of the page policy.
		name:    "json api rewrites CSP",
		o:       policy.Override{Rewrite: policy.Policy{CSP: csp.MustParse("default-src 'none'; frame-ancestors 'none'")}},
		wantCSP: "default-src 'none'; frame-ancestors 'none'",
	}, {
		// A payment page narrows two directives and adds headers.
		name: "payment is stricter",
		o: policy.Override{
			ReplaceDirectives: policy.Policy{CSP: csp.MustParse("form-action https://pay.example; frame-ancestors 'none'")},
			Update:            policy.Policy{CacheControl: "no-store", FrameOptions: policy.FrameDeny},
		},
		wantCSP:  strings.NewReplacer("form-action 'self'", "form-action https://pay.example", "frame-ancestors 'self'", "frame-ancestors 'none'").Replace(pageCSP),
		wantHdr:  map[string]string{"Cache-Control": "no-store", "X-Frame-Options": "DENY"},
		wantSeen: true,
	}, {
		// Third-party HTML with hashes: no nonce anywhere.
		name:    "hashes instead of the nonce",
		o:       policy.Override{ReplaceDirectives: policy.Policy{CSP: csp.MustParse("script-src 'self' '" + scriptHash + "'")}},
		wantCSP: strings.Replace(pageCSP, "'nonce-{nonce}'", "'"+scriptHash+"'", 1),
	}}
	for _, tt := range tests {
		for _, mode := range []string{"pattern", "wrapper"} {
			t.Run(tt.name+"/"+mode, func(t *testing.T) {
				opts := &secureheaders.Options{Policy: ptr(pageApp())}
				next := app("h")
				if mode == "pattern" {
					opts.Routes = []policy.Route{{Pattern: "/r/", Override: tt.o}}
				}
				sh, err := secureheaders.New(opts)
				if err != nil {
					t.Fatal(err)
				}
				if mode == "wrapper" {
					next = sh.MustWrap(next, tt.o)
				}
				got := do(t, sh.Handler(next), get("https://example.com/r/x"))
				if diff := cmp.Diff(tt.wantCSP, got.header.Get("Content-Security-Policy")); diff != "" {
					t.Errorf("CSP (-want +got):\n%s", diff)
				}
				for k, v := range tt.wantHdr {
					if g := got.header.Get(k); g != v {
						t.Errorf("%s = %q, want %q", k, g, v)
					}
				}
				if (got.nonce != "") != tt.wantSeen {
					t.Errorf("handler saw nonce %q, want one: %v", got.nonce, tt.wantSeen)
				}
				if !tt.wantSeen && hasNonce(got.header) {
					t.Errorf("a nonce is in the response: %v", got.header)
				}
				// The app policy is untouched elsewhere.
				other := do(t, sh.Handler(app("h")), get("https://example.com/"))
				if diff := cmp.Diff(pageCSP, other.header.Get("Content-Security-Policy")); diff != "" {
					t.Errorf("app CSP (-want +got):\n%s", diff)
				}
			})
		}
	}
}

func img(hosts ...string) policy.Override {
	var srcs []csp.Source
	for _, h := range hosts {
		srcs = append(srcs, csp.Source{Kind: csp.Host, Value: h})
	}
	return policy.Override{Update: policy.Policy{CSP: csp.Policy{csp.ImgSrc: srcs}}}
}

// imgSrc returns the img-src directive of a response's CSP.
func imgSrc(h http.Header) string {
	for d := range strings.SplitSeq(h.Get("Content-Security-Policy"), "; ") {
		if strings.HasPrefix(d, "img-src") {
			return d
		}
	}
	return ""
}

// TestPatternLayers has a case per layering rule of pattern routes
// (docs/merge.md, "Routes layer").
func TestPatternLayers(t *testing.T) {
	tests := []struct {
		name   string
		routes []policy.Route
		method string
		target string
		want   string // img-src
	}{
		{"rule 1: every covering route applies, least specific first",
			[]policy.Route{{Pattern: "GET /api/health", Override: img("https://c.example")}, {Pattern: "/api/", Override: img("https://b.example")}, {Pattern: "/", Override: img("https://a.example")}},
			"GET", "https://example.com/api/health", "img-src 'self' data: https://a.example https://b.example https://c.example"},
		{"rule 1: a route that does not match does not apply",
			[]policy.Route{{Pattern: "GET /api/health", Override: img("https://c.example")}, {Pattern: "/api/", Override: img("https://b.example")}},
			"GET", "https://example.com/api/other", "img-src 'self' data: https://b.example"},
		{"rule 2: GET covers HEAD",
			[]policy.Route{{Pattern: "GET /api/", Override: img("https://b.example")}, {Pattern: "HEAD /api/x", Override: img("https://c.example")}},
			"HEAD", "https://example.com/api/x", "img-src 'self' data: https://b.example https://c.example"},
		{"rule 2: a method route does not cover another method",
			[]policy.Route{{Pattern: "GET /api/", Override: img("https://b.example")}, {Pattern: "POST /api/x", Override: img("https://c.example")}},
			"POST", "https://example.com/api/x", "img-src 'self' data: https://c.example"},
		{"rule 3: a route without a host covers one with",
			[]policy.Route{{Pattern: "/api/", Override: img("https://b.example")}, {Pattern: "example.com/api/x", Override: img("https://c.example")}},
			"GET", "https://example.com/api/x", "img-src 'self' data: https://b.example https://c.example"},
		{"rule 3: a host route wins alone where it does not cover the path",
			[]policy.Route{{Pattern: "/api/", Override: img("https://b.example")}, {Pattern: "example.com/", Override: img("https://c.example")}},
			"GET", "https://example.com/api/x", "img-src 'self' data: https://c.example"},
		{"rule 4: wildcards cover by the requests they match",
			[]policy.Route{{Pattern: "/users/{id}/", Override: img("https://b.example")}, {Pattern: "GET /users/{name}/edit", Override: img("https://c.example")}},
			"GET", "https://example.com/users/7/edit", "img-src 'self' data: https://b.example https://c.example"},
		{"rule 5: a rewrite starts from scratch",
			[]policy.Route{{Pattern: "/api/", Override: img("https://b.example")},
				{Pattern: "/api/v2/", Override: policy.Override{Rewrite: policy.Policy{CSP: csp.MustParse("default-src 'none'; img-src https://v2.example")}}}},
			"GET", "https://example.com/api/v2/x", "img-src https://v2.example"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sh, err := secureheaders.New(&secureheaders.Options{Routes: tt.routes})
			if err != nil {
				t.Fatal(err)
			}
			got := do(t, sh.Handler(app("h")), httptest.NewRequest(tt.method, tt.target, nil))
			if diff := cmp.Diff(tt.want, imgSrc(got.header)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestPatternLayersRemoveThenUpdate: a more specific route can send again
// what a covering one removed.
func TestPatternLayersRemoveThenUpdate(t *testing.T) {
	sh, err := secureheaders.New(&secureheaders.Options{Routes: []policy.Route{
		{Pattern: "/embed/", Override: policy.Override{Remove: []string{"X-Frame-Options"}}},
		{Pattern: "/embed/admin/", Override: policy.Override{Update: policy.Policy{FrameOptions: policy.FrameDeny}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	h := sh.Handler(app("h"))
	if got := do(t, h, get("https://example.com/embed/x")).header.Get("X-Frame-Options"); got != "" {
		t.Errorf("/embed/x: X-Frame-Options %q, want none", got)
	}
	if got := do(t, h, get("https://example.com/embed/admin/x")).header.Get("X-Frame-Options"); got != "DENY" {
		t.Errorf("/embed/admin/x: X-Frame-Options %q, want DENY", got)
	}
}

// TestPatternLayersErrors: a layered policy that fails names the route
// whose override makes it fail, once.
func TestPatternLayersErrors(t *testing.T) {
	_, err := secureheaders.New(&secureheaders.Options{Routes: []policy.Route{
		{Pattern: "/api/", Override: policy.Override{Remove: []string{"X-Frame-Option"}}},
		{Pattern: "/api/v1/", Override: img("https://b.example")},
	}})
	want := []string{`routes./api/.remove[0]: unknown header "X-Frame-Option" (did you mean "X-Frame-Options"?)`}
	if diff := cmp.Diff(want, cfgErrors(err)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestRouteLayers has a case per layering rule of Route wrappers.
func TestRouteLayers(t *testing.T) {
	t.Run("rule 6: nested wrappers apply outer then inner", func(t *testing.T) {
		sh := secureheaders.Must(secureheaders.New(nil))
		h := sh.Handler(sh.MustWrap(sh.MustWrap(app("h"), img("https://inner.example")), img("https://outer.example")))
		got := do(t, h, get("https://example.com/"))
		if diff := cmp.Diff("img-src 'self' data: https://outer.example https://inner.example", imgSrc(got.header)); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
	t.Run("rule 6: an inner wrapper keeps the outer one's removal", func(t *testing.T) {
		sh := secureheaders.Must(secureheaders.New(nil))
		h := sh.Handler(sh.MustWrap(sh.MustWrap(app("h"), img("https://inner.example")), embed))
		got := do(t, h, get("https://example.com/"))
		if v, ok := got.header["X-Frame-Options"]; ok {
			t.Errorf("X-Frame-Options came back: %q", v)
		}
	})
	t.Run("rule 7: wrappers layer on the pattern routes", func(t *testing.T) {
		sh := secureheaders.Must(secureheaders.New(&secureheaders.Options{Routes: []policy.Route{
			{Pattern: "/", Override: img("https://a.example")}, {Pattern: "/api/", Override: img("https://b.example")},
		}}))
		h := sh.Handler(sh.MustWrap(app("h"), img("https://w.example")))
		got := do(t, h, get("https://example.com/api/x"))
		if diff := cmp.Diff("img-src 'self' data: https://a.example https://b.example https://w.example", imgSrc(got.header)); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
	t.Run("rule 5: an inner rewrite replaces what the outer one changed", func(t *testing.T) {
		sh := secureheaders.Must(secureheaders.New(nil))
		inner := policy.Override{Rewrite: policy.Policy{CSP: csp.MustParse("default-src 'none'")}}
		h := sh.Handler(sh.MustWrap(sh.MustWrap(app("h"), inner), img("https://outer.example")))
		got := do(t, h, get("https://example.com/"))
		if diff := cmp.Diff("default-src 'none'", got.header.Get("Content-Security-Policy")); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
	t.Run("rule 6: nested wrappers outside Handler layer too", func(t *testing.T) {
		sh := secureheaders.Must(secureheaders.New(nil))
		h := sh.MustWrap(sh.MustWrap(app("h"), img("https://inner.example")), embed)
		got := do(t, h, get("https://example.com/"))
		if diff := cmp.Diff("img-src 'self' data: https://inner.example", imgSrc(got.header)); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
		if v, ok := got.header["X-Frame-Options"]; ok {
			t.Errorf("X-Frame-Options came back: %q", v)
		}
	})
	t.Run("layers follow run-time changes", func(t *testing.T) {
		sh := secureheaders.Must(secureheaders.New(nil))
		h := sh.Handler(sh.MustWrap(sh.MustWrap(app("h"), img("https://inner.example")), img("https://outer.example")))
		do(t, h, get("https://example.com/")) // fills the cache
		if err := sh.Update(policy.Policy{CSP: csp.MustParse("img-src https://app.example")}); err != nil {
			t.Fatal(err)
		}
		got := do(t, h, get("https://example.com/"))
		if diff := cmp.Diff("img-src 'self' data: https://app.example https://outer.example https://inner.example", imgSrc(got.header)); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
}

// TestRouteLayersConfig is the end-to-end test of layered routes in a
// configuration file: ParseConfig, New, requests through Handler.
func TestRouteLayersConfig(t *testing.T) {
	const js = `{
	  "update": {"CSP": {"script-src": ["self", "nonce"]}},
	  "routes": {
	    "/api/": {"rewrite": {"CSP": {"default-src": ["none"], "frame-ancestors": ["none"]}},
	              "update": {"Cache-Control": "no-store"}, "remove": ["X-Frame-Options"]},
	    "GET /api/health": {"redirect": false},
	    "GET /api/docs/": {"update": {"CSP": {"style-src": ["https://docs.example"]}}},
	    "/pay/": {"replaceDirectives": {"CSP": {"form-action": ["https://pay.example"]}},
	              "update": {"HSTS": {"preload": true}}},
	    "/pay/widget": {"replaceDirectives": {"CSP": {"script-src": ["self", "` + scriptHash + `"]}}}
	  },
	  "https": {"redirect": true, "allowedHosts": ["example.com"]}
	}`
	opts, err := secureheaders.ParseConfig([]byte(js))
	if err != nil {
		t.Fatal(err)
	}
	sh, err := secureheaders.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	h := sh.Handler(app("h"))
	tests := []struct {
		target          string
		status          int
		csp, cache, xfo string
		hsts            string
		seen            bool
	}{
		{"https://example.com/", 200, pageCSP, "", "SAMEORIGIN", "max-age=31536000; includeSubDomains", true},
		{"https://example.com/api/x", 200, "default-src 'none'; frame-ancestors 'none'", "no-store", "", "max-age=31536000; includeSubDomains", false},
		// The health check keeps /api/'s headers and is served over HTTP.
		{"http://example.com/api/health", 200, "default-src 'none'; frame-ancestors 'none'", "no-store", "", "", false},
		{"http://example.com/api/x", 302, "", "", "", "", false},
		{"https://example.com/api/docs/x", 200, "default-src 'none'; style-src https://docs.example; frame-ancestors 'none'", "no-store", "", "max-age=31536000; includeSubDomains", false},
		{"https://example.com/pay/x", 200, strings.Replace(pageCSP, "form-action 'self'", "form-action https://pay.example", 1), "", "SAMEORIGIN", "max-age=31536000; includeSubDomains; preload", true},
		{"https://example.com/pay/widget", 200, strings.NewReplacer("form-action 'self'", "form-action https://pay.example", "'nonce-{nonce}'", "'"+scriptHash+"'").Replace(pageCSP), "", "SAMEORIGIN", "max-age=31536000; includeSubDomains; preload", false},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			got := do(t, h, get(tt.target))
			if got.status != tt.status {
				t.Fatalf("status %d, want %d", got.status, tt.status)
			}
			if tt.status != 200 {
				return
			}
			want := [][2]string{{tt.csp, got.header.Get("Content-Security-Policy")}, {tt.cache, got.header.Get("Cache-Control")},
				{tt.xfo, got.header.Get("X-Frame-Options")}, {tt.hsts, got.header.Get("Strict-Transport-Security")}}
			for _, w := range want {
				if w[0] != w[1] {
					t.Errorf("got %q, want %q", w[1], w[0])
				}
			}
			if (got.nonce != "") != tt.seen {
				t.Errorf("handler saw nonce %q, want one: %v", got.nonce, tt.seen)
			}
			if !tt.seen && hasNonce(got.header) {
				t.Errorf("a nonce is in the response: %v", got.header)
			}
		})
	}
}

// TestRouteLayersInvalidNesting: an inner Route valid on the app policy but
// not on the outer one's is served as its own policy there, and logged.
func TestRouteLayersInvalidNesting(t *testing.T) {
	var logs strings.Builder
	sh := secureheaders.Must(secureheaders.New(&secureheaders.Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))}))
	outer := policy.Override{Update: policy.Policy{
		CSP:                csp.MustParse("report-to g"),
		ReportingEndpoints: policy.ReportingEndpoints{"g": "https://r.example/csp"},
	}}
	inner := policy.Override{Remove: []string{"Reporting-Endpoints"}}
	h := sh.Handler(sh.MustWrap(sh.MustWrap(app("h"), inner), outer))
	for range 2 {
		got := do(t, h, get("https://example.com/"))
		if strings.Contains(got.header.Get("Content-Security-Policy"), "report-to") || got.header.Get("Reporting-Endpoints") != "" {
			t.Errorf("the inner route's own policy was not served: %v", got.header)
		}
	}
	if n := strings.Count(logs.String(), "level=WARN"); n != 1 {
		t.Errorf("%d warnings, want 1:\n%s", n, logs.String())
	}
}

func TestRoutePolicy(t *testing.T) {
	sh := secureheaders.Must(secureheaders.New(&secureheaders.Options{Routes: []policy.Route{
		{Pattern: "/api/", Override: policy.Override{Remove: []string{"X-Frame-Options"}}},
		{Pattern: "GET /api/health", Override: policy.Override{Update: policy.Policy{CacheControl: "no-store"}}},
	}}))
	got, ok := sh.RoutePolicy("GET /api/health")
	if !ok {
		t.Fatal("no policy for GET /api/health")
	}
	want := policy.Recommended()
	want.FrameOptions, want.CacheControl = "", "no-store"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if _, ok := sh.RoutePolicy("/other/"); ok {
		t.Error("a policy for a pattern that is not a route")
	}
}
